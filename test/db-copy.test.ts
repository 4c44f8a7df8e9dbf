// `bellwether db copy` through the real CLI: a seeded tracker in a real SQLite file is copied into a PostgreSQL
// database of the suite's cluster and back into a new SQLite file; every table holds the same rows, the
// dashboard and the API answer the same, new ids follow the copied ones, and a target that holds data is
// refused unless --replace. (In the SQLite pass, where there is no PostgreSQL, SQLite → SQLite.)
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/connect.ts';
import { dependencyOrder } from '../src/db/copy.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { loadPack } from '../src/pack/load.ts';
import { createApp } from '../src/server/app.ts';
import { runBin } from './helpers/run-bin.ts';
import { subscribe } from './helpers/alerts-env.ts';
import { PACK_FILE } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from './helpers/test-database.ts';

const now = new Date('2026-11-21T18:00:00Z');
const pack = loadPack(PACK_FILE);
const TABLES = ['feeds', 'story_clusters', 'articles', 'tags', 'snapshots', 'evidence_contributions', 'subscribers'];

const cli = runBin;

/** Every row of every table, each table in a fixed order (all columns), to compare two databases exactly. */
async function dump(h: DatabaseHandle, tables: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = h.db as any;
    out[t] = await db.selectFrom(t).selectAll().orderBy('id').execute();
  }
  return out;
}

const PAGES = [
  '/',
  '/scenarios/deal',
  '/evidence',
  '/indicators',
  '/feeds',
  '/alerts',
  '/api/v1/scenarios',
  '/api/v1/evidence',
  '/api/v1/history',
  '/api/v1/indicators',
  '/api/v1/feeds',
  '/api/v1/alerts',
  '/api/v1/scenarios/deal/explanation',
];

/** What the dashboard and the API answer on each page (the per-response CSP nonce taken out). */
async function pages(h: DatabaseHandle, url: string): Promise<Record<string, string>> {
  const app = createApp({
    db: h.db,
    dbKind: h.kind,
    config: loadConfig({ DATABASE_URL: url, PACK: PACK_FILE, LOG_LEVEL: 'silent' }),
    pack,
    log: createLogger('silent'),
    version: 'test',
    cacheTtlMs: 0,
    now: () => now,
  });
  const out: Record<string, string> = {};
  for (const p of PAGES) {
    const r = await app.request(p);
    expect(r.status, p).toBe(200);
    out[p] = (await r.text()).replace(/nonce-?[="][A-Za-z0-9+/=_-]+"?/g, 'nonce');
  }
  return out;
}

let dir: string;
let sourceFile: string;
let source: DatabaseHandle;
let expectedRows: Record<string, unknown[]>;
let expectedPages: Record<string, string>;
const made: TestDatabase[] = [];

beforeAll(async () => {
  dir = tempDir('bw-db-copy-');
  sourceFile = path.join(dir, 'tracker.db');
  source = openDatabase({ kind: 'sqlite', file: sourceFile });
  await migrateOrThrow(source.db);
  seedRealistic(source.sqlite!, pack.pack, { now, days: 40, perDay: 12 });
  await subscribe(source.db, 'reader@example.org');
  expectedRows = await dump(source, TABLES);
  expectedPages = await pages(source, sourceFile);
}, 120_000);
afterAll(async () => {
  await source?.close();
  for (const m of made) await m.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh target: an empty PostgreSQL database of the suite's cluster, or (SQLite pass) a new file. */
async function emptyTarget(name: string): Promise<TestDatabase> {
  const m = await createTestDatabase(dir, name, { empty: true });
  made.push(m);
  return m;
}

interface CopyJson {
  from: string;
  to: string;
  tables: { table: string; rows: number }[];
  rows: number;
  migrated: string[];
  ms: number;
}

describe('bellwether db copy', () => {
  let target: TestDatabase;

  it(`copies a seeded SQLite tracker into ${onPostgres ? 'PostgreSQL' : 'another SQLite file'}, every row and id`, async () => {
    target = await emptyTarget('copy.db');
    const r = await cli([
      'db',
      'copy',
      '--from',
      `sqlite:${sourceFile}`,
      '--to',
      target.url,
      '--json',
      '--batch',
      '100',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as CopyJson;
    expect(result.from).toBe(sourceFile);
    expect(result.migrated.length).toBeGreaterThan(0);
    const count = (t: string) => result.tables.find((x) => x.table === t)?.rows;
    for (const t of TABLES) expect(count(t), t).toBe(expectedRows[t]!.length);
    expect(count('articles')).toBeGreaterThan(400);
    expect(result.rows).toBe(result.tables.reduce((a, t) => a + t.rows, 0));
    // Parents first: a row never arrives before the row it references.
    const order = result.tables.map((t) => t.table);
    expect(order.indexOf('feeds')).toBeLessThan(order.indexOf('articles'));
    expect(order.indexOf('articles')).toBeLessThan(order.indexOf('tags'));
    expect(order.indexOf('snapshots')).toBeLessThan(order.indexOf('evidence_contributions'));

    const copy = openDatabase(target.target);
    try {
      expect(await dump(copy, TABLES)).toEqual(expectedRows);
      expect(await pages(copy, target.url)).toEqual(expectedPages);
      // The next id follows the copied ones (PostgreSQL's identity sequence was moved past them).
      const maxFeed = Math.max(...expectedRows.feeds!.map((f) => (f as { id: number }).id));
      const added = await copy.db
        .insertInto('feeds')
        .values({
          url: 'https://new.example/rss',
          origin: 'cli',
          tier: 2,
          poll_interval_minutes: 15,
          full_text: 0,
          status: 'active',
          consecutive_failures: 0,
          next_check_at: now.toISOString(),
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(added.id).toBe(maxFeed + 1);
    } finally {
      await copy.close();
    }
  }, 120_000);

  it('refuses a target that holds data (exit 3, one line), and --replace copies over it', async () => {
    const again = await cli(['db', 'copy', '--from', sourceFile, '--to', target.url]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(
      /^bellwether db copy: the target already holds data \(.*feeds: \d+.*rows\): copy into an empty database, or pass --replace to delete the target's rows first\n$/,
    );
    const replaced = await cli(['db', 'copy', '--from', sourceFile, '--to', target.url, '--replace', '--json']);
    expect(replaced.stderr).toBe('');
    expect(replaced.code).toBe(0);
    const copy = openDatabase(target.target);
    try {
      // The feed added after the first copy is gone: the target holds exactly the source's rows.
      expect(await dump(copy, TABLES)).toEqual(expectedRows);
    } finally {
      await copy.close();
    }
  }, 120_000);

  it(`copies back from ${onPostgres ? 'PostgreSQL' : 'the copy'} into a new SQLite file, the same rows and pages`, async () => {
    const back = path.join(dir, 'back.db');
    const r = await cli(['db', 'copy', '--from', target.url, '--to', back, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as CopyJson).to).toBe(back);
    const h = openDatabase({ kind: 'sqlite', file: back });
    try {
      expect(h.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(h.sqlite!.pragma('foreign_key_check')).toEqual([]);
      expect(await dump(h, TABLES)).toEqual(expectedRows);
      expect(await pages(h, back)).toEqual(expectedPages);
    } finally {
      await h.close();
    }
  }, 120_000);

  it('says what is wrong with its arguments', async () => {
    const same = await cli(['db', 'copy', '--from', sourceFile, '--to', `sqlite:${sourceFile}`]);
    expect(same.code).toBe(2);
    expect(same.stderr).toBe(`bellwether db copy: --from and --to name the same database (${sourceFile})\n`);
    const scheme = await cli(['db', 'copy', '--from', 'mysql://x/y', '--to', path.join(dir, 'x.db')]);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain('bellwether db copy: --from: unsupported scheme in "mysql://x/y"');
    const never = path.join(dir, 'never-migrated.db');
    openDatabase({ kind: 'sqlite', file: never }).sqlite!.close();
    const empty = await cli(['db', 'copy', '--from', never, '--to', path.join(dir, 'y.db')]);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toBe('bellwether db copy: the source holds no Bellwether tables (it was never migrated)\n');
  }, 60_000);
});

describe('dependencyOrder', () => {
  const t = (name: string, parents: string[]): [string, { name: string; columns: string[]; parents: string[] }] => [
    name,
    { name, columns: [], parents },
  ];
  it('puts parents first, ties by name, and names a cycle', () => {
    expect(
      dependencyOrder(new Map([t('tags', ['articles']), t('articles', ['feeds']), t('feeds', []), t('meta', [])])),
    ).toEqual(['feeds', 'meta', 'articles', 'tags']);
    expect(() => dependencyOrder(new Map([t('a', ['b']), t('b', ['a']), t('c', [])]))).toThrow(
      'the tables a, b reference each other in a cycle',
    );
  });
});
