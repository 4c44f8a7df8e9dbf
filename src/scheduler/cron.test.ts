// Cron expressions in UTC against an injected time: validation names the bad field; the latest scheduled
// minute at or before `now` is found for daily, weekly and stepped schedules.
import { describe, expect, it } from 'vitest';
import { cronProblem, lastCronTime } from './cron.ts';

describe('cronProblem', () => {
  it.each([
    ['0 8 * * *', null],
    ['*/15 6-18 * * 1-5', null],
    ['0 25 * * *', /^hour: 25 is a invalid expression for hour$/],
    ['0 8 * *', /^expected 5 fields .*; got 4$/],
    ['0 0 8 * * *', /^expected 5 fields .*; got 6$/],
    ['daily', /^expected 5 fields/],
  ])('%s', (expression, expected) => {
    const problem = cronProblem(expression);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('lastCronTime', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['0 8 * * *', '2026-11-20T07:59:59Z', '2026-11-19T08:00:00.000Z'],
    ['0 8 * * *', '2026-11-20T08:00:00Z', '2026-11-20T08:00:00.000Z'],
    ['0 8 * * *', '2026-11-20T23:10:00Z', '2026-11-20T08:00:00.000Z'],
    ['30 6 * * 1', '2026-11-20T12:00:00Z', '2026-11-16T06:30:00.000Z'], // the Monday before (20 Nov is a Friday)
    ['*/15 9 * * *', '2026-11-20T09:44:00Z', '2026-11-20T09:30:00.000Z'],
    ['0 0 1 1 *', '2026-11-20T00:00:00Z', null], // 1 January lies beyond the default 8-day look-back
  ])('%s at %s → %s', (expression, now, expected) => {
    expect(lastCronTime(expression, at(now))?.toISOString() ?? null).toBe(expected);
  });
});
