// When to check a feed next (pure): its interval with jitter after a success, capped exponential
// backoff after failures, and never before a server's Retry-After for this feed.

export const MAX_BACKOFF_MS = 24 * 60 * 60_000;
/** Longest Retry-After we honour: a server asking for weeks is treated as a week. */
export const MAX_RETRY_AFTER_MS = 7 * 24 * 60 * 60_000;
/** ±10%: spreads feeds that share an interval so they do not all fire on the same tick. */
export const JITTER = 0.1;

export interface NextCheckInput {
  now: Date;
  intervalMinutes: number;
  /** Failures in a row including this one; 0 after a success (or 304). */
  consecutiveFailures: number;
  /** The server's Retry-After (429/503), if any. */
  retryAfter?: Date | null;
  /** A number in [0, 1); injected for tests. */
  random: number;
}

/** Delay after `failures` consecutive failures: interval · 2^(failures−1), capped at 24 h. */
export function backoffMs(intervalMinutes: number, failures: number): number {
  const base = Math.max(1, intervalMinutes) * 60_000;
  if (failures <= 0) return Math.min(base, MAX_BACKOFF_MS);
  const exp = Math.min(failures - 1, 30);
  return Math.min(base * 2 ** exp, MAX_BACKOFF_MS);
}

export function nextCheckAt(input: NextCheckInput): Date {
  const delay = backoffMs(input.intervalMinutes, input.consecutiveFailures);
  const jittered = Math.min(delay * (1 - JITTER + 2 * JITTER * input.random), MAX_BACKOFF_MS);
  let at = input.now.getTime() + Math.max(1000, Math.round(jittered));
  if (input.retryAfter) {
    const honoured = Math.min(input.retryAfter.getTime(), input.now.getTime() + MAX_RETRY_AFTER_MS);
    at = Math.max(at, honoured);
  }
  return new Date(at);
}
