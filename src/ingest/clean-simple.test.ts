// Property test: htmlToText's markup fast path (clean-simple.ts) gives exactly what cheerio gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText, htmlToTextWithParser } from './clean.ts';

const TAGS = [
  'p',
  'b',
  'i',
  'a',
  'em',
  'strong',
  'span',
  'div',
  'li',
  'ul',
  'ol',
  'br',
  'hr',
  'img',
  'td',
  'tr',
  'table',
  'h2',
  'dd',
  'dt',
  'dl',
  'blockquote',
  'pre',
  'code',
  'P',
  'Br',
  'script',
  'style',
  'textarea',
  'title',
  'svg',
  'font',
  'select',
  'option',
];
const ATTRS = [
  '',
  ' href="https://x.example/?a=1&amp;b=2"',
  " class='lede'",
  ' data-x=1',
  ' hidden',
  ' title="a > b"',
  ' alt=""',
  ' x=`y`',
];
const TEXT = [
  'Kyiv',
  ' talks ',
  'ceasefire',
  '\n',
  '  ',
  '\u00a0',
  '&amp;',
  '&lt;',
  '&gt;',
  '&#233;',
  '&#x41;',
  '&eacute;',
  '&nbsp;',
  '&amp',
  '&copy 2026',
  '&#128;',
  '&notanentity;',
  'AT&T',
  ' < ',
  '<',
  '>',
  '<!-- c -->',
  '<![CDATA[x]]>',
  '\r\n',
  'é',
  '😀',
];

const token = fc.oneof(
  fc.constantFrom(...TEXT),
  fc
    .tuple(fc.constantFrom(...TAGS), fc.constantFrom(...ATTRS), fc.constantFrom('', '/', ' /'))
    .map(([t, a, s]) => `<${t}${a}${s}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t} >`),
);

describe('htmlToText fast path', () => {
  it('matches the cheerio path on generated fragments', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (parts) => {
        const html = parts.join('');
        expect(htmlToText(html)).toBe(htmlToTextWithParser(html));
      }),
      { numRuns: 4000 },
    );
  });

  it.each([
    '<p>a<li>b</li>c</li>d</p>',
    '<li>a<li>b</li>c</li>d',
    '<p>a<div>b</div>c</p>d',
    'a</div>b</p>c</br>d',
    '<ul><li>one<li>two</ul>after',
    '<table><tr><td>a<td>b<tr><td>c</table>',
    '<dl><dt>t<dd>d<dt>u</dl>',
  ])('implied closes: %j', (html) => expect(htmlToText(html)).toBe(htmlToTextWithParser(html)));
});
