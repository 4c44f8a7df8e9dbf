// /readyz answers 200 only when the tracker can do its work: the database answers, every migration is
// applied, the scheduler ticked within the last minute; otherwise 503 naming each failed check.
// /healthz stays the cheap liveness probe (200 whenever the process answers).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { createApp } from '../src/server/app.ts';
import { migrations } from '../migrations/index.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { createTestDatabase } from './helpers/test-database.ts';

const now = new Date('2026-11-21T18:00:00Z');
const ticked = (msAgo: number | null) => ({
  lastTickAt: () => (msAgo === null ? null : new Date(now.getTime() - msAgo)),
});
type Ready = { status: string; failed: string[]; checks: Record<string, { ok: boolean; error?: string }> };

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

async function readyz(over: Parameters<typeof testDeps>[1]): Promise<{ status: number; body: Ready }> {
  const res = await createApp(testDeps(t, { now: () => now, ...over })).request('/readyz');
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  return { status: res.status, body: (await res.json()) as Ready };
}

describe('/readyz', () => {
  it('200 when the database answers, its schema is current and the scheduler ticked recently', async () => {
    const r = await readyz({ scheduler: ticked(5_000) });
    expect(r).toEqual({
      status: 200,
      body: {
        status: 'ready',
        failed: [],
        checks: { database: { ok: true }, migrations: { ok: true }, scheduler: { ok: true } },
      },
    });
  });

  it('503 naming the scheduler when its last tick is over a minute old, or when it never ticked', async () => {
    const stale = await readyz({ scheduler: ticked(61_000) });
    expect(stale.status).toBe(503);
    expect(stale.body.failed).toEqual(['scheduler']);
    expect(stale.body.checks.scheduler?.error).toBe('the last tick was 61 s ago (2026-11-21T17:58:59.000Z)');
    const never = await readyz({ scheduler: ticked(null) });
    expect(never.status).toBe(503);
    expect(never.body.checks.scheduler?.error).toBe('the scheduler has not ticked yet');
  });

  it('503 naming the migrations this database has not applied', async () => {
    const last = Object.keys(migrations).sort().at(-1)!;
    const row = await sql<{
      name: string;
      timestamp: string;
    }>`select name, timestamp from kysely_migration where name = ${last}`.execute(t.handle.db);
    await sql`delete from kysely_migration where name = ${last}`.execute(t.handle.db);
    try {
      const r = await readyz({ scheduler: ticked(0) });
      expect(r.status).toBe(503);
      expect(r.body.failed).toEqual(['migrations']);
      expect(r.body.checks.migrations?.error).toBe(`not applied: ${last}`);
    } finally {
      const { name, timestamp } = row.rows[0]!;
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(t.handle.db);
    }
    expect((await readyz({ scheduler: ticked(0) })).status).toBe(200);
  });

  it('503 naming the database (and so the migrations) when the database does not answer', async () => {
    const made = await createTestDatabase(t.dir, 'closed.db');
    const handle = openDatabase(made.target);
    await migrateOrThrow(handle.db);
    await handle.close();
    try {
      const r = await readyz({ db: handle.db, scheduler: ticked(0) });
      expect(r.status).toBe(503);
      expect(r.body.failed).toEqual(['database', 'migrations']);
      expect(r.body.checks.database?.error).toBeTruthy();
      expect(r.body.checks.migrations?.error).toBe('the database is not reachable');
    } finally {
      await made.drop();
    }
  });

  it('/healthz stays 200 while /readyz fails: the process is alive, just not ready', async () => {
    const app = createApp(testDeps(t, { now: () => now, scheduler: ticked(null) }));
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(503);
  });
});
