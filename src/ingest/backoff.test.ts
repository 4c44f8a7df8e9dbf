import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, backoffMs, nextCheckAt } from './backoff.ts';

const now = new Date('2026-11-21T12:00:00.000Z');
const min = 60_000;

describe('backoffMs', () => {
  it.each([
    [0, 15 * min],
    [1, 15 * min],
    [2, 30 * min],
    [3, 60 * min],
    [7, 16 * 60 * min],
    [8, MAX_BACKOFF_MS],
    [50, MAX_BACKOFF_MS],
    [10_000, MAX_BACKOFF_MS],
  ])('after %i failures waits %i ms (15 min interval)', (failures, expected) => {
    expect(backoffMs(15, failures)).toBe(expected);
  });
  it('a daily feed never exceeds the 24 h cap', () => {
    expect(backoffMs(48 * 60, 0)).toBe(MAX_BACKOFF_MS);
  });
});

describe('nextCheckAt', () => {
  it('applies ±10% jitter around the interval', () => {
    const lo = nextCheckAt({ now, intervalMinutes: 15, consecutiveFailures: 0, random: 0 });
    const hi = nextCheckAt({ now, intervalMinutes: 15, consecutiveFailures: 0, random: 0.999999 });
    expect(lo.getTime() - now.getTime()).toBe(13.5 * min);
    expect(hi.getTime() - now.getTime()).toBeCloseTo(16.5 * min, -2);
  });
  it('is capped at 24 h even with jitter, however many failures', () => {
    for (const failures of [9, 20, 1000]) {
      const at = nextCheckAt({ now, intervalMinutes: 15, consecutiveFailures: failures, random: 0.999 });
      expect(at.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    }
  });
  it('honours Retry-After when it is later than the backoff', () => {
    const retryAfter = new Date(now.getTime() + 2 * 60 * min);
    expect(nextCheckAt({ now, intervalMinutes: 15, consecutiveFailures: 1, retryAfter, random: 0.5 })).toEqual(
      retryAfter,
    );
  });
  it('ignores a Retry-After earlier than the backoff', () => {
    const retryAfter = new Date(now.getTime() + 10_000);
    const at = nextCheckAt({ now, intervalMinutes: 15, consecutiveFailures: 1, retryAfter, random: 0.5 });
    expect(at.getTime() - now.getTime()).toBe(15 * min);
  });
  it('caps an absurd Retry-After at a week', () => {
    const retryAfter = new Date(now.getTime() + 365 * 24 * 60 * min);
    const at = nextCheckAt({ now, intervalMinutes: 15, consecutiveFailures: 1, retryAfter, random: 0.5 });
    expect(at.getTime() - now.getTime()).toBe(7 * 24 * 60 * min);
  });
});

describe('nextCheckAt with a cron schedule (UTC)', () => {
  // 2031-03-04 is a Tuesday; `now` is a moment after a poll.
  const at = (iso: string) => new Date(iso);
  const next = (schedule: string, now: string, consecutiveFailures = 0, retryAfter: Date | null = null) =>
    nextCheckAt({
      now: at(now),
      intervalMinutes: 15,
      schedule,
      consecutiveFailures,
      retryAfter,
      random: 0.999,
    }).toISOString();

  it.each([
    ['*/5 * * * *', '2031-03-04T10:02:30Z', '2031-03-04T10:05:00.000Z'],
    ['*/5 * * * *', '2031-03-04T10:05:00Z', '2031-03-04T10:10:00.000Z'],
    ['0 6,18 * * *', '2031-03-04T06:00:04Z', '2031-03-04T18:00:00.000Z'],
    ['0 6,18 * * *', '2031-03-04T19:30:00Z', '2031-03-05T06:00:00.000Z'],
  ])('%s polled at %s is next due at %s: the next cron time, no jitter', (schedule, now, expected) => {
    expect(next(schedule, now)).toBe(expected);
  });

  it.each([
    [1, '2031-03-04T10:05:00.000Z'], // the next cron time, as after a success
    [2, '2031-03-04T10:10:00.000Z'], // one skipped (the interval rule's 2 × period)
    [3, '2031-03-04T10:20:00.000Z'], // 4 × period
    [5, '2031-03-04T11:20:00.000Z'], // 16 × period
    [9, '2031-03-05T07:20:00.000Z'], // 256 × period
    [10, '2031-03-05T10:00:00.000Z'], // capped at 24 h: the cron time 24 h after the first failure's
    [1000, '2031-03-05T10:00:00.000Z'],
  ])('"*/5 * * * *" after %i failures in a row waits for %s', (failures, expected) => {
    expect(next('*/5 * * * *', '2031-03-04T10:00:03Z', failures)).toBe(expected);
  });

  it('a twice-daily feed backs off by whole cron times: 12 h, 24 h, then 24 h at most', () => {
    expect(next('0 6,18 * * *', '2031-03-04T06:00:03Z', 1)).toBe('2031-03-04T18:00:00.000Z');
    expect(next('0 6,18 * * *', '2031-03-04T06:00:03Z', 2)).toBe('2031-03-05T06:00:00.000Z');
    expect(next('0 6,18 * * *', '2031-03-04T06:00:03Z', 6)).toBe('2031-03-05T06:00:00.000Z');
  });

  it('never before a Retry-After: the first cron time at or after it, capped at a week', () => {
    expect(next('*/5 * * * *', '2031-03-04T10:00:03Z', 1, at('2031-03-04T10:42:10Z'))).toBe('2031-03-04T10:45:00.000Z');
    expect(next('*/5 * * * *', '2031-03-04T10:00:03Z', 1, at('2031-03-04T10:45:00Z'))).toBe('2031-03-04T10:45:00.000Z');
    expect(next('0 6 * * *', '2031-03-04T06:00:03Z', 1, at('2032-01-01T00:00:00Z'))).toBe('2031-03-12T06:00:00.000Z');
  });

  it('without a schedule the interval and its jitter apply as before', () => {
    const now = at('2031-03-04T10:00:03Z');
    for (const schedule of [null, undefined, '']) {
      const lo = nextCheckAt({ now, intervalMinutes: 15, schedule, consecutiveFailures: 0, random: 0 });
      expect(lo.getTime() - now.getTime()).toBe(13.5 * min);
    }
  });
});
