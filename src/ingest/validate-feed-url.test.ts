// Feed URL checks before a feed is stored (CLI and admin API share them): the SSRF list of RELIABILITY.md #34.
import { describe, expect, it } from 'vitest';
import { validateFeedUrl } from './feeds.ts';

const ok = (url: unknown, allowPrivate: boolean) => {
  try {
    validateFeedUrl(url as string, allowPrivate);
    return true;
  } catch {
    return false;
  }
};

describe('validateFeedUrl', () => {
  it('accepts public http(s) URLs and normalises them', () => {
    expect(validateFeedUrl('https://example.org/feed', false)).toBe('https://example.org/feed');
    expect(validateFeedUrl('HTTP://Example.org', false)).toBe('http://example.org/');
  });

  it.each([
    'http://127.0.0.1/',
    'http://[::1]/',
    'http://169.254.169.254/',
    'http://10.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://192.168.1.1/',
    'http://[fd00::1]/',
    'http://localhost/',
    // issue 18, 9: a trailing dot is the same name; IPv6 forms that reach internal IPv4 hosts
    'http://localhost./',
    'http://LOCALHOST.:8080/feed',
    'http://feeds.localhost./',
    'http://[::ffff:0:7f00:1]/',
    'http://[2002:7f00:1::1]/',
    'http://[2002:a9fe:a9fe::]/',
    'http://[64:ff9b:1::a00:1]/',
    'file:///etc/passwd',
    'gopher://example.org/',
    'ftp://example.org/',
    'http://user:pw@example.org/',
  ])('rejects %s', (url) => expect(ok(url, false)).toBe(false));

  it('caps a URL at 2,048 characters, with a message that says so (issue 18, 10)', () => {
    const base = 'https://example.org/';
    expect(ok(base + 'a'.repeat(2048 - base.length), false)).toBe(true);
    expect(() => validateFeedUrl(base + 'a'.repeat(100_000), false)).toThrow(
      /^feed URL too long: 100020 characters \(at most 2048\)/,
    );
  });

  it('allows private addresses only when told to (tests, offline demo)', () => {
    expect(ok('http://127.0.0.1:8080/feed.xml', true)).toBe(true);
    expect(ok('file:///etc/passwd', true)).toBe(false);
  });
});
