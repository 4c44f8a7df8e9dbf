// When to check a feed next (pure): its interval with jitter after a success, capped exponential
// backoff after failures, and never before a server's Retry-After for this feed. A feed with a cron
// `schedule` is checked at its next cron time instead, and failures skip cron times the same way.
import { nextCronTime } from '../scheduler/cron.ts';

export const MAX_BACKOFF_MS = 24 * 60 * 60_000;
/** Longest Retry-After we honour: a server asking for weeks is treated as a week. */
export const MAX_RETRY_AFTER_MS = 7 * 24 * 60 * 60_000;
/** ±10%: spreads feeds that share an interval so they do not all fire on the same tick. */
export const JITTER = 0.1;

export interface NextCheckInput {
  now: Date;
  intervalMinutes: number;
  /** The feed's cron expression (UTC), if it has one: it replaces the interval and the jitter. */
  schedule?: string | null;
  /** Failures in a row including this one; 0 after a success (or 304). */
  consecutiveFailures: number;
  /** The server's Retry-After (429/503), if any. */
  retryAfter?: Date | null;
  /** A number in [0, 1); injected for tests. */
  random: number;
}

/** Delay after `failures` consecutive failures: interval · 2^(failures−1), capped at 24 h. */
export function backoffMs(intervalMinutes: number, failures: number): number {
  return backoffFromMs(Math.max(1, intervalMinutes) * 60_000, failures);
}

function backoffFromMs(base: number, failures: number): number {
  if (failures <= 0) return Math.min(base, MAX_BACKOFF_MS);
  const exp = Math.min(failures - 1, 30);
  return Math.min(base * 2 ** exp, MAX_BACKOFF_MS);
}

/**
 * The first time `schedule` names after `after`, or null when it names none ahead or is not a cron expression:
 * every way in validates it, but a row edited by hand must not stop the claim of every due feed.
 */
export function nextScheduledTime(schedule: string, after: Date): Date | null {
  try {
    return nextCronTime(schedule, after);
  } catch {
    return null;
  }
}

/**
 * A scheduled feed's next check: the first cron time after `now`; after failures, the first cron time at
 * least `backoff − period` past that one, where the period is the gap to the cron time after it (the
 * schedule's interval there) and the backoff is the interval rule's, period · 2^(failures−1) capped at 24 h:
 * with "*\/5 * * * *" the 1st failure waits for the next time, the 2nd skips one, the 3rd three. Never before
 * a Retry-After (at most a week). No jitter: the schedule names the times. Null when the schedule names
 * no time ahead (the caller then falls back to the interval).
 */
export function scheduledCheckAt(
  schedule: string,
  input: Pick<NextCheckInput, 'now' | 'consecutiveFailures' | 'retryAfter'>,
): Date | null {
  const next = nextScheduledTime(schedule, input.now);
  if (!next) return null;
  let earliest = next.getTime();
  if (input.consecutiveFailures > 0) {
    const period = (nextCronTime(schedule, next)?.getTime() ?? earliest + MAX_BACKOFF_MS) - earliest;
    earliest += Math.max(0, backoffFromMs(period, input.consecutiveFailures) - period);
  }
  if (input.retryAfter)
    earliest = Math.max(earliest, Math.min(input.retryAfter.getTime(), input.now.getTime() + MAX_RETRY_AFTER_MS));
  // The first cron time at or after `earliest`.
  return earliest === next.getTime() ? next : (nextCronTime(schedule, new Date(earliest - 1)) ?? next);
}

export function nextCheckAt(input: NextCheckInput): Date {
  const scheduled = input.schedule ? scheduledCheckAt(input.schedule, input) : null;
  if (scheduled) return scheduled;
  const delay = backoffMs(input.intervalMinutes, input.consecutiveFailures);
  const jittered = Math.min(delay * (1 - JITTER + 2 * JITTER * input.random), MAX_BACKOFF_MS);
  let at = input.now.getTime() + Math.max(1000, Math.round(jittered));
  if (input.retryAfter) {
    const honoured = Math.min(input.retryAfter.getTime(), input.now.getTime() + MAX_RETRY_AFTER_MS);
    at = Math.max(at, honoured);
  }
  return new Date(at);
}
