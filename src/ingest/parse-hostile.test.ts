// Regression tests for issue 18's parser probes: broken markup built to make parsing quadratic (or
// worse) must be read within a budget the code enforces itself, and a feed with nothing
// recoverable is an error. Each probe is sized so the code before the fix overran the budget.
import { afterAll, describe, expect, it } from 'vitest';
import { isIngestError } from './errors.ts';
import { ParsePool } from './parse-pool.ts';
import { parseFeed } from './parse.ts';
import { rootName } from './parse-repair.ts';

const fetchedAt = new Date('2026-11-21T12:00:00.000Z');
const HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>';
const item = (inner: string) => `<item><title>a</title><guid>g</guid>${inner}</item>`;
/** Generous: the fixed code reads each probe in well under a second; before the fix each took minutes. */
const BUDGET_MS = 15_000;

const pool = new ParsePool({ size: 2 });
afterAll(() => pool.close());
const read = (text: string) => pool.read(text, { fetchedAt, maxItems: 1000, budgetMs: BUDGET_MS });

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isIngestError(e)) throw new Error(`expected an IngestError, got ${String(e)}`);
  return e;
}

describe('unclosed nesting (issue 18, probe 1)', () => {
  it('2.4 MB of unclosed <d> in a description is read within the budget, and the item is kept', async () => {
    const feed = await read(HEAD + item(`<description>news ${'<d>'.repeat(800_000)}</description>`));
    expect(feed.items.map((i) => [i.guid, i.title])).toEqual([['g', 'a']]);
    expect(feed.items[0]!.summary.startsWith('news')).toBe(true);
  });

  it('unmatched closing tags against a deep stack are read within the budget', async () => {
    const feed = await read(HEAD + item(`<description>x${'<d>'.repeat(200_000)}${'</z>'.repeat(200_000)}`));
    expect(feed.items).toHaveLength(1);
  });

  it('deeply nested HTML inside a well-formed feed keeps the feed and its text', async () => {
    // Escaped markup: the XML is fine, the HTML inside the content is 20,000 elements deep.
    const deep = `&lt;p&gt;body ${'&lt;d&gt;'.repeat(20_000)}end`;
    const feed = await read(
      HEAD + item(`<description>lede</description><content:encoded>${deep}</content:encoded>`) + '</channel></rss>',
    );
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.text).toBe('body end');
  });

  it('deeply nested inline tags with unmatched closes take the parser path within the budget', async () => {
    const html = `${'&lt;b&gt;'.repeat(30_000)}x${'&lt;/i&gt;'.repeat(30_000)}`;
    const feed = await read(
      HEAD + item(`<description>lede</description><content:encoded>${html}</content:encoded>`) + '</channel></rss>',
    );
    expect(feed.items[0]!.text).toBe('x');
  });
});

describe('comments that never end (issue 18, probe 2)', () => {
  it('1.2 MB of unterminated <!-- is read within the budget', async () => {
    const feed = await read(HEAD + item(`<description>${'<!--'.repeat(300_000)}</description>`));
    expect(feed.items.map((i) => i.title)).toEqual(['a']);
  });

  it('rootName scans the prolog only once, whatever follows', () => {
    expect(rootName(`${'<!--'.repeat(30_000)}`)).toBeNull();
    expect(rootName(`<!-- a --><?pi x?><!DOCTYPE rss [<!ENTITY e "v">]><rss>${'<!--'.repeat(30_000)}`)).toBe('rss');
    expect(rootName(`${'<?x '.repeat(30_000)}`)).toBeNull();
    expect(rootName(`${'<!DOCTYPE ['.repeat(30_000)}`)).toBeNull();
  });

  it('a run of comments before the root is read within the budget (no exponential HTML sniffing)', async () => {
    const feed = await read('<!--a-->'.repeat(60) + HEAD + item('') + '</channel></rss>');
    expect(feed.items).toHaveLength(1);
  });
});

describe('nothing recovered is an error (issue 18, probe 1)', () => {
  it('a broken feed whose items cannot be recovered fails instead of reporting 0 items', async () => {
    const e = await failure(parseFeed(`${HEAD}<description>cut off`, { fetchedAt }));
    expect(e.code).toBe('parse_error');
    expect(e.message).toMatch(/^malformed XML and no item could be recovered: /);
  });

  it('a well-formed feed with no items is still fine', async () => {
    expect((await parseFeed(`${HEAD}</channel></rss>`, { fetchedAt })).items).toEqual([]);
  });
});
