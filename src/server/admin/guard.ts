// Admin gate: off without a token (404), same-origin only, constant-time bearer check against labelled tokens;
// failed attempts are throttled (per address and globally, counted in the database so every instance shares
// them) and logged; a valid token always gets through.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Logger } from '../../logger.ts';
import { ApiError } from '../http/errors.ts';

export interface AdminToken {
  label: string;
  token: string;
}

export interface GuardOptions {
  tokens: readonly AdminToken[];
  /** Where failed attempts are counted (shared by every instance on this database). */
  db: Kysely<Database>;
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

/** Failure times in a sliding window, per key, in memory (only to log a throttled scope once per window). */
class FailureWindow {
  private readonly byKey = new Map<string, number[]>();
  constructor(private readonly windowMs: number) {}

  recent(key: string, t: number): number[] {
    const kept = (this.byKey.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (kept.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, kept);
    return kept;
  }

  add(key: string, t: number): void {
    this.byKey.set(key, [...this.recent(key, t), t]);
  }
}

/**
 * Failed attempts in the database (admin_auth_failures), so every web instance counts the same failures:
 * a guesser spread over two instances behind a balancer meets one limit. Rows older than the window are
 * pruned as new ones arrive; a throttled attempt is not recorded, so the table stays near the limits.
 */
class SharedFailures {
  private added = 0;
  constructor(
    private readonly db: Kysely<Database>,
    private readonly windowMs: number,
  ) {}

  private cutoff(t: number): string {
    return new Date(t - this.windowMs).toISOString();
  }

  /** How many failures `scope` has in the window, and when the oldest of them was. */
  async recent(scope: string, t: number): Promise<{ count: number; first: number | null }> {
    const row = await this.db
      .selectFrom('admin_auth_failures')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('first')])
      .where('scope', '=', scope)
      .where('at', '>', this.cutoff(t))
      .executeTakeFirst();
    return { count: Number(row?.n ?? 0), first: row?.first ? Date.parse(row.first) : null };
  }

  /** Records one failure for `scope` and for every address ('*'); returns the scope's count in the window. */
  async add(scope: string, t: number, before: number): Promise<number> {
    const at = new Date(t).toISOString();
    // One statement (atomic on both databases); expired rows are pruned every 100th failure of this process.
    await this.db
      .insertInto('admin_auth_failures')
      .values([
        { scope, at },
        { scope: GLOBAL, at },
      ])
      .execute();
    if (++this.added % 100 === 0)
      await this.db.deleteFrom('admin_auth_failures').where('at', '<=', this.cutoff(t)).execute();
    return before + 1;
  }

  async retryAfterSeconds(scope: string, t: number): Promise<number> {
    const first = (await this.recent(scope, t)).first ?? t;
    return Math.max(1, Math.ceil((first + this.windowMs - t) / 1000));
  }
}

const GLOBAL = '*';

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
  const failures = new SharedFailures(options.db, windowMs);
  const throttledLogged = new FailureWindow(windowMs);
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
    const mine = (await failures.recent(key, t)).count;
    const all = (await failures.recent(GLOBAL, t)).count;
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
        'Retry-After': String(await failures.retryAfterSeconds(scope, t)),
      });
    }
    const count = await failures.add(key, t, mine);
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
