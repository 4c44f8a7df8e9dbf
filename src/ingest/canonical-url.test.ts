import { describe, expect, it } from 'vitest';
import { canonicalUrl } from './canonical-url.ts';

describe('canonicalUrl', () => {
  it.each([
    ['HTTP://Example.COM/Path?b=2&a=1', 'http://example.com/Path?a=1&b=2'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['http://example.com:8080/a', 'http://example.com:8080/a'],
    ['https://example.com/a?utm_source=x&utm_medium=y&id=7#section', 'https://example.com/a?id=7'],
    ['https://example.com/a?fbclid=abc', 'https://example.com/a'],
    ['https://example.com/a?GCLID=abc&x=1', 'https://example.com/a?x=1'],
    ['https://user:pw@example.com/a', 'https://example.com/a'],
    ['https://example.com./a', 'https://example.com/a'],
    ['  https://example.com/a  ', 'https://example.com/a'],
  ])('%s → %s', (raw, expected) => {
    expect(canonicalUrl(raw)).toBe(expected);
  });

  it('resolves relative links against the feed URL', () => {
    expect(canonicalUrl('/news/1?utm_campaign=z', 'https://Site.example/feed.xml')).toBe('https://site.example/news/1');
  });

  it('rejects non-http schemes and garbage', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('mailto:a@b.c')).toBeNull();
    expect(canonicalUrl('not a url')).toBeNull();
    expect(canonicalUrl('')).toBeNull();
    expect(canonicalUrl(null)).toBeNull();
  });

  it('is idempotent', () => {
    const once = canonicalUrl('HTTPS://A.example:443/x?utm_x=1&b=2&a=1#f');
    expect(canonicalUrl(once)).toBe(once);
  });
});
