// Unit tests for HTML → text: entities decoded once, white space normalised, scripts dropped, article extraction.
import { describe, expect, it } from 'vitest';
import { extractArticleText, htmlToText } from './clean.ts';

describe('htmlToText', () => {
  it.each([
    ['<p>Hello <b>world</b></p><p>again</p>', 'Hello world\nagain'],
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['&amp;lt;script&amp;gt;', '&lt;script&gt;'],
    ['&lt;img src=x onerror=alert(1)&gt;', '<img src=x onerror=alert(1)>'],
    ['  lots   of\n\n spaces\u00a0here ', 'lots of\nspaces here'],
    ['a<script>alert(1)</script>b<style>p{}</style>c', 'abc'],
    ['line<br>break', 'line\nbreak'],
    ['AT&T < 3', 'AT&T < 3'],
    ['', ''],
    ['caf&eacute; &#8212; &#x41;', 'café — A'],
    ['&#128; &#0; &notanentity; R&D', '€ \uFFFD ¬anentity; R&D'], // HTML's legacy &not, as browsers do
    ['AT&amp T &copy 2026', 'AT& T © 2026'],
    ['5 &lt; 6 &amp;&amp; 7 &gt; 3', '5 < 6 && 7 > 3'],
  ])('%j → %j', (html, text) => expect(htmlToText(html)).toBe(text));

  it('caps its output without splitting a surrogate pair', () => {
    expect(htmlToText('a'.repeat(500), 100)).toHaveLength(100);
    expect(htmlToText('x😀y', 2)).toBe('x');
  });
  it('handles 200 KB of &lt; quickly (no quadratic regex)', () => {
    const started = process.hrtime.bigint();
    const text = htmlToText('&lt;'.repeat(50_000) + 'x', 1_000_000);
    expect(text).toBe('<'.repeat(50_000) + 'x');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5_000); // generous: guards against a hang, not a benchmark
  });
});

describe('extractArticleText', () => {
  const filler = 'The talks resumed on Thursday with both delegations present. '.repeat(5);
  it('prefers <article> and drops navigation and scripts', async () => {
    const html = `<html><body><nav>Home | World</nav><article><h1>Talks</h1><p>${filler}</p><script>track()</script></article><footer>© site</footer></body></html>`;
    const text = await extractArticleText(html);
    expect(text.startsWith('Talks\nThe talks resumed')).toBe(true);
    expect(text).not.toMatch(/Home|track|©/);
  });
  it('falls back to the densest block of paragraphs', async () => {
    const html = `<html><body><div class="side"><p>Short teaser</p></div><div class="body"><p>${filler}</p><p>${filler}</p></div></body></html>`;
    const text = await extractArticleText(html);
    expect(text).toContain('The talks resumed');
    expect(text).not.toContain('Short teaser');
  });
  it('returns body text when there is no structure', async () =>
    expect(await extractArticleText('<html><body>Just text</body></html>')).toBe('Just text'));
});
