// limitNesting: markup within the depth limit is untouched; deeper tags go, their text stays; the
// parsers then never hold more than the limit on their element stack.
import * as cheerio from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import { limitNesting } from './nesting.ts';

/** The deepest element in `markup` as htmlparser2 builds it (iteratively: the input may be deep). */
function depthOf(markup: string, html: boolean): number {
  const $ = cheerio.load(markup, { xml: { xmlMode: !html, decodeEntities: true } }, false);
  type N = { type: string; children?: N[] };
  let max = 0;
  const todo: [N, number][] = ($.root().toArray() as unknown as N[]).map((n) => [n, 0]);
  while (todo.length > 0) {
    const [n, d] = todo.pop()!;
    max = Math.max(max, d);
    for (const c of n.children ?? [])
      if (c.type === 'tag' || c.type === 'script' || c.type === 'style') todo.push([c, d + 1]);
  }
  return max;
}

describe('limitNesting', () => {
  it.each([
    '<rss><channel><item><title>a</title></item></channel></rss>',
    '<a><b/><b/><b/></a>',
    '<!-- <d><d><d> --><a>x</a>',
    '<a><![CDATA[<d><d><d>]]></a>',
    '<a title="x>y"><b>t</b></a>',
  ])('returns shallow XML unchanged: %s', (xml) => expect(limitNesting(xml, { maxDepth: 4 })).toBe(xml));

  it('drops XML tags past the depth and keeps their text', () => {
    expect(limitNesting('<a><b><c><d>deep</d></c></b></a>', { maxDepth: 2 })).toBe('<a><b>deep</d></c></b></a>');
    expect(limitNesting(`<r>${'<d>'.repeat(10)}x`, { maxDepth: 3 })).toBe('<r><d><d>x');
  });

  it('counts what the parsers count: closes pop to the innermost match, XML self-closing and HTML void tags do not nest', () => {
    expect(limitNesting('<a><b></a><c><d/><e>x', { maxDepth: 2 })).toBe('<a><b></a><c><d/><e>x');
    expect(limitNesting(`<div>${'<br><img src="x">'.repeat(5)}<p>a<p>b<li>c<li>d`, { html: true, maxDepth: 3 })).toBe(
      `<div>${'<br><img src="x">'.repeat(5)}<p>a<p>b<li>c<li>d`,
    );
    expect(limitNesting('<D><d><x>', { html: true, maxDepth: 2 })).toBe('<D><d>');
  });

  it('leaves raw text alone in HTML (a "<d>" in a script is no tag)', () => {
    const html = `<div><script>${'<d>'.repeat(10)}</script><d>x</d></div>`;
    expect(limitNesting(html, { html: true, maxDepth: 2 })).toBe(html);
  });

  it.each([
    ['XML, unclosed', `<r>${'<d>'.repeat(50_000)}`, false],
    ['XML, unmatched closes', `<r>${'<d>'.repeat(50_000)}${'</z>'.repeat(50_000)}`, false],
    ['HTML, unknown tags', `${'<d>'.repeat(50_000)}text`, true],
    ['HTML, self-closing opens', `${'<d/>'.repeat(50_000)}text`, true],
    ['HTML, inline', `${'<b><i>'.repeat(25_000)}text`, true],
  ] as const)('bounds what the parser builds: %s', (_name, markup, html) => {
    expect(depthOf(limitNesting(markup, { html, maxDepth: 256 }), html)).toBeLessThanOrEqual(256);
  });
});
