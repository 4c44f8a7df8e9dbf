// Admin gate: off without a token (404), same-origin only, constant-time bearer check against labelled tokens;
// failed attempts are throttled (per address and globally) and logged, a valid token always gets through.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../../logger.ts';
import { ApiError } from '../http/errors.ts';

export interface AdminToken {
  label: string;
  token: string;
}

export interface GuardOptions {
  tokens: readonly AdminToken[];
  /** Failed attempts from one address within `windowMs` after which its failures get 429 instead of 401. */
  maxFailures?: number;
  /** The same, counted over every address (a spread-out guesser, or every client behind one proxy). */
  maxGlobalFailures?: number;
  windowMs?: number;
  now?: () => number;
  log?: Logger;
}

/** Compares secrets in constant time whatever their lengths (both are hashed to 32 bytes first). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** Browsers tell us where a request came from: refuse anything cross-site (CSRF), whatever its credentials. */
export function isCrossOrigin(c: Context): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site && site !== 'same-origin' && site !== 'none') return true;
  const origin = c.req.header('Origin');
  if (!origin) return false;
  return origin !== new URL(c.req.url).origin;
}

function clientKey(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** The label of the token that authorised this request (set by adminGuard), recorded with what it changes. */
export function adminLabel(c: Context): string {
  return (c.get('adminLabel' as never) as string | undefined) ?? 'admin';
}

/** Every token is compared (constant time each), so the time taken does not tell which one matched. */
function matchToken(given: string, tokens: readonly AdminToken[]): AdminToken | null {
  let found: AdminToken | null = null;
  for (const t of tokens) if (tokensEqual(given, t.token) && !found) found = t;
  return found;
}

/** Failure times in a sliding window, per key; keys whose failures all expired are dropped. */
class FailureWindow {
  private readonly byKey = new Map<string, number[]>();
  constructor(private readonly windowMs: number) {}

  recent(key: string, t: number): number[] {
    const kept = (this.byKey.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (kept.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, kept);
    return kept;
  }

  add(key: string, t: number): number {
    const list = this.recent(key, t);
    list.push(t);
    this.byKey.set(key, list);
    // Bound memory against many addresses: prune expired keys once the map grows.
    if (this.byKey.size > 10_000) for (const k of [...this.byKey.keys()]) this.recent(k, t);
    return list.length;
  }

  retryAfterSeconds(key: string, t: number): number {
    const first = this.recent(key, t)[0] ?? t;
    return Math.max(1, Math.ceil((first + this.windowMs - t) / 1000));
  }
}

/**
 * A valid token is checked first and always gets through: throttling only ever answers a *failed*
 * attempt (429 instead of 401), so a flood of bad guesses, from one address or from many, never locks
 * the admin out (behind a proxy every client shares one address). Tokens are long random strings
 * (ADMIN_TOKEN: 16+ characters), so the throttle bounds noise and log volume, not guessing odds.
 */
export function adminGuard(options: GuardOptions): MiddlewareHandler {
  const max = options.maxFailures ?? 100;
  const maxGlobal = options.maxGlobalFailures ?? 1000;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const clock = options.now ?? Date.now;
  const failures = new FailureWindow(windowMs);
  const throttledLogged = new FailureWindow(windowMs);
  const GLOBAL = '*';
  return async (c, next) => {
    if (options.tokens.length === 0)
      throw new ApiError(404, 'admin_disabled', 'admin API is off: set ADMIN_TOKEN to enable it');
    if (isCrossOrigin(c)) throw new ApiError(403, 'cross_origin', 'cross-origin requests to the admin API are refused');
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '');
    const match = m ? matchToken(m[1]!.trim(), options.tokens) : null;
    if (match) {
      c.set('adminLabel' as never, match.label as never);
      await next();
      return;
    }
    const key = clientKey(c);
    const t = clock();
    const mine = failures.recent(key, t).length;
    const all = failures.recent(GLOBAL, t).length;
    if (mine >= max || all >= maxGlobal) {
      const scope = mine >= max ? key : GLOBAL;
      // One line per throttled scope per window, not one per refused request.
      if (throttledLogged.recent(scope, t).length === 0) {
        throttledLogged.add(scope, t);
        options.log?.warn('admin authentication throttled', {
          address: key,
          scope: scope === GLOBAL ? 'global' : 'address',
          failures: scope === GLOBAL ? all : mine,
        });
      }
      throw new ApiError(429, 'rate_limited', 'too many failed attempts; try again later', {
        'Retry-After': String(failures.retryAfterSeconds(scope, t)),
      });
    }
    const count = failures.add(key, t);
    failures.add(GLOBAL, t);
    options.log?.warn('admin authentication failed', {
      address: key,
      failures: count,
      reason: m ? 'wrong token' : 'no bearer token',
    });
    throw new ApiError(401, 'unauthorized', 'missing or wrong bearer token', {
      'WWW-Authenticate': 'Bearer realm="bellwether-admin"',
    });
  };
}
