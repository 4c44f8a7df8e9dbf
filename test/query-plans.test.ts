// RELIABILITY.md 28 (the part a test can hold): every SQL statement the pages and the API run is
// answered through an index on the big tables (articles, tags, evidence_contributions, snapshots,
// story_clusters): `EXPLAIN QUERY PLAN` shows no full table scan. The statements are captured from
// real requests on a seeded database (Kysely's query log), so a new query is checked without a list.
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.ts';
import { loadClusterIndex } from '../src/ingest/cluster-index.ts';
import { createApp } from '../src/server/app.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
const BIG = ['articles', 'tags', 'evidence_contributions', 'snapshots', 'story_clusters'];
let t: TestDb;
const seen = new Map<string, readonly unknown[]>();

beforeAll(async () => {
  t = await openTestDb();
  seedRealistic(t.sqlite, t.pack.pack, { now, days: 20, perDay: 20, weightScale: 0.3 });
  t.sqlite.exec('ANALYZE');
});
afterAll(() => t.close());

/** The plan lines that read a big table in full (no index), with their statement. */
function fullScans(statements: Array<[string, readonly unknown[]]>): string[] {
  const scans: string[] = [];
  for (const [sql, params] of statements) {
    const plan = t.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as unknown[])) as { detail: string }[];
    for (const { detail } of plan) {
      const m = /^SCAN (\w+)/.exec(detail);
      if (m && BIG.includes(m[1]!) && !/USING (COVERING )?INDEX/.test(detail)) scans.push(`${detail}  ←  ${sql}`);
    }
  }
  return scans;
}

describe('query plans of the pages and the API', () => {
  it('scan no big table in full', async () => {
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: t.sqlite }),
      log: (e) => {
        if (e.level === 'query') seen.set(e.query.sql, e.query.parameters);
      },
    });
    const app = createApp(testDeps(t, { db, now: () => now }));
    const snapshot = t.sqlite.prepare('SELECT id FROM snapshots ORDER BY id DESC LIMIT 1').get() as { id: number };
    for (const route of [
      '/',
      '/scenarios/deal',
      `/scenarios/deal?snapshot=${snapshot.id}`,
      '/evidence',
      '/evidence?indicator=principal_meeting',
      '/indicators',
      '/feeds',
      '/alerts',
      '/api/v1/scenarios',
      '/api/v1/history',
      '/api/v1/evidence',
      '/api/v1/indicators',
      '/api/v1/feeds',
      '/api/v1/alerts',
      '/feed.json',
    ])
      expect((await app.request(route)).status, route).toBe(200);
    expect(seen.size).toBeGreaterThan(10);
    expect(fullScans([...seen])).toEqual([]);
    // The check itself sees a full scan when there is one.
    expect(fullScans([['SELECT id FROM articles WHERE title = ?', ['x']]])).toHaveLength(1);
  });
});

describe('query plans of ingest', () => {
  it("loading the cluster index reads the last 72 h's clusters through an index, not every article", async () => {
    const statements: Array<[string, readonly unknown[]]> = [];
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: t.sqlite }),
      log: (e) => {
        if (e.level === 'query') statements.push([e.query.sql, e.query.parameters]);
      },
    });
    const index = await loadClusterIndex(db, now);
    expect(index.size).toBeGreaterThan(0);
    expect(statements).toHaveLength(3);
    expect(fullScans(statements)).toEqual([]);
  });
});
