// /healthz (the process answers) and /readyz (it can do its work: the database answers, its schema is
// current, the scheduler ticks). Load balancers and the container's HEALTHCHECK ask /readyz.
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { pendingMigrations } from '../../db/migrate.ts';
import type { AppDeps } from '../app.ts';
import { securityHeaders } from '../http/security.ts';

/** The scheduler ticks every 5 s; a minute without a tick means it has stopped. */
export const SCHEDULER_STALE_MS = 60_000;

type Check = { ok: true } | { ok: false; error: string };

async function checked(fn: () => Promise<string | null>): Promise<Check> {
  try {
    const problem = await fn();
    return problem === null ? { ok: true } : { ok: false, error: problem };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export function registerHealth(app: Hono, deps: AppDeps, now: () => Date): void {
  // Cheap on purpose: load balancers poll it; it touches no table.
  app.get('/healthz', securityHeaders(), (c) => c.json({ status: 'ok', version: deps.version, database: deps.dbKind }));

  app.get('/readyz', securityHeaders(), async (c) => {
    const database = await checked(async () => {
      await sql`select 1`.execute(deps.db);
      return null;
    });
    const migrations: Check = database.ok
      ? await checked(async () => {
          const pending = await pendingMigrations(deps.db);
          return pending.length === 0 ? null : `not applied: ${pending.join(', ')}`;
        })
      : { ok: false, error: 'the database is not reachable' };
    const checks: Record<string, Check> = { database, migrations };
    // Only `start` runs a scheduler; an app served without one (tests, previews) has nothing to check.
    if (deps.scheduler) {
      const last = deps.scheduler.lastTickAt();
      const age = last ? now().getTime() - last.getTime() : null;
      checks.scheduler =
        age === null
          ? { ok: false, error: 'the scheduler has not ticked yet' }
          : age > SCHEDULER_STALE_MS
            ? { ok: false, error: `the last tick was ${Math.round(age / 1000)} s ago (${last!.toISOString()})` }
            : { ok: true };
    }
    const failed = Object.keys(checks).filter((k) => !checks[k]!.ok);
    c.header('Cache-Control', 'no-store');
    return c.json({ status: failed.length === 0 ? 'ready' : 'not_ready', failed, checks }, failed.length ? 503 : 200);
  });
}
