// Unit tests for the SSRF guard: which addresses are internal, and that resolution refuses them unless allowed.
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isIngestError } from '../errors.ts';
import { isBlockedAddress, pinnedLookup, resolveChecked } from './address-guard.ts';
import { parseFeedUrl } from './fetch-feed.ts';

function stubLookup(answers: string[]): LookupFunction {
  return ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
    cb(
      null,
      answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    )) as unknown as LookupFunction;
}

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '169.254.169.254',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    '224.0.0.1',
    'ff02::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '255.255.255.255',
    'not-an-ip',
    // issue 18, 9: IPv4-translated (::ffff:0:0:0/96), 6to4 of internal addresses, local-use NAT64
    '::ffff:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '::ffff:0:a00:1',
    '2002:7f00:1::1',
    '2002:a00:1::',
    '2002:c0a8:101::1',
    '2002:a9fe:a9fe::',
    '64:ff9b:1::a00:1',
    '64:ff9b:1:ffff::7f00:1',
    '64:ff9b::a9fe:a9fe',
  ])('refuses %s', (ip) => expect(isBlockedAddress(ip)).toBe(true));
  it.each(['93.184.216.34', '1.1.1.1', '2606:4700::1111', '8.8.8.8', '2002:808:808::1', '2001:db8::1'])(
    'allows %s',
    (ip) => expect(isBlockedAddress(ip)).toBe(false),
  );
});

describe('URL forms that smuggle loopback', () => {
  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[::1]:8080/feed', '::1'],
  ])('%s is refused before any lookup', async (url, ip) => {
    const err = await resolveChecked(parseFeedUrl(url).hostname, {
      allowPrivate: false,
      lookup: stubLookup(['93.184.216.34']),
    }).catch((e) => e);
    expect(isIngestError(err) && err.code).toBe('blocked_address');
    expect(String(err.message)).toContain(ip);
  });

  it.each(['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'ftp://example.com/feed', 'not a url'])(
    '%s is a bad_url',
    (url) => {
      try {
        parseFeedUrl(url);
        expect.unreachable();
      } catch (e) {
        expect(isIngestError(e) && e.code).toBe('bad_url');
      }
    },
  );
});

describe('resolveChecked', () => {
  it('refuses a name if any of its addresses is internal', async () => {
    const err = await resolveChecked('feeds.example', {
      allowPrivate: false,
      lookup: stubLookup(['93.184.216.34', '10.1.1.1']),
    }).catch((e) => e);
    expect(err.code).toBe('blocked_address');
  });
  it('returns the first address of a public name, and anything when private addresses are allowed', async () => {
    expect(
      await resolveChecked('feeds.example', { allowPrivate: false, lookup: stubLookup(['93.184.216.34']) }),
    ).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await resolveChecked('feeds.example', { allowPrivate: true, lookup: stubLookup(['127.0.0.1']) })).toEqual({
      address: '127.0.0.1',
      family: 4,
    });
  });
  it('maps a lookup failure to dns', async () => {
    const failing = ((_h: string, _o: unknown, cb: (e: NodeJS.ErrnoException) => void) =>
      cb(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }))) as unknown as LookupFunction;
    const err = await resolveChecked('nope.example', { allowPrivate: false, lookup: failing }).catch((e) => e);
    expect(err.code).toBe('dns');
    expect(err.message).toContain('ENOTFOUND');
  });
  it('pinnedLookup answers with the pinned address in both callback styles', () => {
    const lookup = pinnedLookup({ address: '93.184.216.34', family: 4 }) as unknown as (
      h: string,
      o: object,
      cb: (...a: unknown[]) => void,
    ) => void;
    lookup('evil.example', { all: true }, (...args) =>
      expect(args).toEqual([null, [{ address: '93.184.216.34', family: 4 }]]),
    );
    lookup('evil.example', {}, (...args) => expect(args).toEqual([null, '93.184.216.34', 4]));
  });
});
