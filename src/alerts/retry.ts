// Retry timing for outbox rows as pure functions: capped exponential backoff.
import type { DeliveryErrorCode } from './channels/email.ts';

export const MAX_ATTEMPTS = 12;
const BASE_MS = 60_000;
const CAP_MS = 6 * 3_600_000;
/** Rejected credentials will not fix themselves in a minute: wait at least this long. */
const AUTH_MIN_MS = 30 * 60_000;

/** Delay before the next attempt after `attempts` failed ones (1 → 1 min, 2 → 2 min, … capped at 6 h). */
export function retryDelayMs(attempts: number, code: DeliveryErrorCode): number {
  const exp = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  return code === 'auth' ? Math.max(AUTH_MIN_MS, exp) : exp;
}

/** The Message-ID domain: the host of BASE_URL. */
export function messageHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
