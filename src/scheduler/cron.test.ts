// Cron expressions in UTC against an injected time: validation names the bad field; the latest scheduled
// minute at or before `now` is found for daily, weekly and stepped schedules.
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { cronProblem, lastCronTime, nextCronTime } from './cron.ts';

describe('cronProblem', () => {
  it.each([
    ['0 8 * * *', null],
    ['*/15 6-18 * * 1-5', null],
    ['0 25 * * *', /^hour: 25 is a invalid expression for hour$/],
    ['0 8 * *', /^expected 5 fields .*; got 4$/],
    ['0 0 8 * * *', /^expected 5 fields .*; got 6$/],
    ['daily', /^expected 5 fields/],
    ['0 0 1 * 1#5', /^it names no time that ever comes/], // the 1st of a month is never its fifth Monday
    ['0 0 29 2 1', null], // 29 February on a Monday: rare, but it comes
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

describe('nextCronTime', () => {
  it.each([
    ['*/5 * * * *', '2031-03-04T10:02:30Z', '2031-03-04T10:05:00.000Z'],
    ['*/5 * * * *', '2031-03-04T10:05:00Z', '2031-03-04T10:10:00.000Z'], // strictly after
    ['*/5 * * * *', '2031-03-04T10:04:59.999Z', '2031-03-04T10:05:00.000Z'],
    ['*/5 * * * *', '2031-12-31T23:58:00Z', '2032-01-01T00:00:00.000Z'],
    ['0 6,18 * * *', '2031-03-04T06:00:00Z', '2031-03-04T18:00:00.000Z'],
    ['0 6,18 * * *', '2031-03-04T18:00:01Z', '2031-03-05T06:00:00.000Z'],
    ['0 6,18 * * *', '2031-03-04T05:59:59Z', '2031-03-04T06:00:00.000Z'],
    ['30 9 * * 1-5', '2031-03-07T09:30:00Z', '2031-03-10T09:30:00.000Z'], // 7 March 2031 is a Friday
    ['0 0 1 * *', '2031-01-15T00:00:00Z', '2031-02-01T00:00:00.000Z'],
    ['0 12 L 2 *', '2031-03-01T00:00:00Z', '2032-02-29T12:00:00.000Z'], // the last day of February, leap year
    ['0 0 29 2 1', '2031-01-01T00:00:00Z', '2044-02-29T00:00:00.000Z'], // the next 29 February on a Monday
    ['15 10 * * *', '2031-03-04T10:14:59Z', '2031-03-04T10:15:00.000Z'],
    ['59 23 * * *', '2031-03-04T23:59:00Z', '2031-03-05T23:59:00.000Z'],
  ])('%s after %s → %s', (expression, after, expected) => {
    expect(nextCronTime(expression, new Date(after))?.toISOString()).toBe(expected);
  });

  it("agrees with node-cron's matcher minute by minute across a week of a mixed schedule", () => {
    // Every time the walk returns matches, and no minute between two returned times does.
    const expression = '*/20 6-8,18 * * 1,3';
    const task = cron.createTask(expression, () => undefined, { timezone: 'Etc/UTC' });
    let at = new Date('2031-03-02T00:00:00Z'); // a Sunday
    const seen: string[] = [];
    for (let i = 0; i < 24; i++) {
      const next = nextCronTime(expression, at)!;
      for (let t = Math.floor(at.getTime() / 60_000) * 60_000 + 60_000; t < next.getTime(); t += 60_000)
        expect(task.match(new Date(t))).toBe(false);
      expect(task.match(next)).toBe(true);
      seen.push(next.toISOString());
      at = next;
    }
    void task.destroy();
    expect(seen.slice(0, 3)).toEqual([
      '2031-03-03T06:00:00.000Z',
      '2031-03-03T06:20:00.000Z',
      '2031-03-03T06:40:00.000Z',
    ]);
    expect(seen.at(-1)).toBe('2031-03-05T18:40:00.000Z'); // Monday's and Wednesday's twelve times each
  });

  it('is null when the look-ahead ends first', () => {
    expect(nextCronTime('0 0 1 1 *', new Date('2031-03-04T00:00:00Z'), 30 * 24 * 60 * 60_000)).toBeNull();
  });
});
