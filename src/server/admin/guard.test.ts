// Unit tests for the admin token comparison and feed URL validation.
import { describe, expect, it } from 'vitest';
import { tokensEqual } from './guard.ts';
import { validateFeedUrl } from './validate.ts';

describe('tokensEqual', () => {
  it.each([
    ['secret-token-123456', 'secret-token-123456', true],
    ['secret-token-123457', 'secret-token-123456', false],
    ['short', 'secret-token-123456', false],
    ['', 'secret-token-123456', false],
    ['secret-token-123456-and-more', 'secret-token-123456', false],
  ])('%s vs %s → %s', (a, b, want) => expect(tokensEqual(a, b)).toBe(want));
});

describe('validateFeedUrl', () => {
  it('accepts public http(s) URLs and normalises them', () => {
    expect(validateFeedUrl('https://example.org/feed', false)).toEqual({ ok: true, url: 'https://example.org/feed' });
    expect(validateFeedUrl('HTTP://Example.org', false)).toEqual({ ok: true, url: 'http://example.org/' });
  });

  it.each(['http://127.0.0.1/', 'http://[::1]/', 'http://169.254.169.254/', 'http://10.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://[::ffff:127.0.0.1]/', 'http://192.168.1.1/', 'http://[fd00::1]/', 'http://localhost/', 'file:///etc/passwd', 'gopher://example.org/', 'ftp://example.org/', 'http://user:pw@example.org/', 42])(
    'rejects %s',
    (url) => expect(validateFeedUrl(url, false).ok).toBe(false),
  );

  it('allows private addresses only when told to (tests, offline demo)', () => {
    expect(validateFeedUrl('http://127.0.0.1:8080/feed.xml', true).ok).toBe(true);
    expect(validateFeedUrl('file:///etc/passwd', true).ok).toBe(false);
  });
});
