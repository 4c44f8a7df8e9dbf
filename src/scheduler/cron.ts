// Cron expressions (node-cron's parser and matcher), evaluated in UTC against a given time, never the
// clock: a pack's `alerts.digest_at: "0 8 * * *"` says when daily digests go out.
import cron from 'node-cron';

/** Why `expression` is not a usable cron expression (five fields, minute precision), or null if it is. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * *"; got ${fields.length}`;
  const v = cron.validateDetailed(expression);
  if (v.valid) return null;
  return v.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'not a cron expression';
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
