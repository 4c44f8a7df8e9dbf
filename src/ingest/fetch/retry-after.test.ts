// Unit tests for Retry-After parsing (RFC 9110 §10.2.3): seconds, HTTP-date, garbage.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.ts';

const now = new Date('2026-11-21T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => expect(parseRetryAfter('120', now)?.toISOString()).toBe('2026-11-21T12:02:00.000Z'));
  it('reads an HTTP-date', () =>
    expect(parseRetryAfter('Sat, 21 Nov 2026 13:30:00 GMT', now)?.toISOString()).toBe('2026-11-21T13:30:00.000Z'));
  it('clamps a date in the past to now', () =>
    expect(parseRetryAfter('Sat, 21 Nov 2026 11:00:00 GMT', now)?.toISOString()).toBe(now.toISOString()));
  it('takes the first of repeated headers', () =>
    expect(parseRetryAfter(['5', '60'], now)?.getTime()).toBe(now.getTime() + 5000));
  it.each([undefined, null, '', '  ', 'soon', '-5', '1.5', '99999999999999999999'])('ignores %j', (v) =>
    expect(parseRetryAfter(v, now)).toBeNull(),
  );
});
