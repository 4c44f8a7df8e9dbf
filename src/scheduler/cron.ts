// Cron expressions (node-cron's parser and matcher), evaluated in UTC against a given time, never the
// clock: a pack's `alerts.digest_at: "0 8 * * *"` says when daily digests go out, a feed's `schedule:` when
// it is polled. node-cron 4 computes next runs only from the clock (getNextRuns), so the walk is ours.
import cron from 'node-cron';

/** Why `expression` is not a usable cron expression (five fields, minute precision), or null if it is. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * *"; got ${fields.length}`;
  const v = cron.validateDetailed(expression);
  if (!v.valid) return v.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'not a cron expression';
  // Checked from a fixed date, never the clock: 40 years hold every date on every weekday.
  if (nextCronTime(expression, new Date(Date.UTC(2000, 0, 1))) === null)
    return 'it names no time that ever comes (e.g. 30 February; a day of the month and a day of the week must both match)';
  return null;
}

const MINUTE = 60_000;

/**
 * The latest minute at or before `now` that `expression` names (UTC), looking back at most `lookbackMs`
 * (default 8 days, enough for daily and weekly schedules); null when none.
 */
export function lastCronTime(expression: string, now: Date, lookbackMs = 8 * 24 * 60 * MINUTE): Date | null {
  // Hours and minutes the expression allows prune the walk back; node-cron's matcher decides the rest
  // (days of the month and week, months). createTask only builds the matcher: it is never started.
  const { hour, minute } = cron.parse(expression);
  const hours = new Set(hour);
  const minutes = new Set(minute);
  const task = cron.createTask(expression, () => undefined, { timezone: 'Etc/UTC' });
  try {
    const end = now.getTime() - lookbackMs;
    let t = Math.floor(now.getTime() / MINUTE) * MINUTE;
    while (t >= end) {
      const at = new Date(t);
      if (!hours.has(at.getUTCHours()))
        t -= (at.getUTCMinutes() + 1) * MINUTE; // to the previous hour's :59
      else if (minutes.has(at.getUTCMinutes()) && task.match(at)) return at;
      else t -= MINUTE;
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/** How far ahead `nextCronTime` looks by default: long enough for 29 February on a given weekday. */
export const CRON_HORIZON_MS = 40 * 366 * 24 * 60 * MINUTE;

/**
 * The first minute strictly after `after` that `expression` names (UTC), looking ahead at most `horizonMs`
 * (default 40 years); null when none ("0 0 30 2 *" never comes). E.g. "*\/5 * * * *" after 10:02:30 → 10:05.
 */
export function nextCronTime(expression: string, after: Date, horizonMs = CRON_HORIZON_MS): Date | null {
  // Months, hours and minutes the expression allows are walked directly; node-cron's matcher decides the day
  // (day of the month and of the week, L, W, #), which does not depend on the time of day, so the first allowed
  // time of a day that matches is the answer.
  const { months, hours, minutes, match } = compiled(expression);
  const start = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const end = after.getTime() + horizonMs;
  const first = new Date(start);
  let day = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  let from = first.getUTCHours() * 60 + first.getUTCMinutes(); // minutes into the day not to go below
  while (day <= end) {
    const d = new Date(day);
    if (!months.has(d.getUTCMonth() + 1)) {
      day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); // the first of the next month
    } else {
      const at = firstTimeOfDay(hours, minutes, from);
      const t = at === null ? null : day + at * MINUTE;
      if (t !== null && match(new Date(t))) return t <= end ? new Date(t) : null;
      day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    }
    from = 0;
  }
  return null;
}

interface Compiled {
  months: ReadonlySet<number>;
  hours: readonly number[];
  minutes: readonly number[];
  match: (at: Date) => boolean;
  destroy: () => void;
}

/**
 * Compiled expressions, the most recent MAX_COMPILED kept: every poll and claim of a scheduled feed asks for its
 * next time, and building node-cron's matcher (createTask: never started) costs ~20 times one match.
 */
const cache = new Map<string, Compiled>();
const MAX_COMPILED = 64;

function compiled(expression: string): Compiled {
  const hit = cache.get(expression);
  if (hit) return hit;
  const { month, hour, minute } = cron.parse(expression);
  const task = cron.createTask(expression, () => undefined, { timezone: 'Etc/UTC' });
  const c: Compiled = {
    months: new Set(month),
    hours: [...hour].sort((a, b) => a - b),
    minutes: [...minute].sort((a, b) => a - b),
    match: (at) => task.match(at),
    destroy: () => void task.destroy(),
  };
  if (cache.size >= MAX_COMPILED) {
    const [oldest, old] = cache.entries().next().value!;
    cache.delete(oldest);
    old.destroy();
  }
  cache.set(expression, c);
  return c;
}

/** The first allowed hour:minute (as minutes into the day) at or after `from`, or null. */
function firstTimeOfDay(hours: readonly number[], minutes: readonly number[], from: number): number | null {
  for (const h of hours) {
    if ((h + 1) * 60 <= from) continue;
    for (const m of minutes) if (h * 60 + m >= from) return h * 60 + m;
  }
  return null;
}
