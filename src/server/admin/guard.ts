// Admin gate: off without a token (404), same-origin only, constant-time bearer check against labelled tokens, failure rate limit.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors.ts';

export interface AdminToken {
  label: string;
  token: string;
}

export interface GuardOptions {
  tokens: readonly AdminToken[];
  /** Failed attempts per client within `windowMs` before every request from it gets 429. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
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

export function adminGuard(options: GuardOptions): MiddlewareHandler {
  const max = options.maxFailures ?? 100;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const clock = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  return async (c, next) => {
    if (options.tokens.length === 0)
      throw new ApiError(404, 'admin_disabled', 'admin API is off: set ADMIN_TOKEN to enable it');
    if (isCrossOrigin(c)) throw new ApiError(403, 'cross_origin', 'cross-origin requests to the admin API are refused');
    const key = clientKey(c);
    const t = clock();
    const recent = (failures.get(key) ?? []).filter((at) => t - at < windowMs);
    failures.set(key, recent);
    if (recent.length >= max) {
      throw new ApiError(429, 'rate_limited', 'too many failed attempts; try again later', {
        'Retry-After': String(Math.ceil((recent[0]! + windowMs - t) / 1000)),
      });
    }
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '');
    const match = m ? matchToken(m[1]!.trim(), options.tokens) : null;
    if (!match) {
      recent.push(t);
      throw new ApiError(401, 'unauthorized', 'missing or wrong bearer token', {
        'WWW-Authenticate': 'Bearer realm="bellwether-admin"',
      });
    }
    c.set('adminLabel' as never, match.label as never);
    await next();
  };
}
