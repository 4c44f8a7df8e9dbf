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
