// Migrations on a real database (SQLite file, or a PostgreSQL schema in the suite's PostgreSQL pass): fresh
// apply, idempotent re-run, rollback of a failing migration; the per-dialect settings and types.
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.ts';
import { openDatabase, redactDatabaseUrl } from '../src/db/connect.ts';
import { migrate, migrateOrThrow } from '../src/db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { openTempDb, type TempDb } from './helpers/temp-db.ts';
import { onPostgres } from './helpers/test-database.ts';

let t: TempDb | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const tables = async (db: Kysely<any>) =>
  (
    await (
      onPostgres
        ? sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by name`
        : sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`
    ).execute(db)
  ).rows.map((r) => r.name);

describe('migrations', () => {
  it('create every table on a fresh database', async () => {
    t = await openTempDb({ migrate: false });
    const outcome = await migrate(t.db);
    expect(outcome.error).toBeNull();
    expect(outcome.applied).toEqual(Object.keys(migrations));
    expect(await tables(t.db)).toEqual(
      expect.arrayContaining([
        'alerts',
        'articles',
        'evidence_contributions',
        'feeds',
        'job_leases',
        'market_points',
        'meta',
        'outbox',
        'resolutions',
        'snapshots',
        'story_clusters',
        'subscribers',
        'tags',
      ]),
    );
  });

  it('are a no-op the second time', async () => {
    t = await openTempDb();
    const before = await tables(t.db);
    const again = await migrate(t.db);
    expect(again).toEqual({ applied: [], error: null });
    expect(await tables(t.db)).toEqual(before);
  });

  it('roll a failing migration back whole and name it', async () => {
    t = await openTempDb();
    const broken = {
      ...migrations,
      '2099-01-01T0000-broken': {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        async up(db: Kysely<any>) {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await sql`insert into no_such_table values (1)`.execute(db);
        },
      },
    };
    await expect(migrateOrThrow(t.db, broken)).rejects.toThrow(
      onPostgres
        ? /migration 2099-01-01T0000-broken failed and was rolled back: relation "no_such_table" does not exist/
        : /migration 2099-01-01T0000-broken failed and was rolled back: no such table: no_such_table/,
    );
    expect(await tables(t.db)).not.toContain('half_done');
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(t.db);
    expect(rows.map((r) => r.name)).not.toContain('2099-01-01T0000-broken');
  });

  it.skipIf(onPostgres)(
    'run again when another process commits between the migrator reading its table and writing (SQLITE_BUSY_SNAPSHOT)',
    async () => {
      t = await openTempDb();
      // Another connection to the same file, as another process would have.
      const other = openDatabase(t.target);
      let interrupted = 0;
      const racing = {
        ...migrations,
        '2099-01-01T0000-raced': {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          async up(db: Kysely<any>) {
            // The migrator's transaction has read its table (a snapshot); the other writer commits now, once:
            // SQLite refuses this transaction's first write at once instead of waiting out the busy timeout.
            if (interrupted++ === 0) other.sqlite!.prepare("insert into meta (key, value) values ('raced', '1')").run();
            await db.schema.createTable('raced').addColumn('id', 'integer').execute();
          },
        },
      };
      try {
        expect(await migrateOrThrow(t.db, racing)).toEqual(['2099-01-01T0000-raced']);
        expect(interrupted).toBe(2);
        expect(await tables(t.db)).toContain('raced');
      } finally {
        await other.close();
      }
    },
  );

  it('bellwether migrate applies what is pending, then says the database is up to date', async () => {
    t = await openTempDb({ migrate: false });
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    try {
      expect(await runCli(['migrate', '--db', t.url])).toBe(0);
      expect(out).toBe(
        Object.keys(migrations)
          .map((m) => `applied ${m}\n`)
          .join(''),
      );
      out = '';
      expect(await runCli(['migrate', '--db', t.url])).toBe(0);
      expect(out).toBe('database is up to date\n');
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
  });

  it.skipIf(onPostgres)('sets WAL, foreign keys and a busy timeout', async () => {
    t = await openTempDb();
    expect(t.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(t.sqlite?.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe.runIf(onPostgres)('PostgreSQL', () => {
  it('returns ids, counts and sums as numbers, keeps doubles exact and compares ISO times as text', async () => {
    t = await openTempDb();
    const feed = await t.db
      .insertInto('feeds')
      .values({
        url: 'https://a.example/f',
        tier: 1,
        poll_interval_minutes: 15,
        full_text: 0,
        origin: 'cli',
        status: 'active',
        consecutive_failures: 0,
        next_check_at: '2026-01-01T00:00:00.000Z',
        created_at: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(feed.id).toBe(1);
    const article = (at: string, n: number) => ({
      feed_id: feed.id,
      guid_hash: `g${n}`,
      content_hash: 'c',
      title: 't',
      summary: '',
      text: '',
      published_at: at,
      fetched_at: at,
      updated_at: at,
      simhash: '0',
    });
    const ids = await t.db
      .insertInto('articles')
      .values([article('2026-01-01T09:00:00.000Z', 1), article('2026-01-01T10:30:00.000Z', 2)])
      .returning('id')
      .execute();
    await t.db
      .insertInto('tags')
      .values({
        article_id: ids[0]!.id,
        pack_id: 'p',
        indicator_id: 'i',
        polarity: 'affirmed',
        confidence: 0.9,
        field: 'title',
        snippet: 's',
        rule_id: 'r',
        created_at: 'x',
      })
      .execute();
    const agg = await t.db
      .selectFrom('articles')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('id').as('s'), eb.fn.max('published_at').as('last')])
      .where('published_at', '>', '2026-01-01T09:59:59.999Z')
      .executeTakeFirstOrThrow();
    expect(agg).toEqual({ n: 1, s: 2, last: '2026-01-01T10:30:00.000Z' });
    expect((await t.db.selectFrom('tags').select('confidence').executeTakeFirstOrThrow()).confidence).toBe(0.9);
  });

  it('keeps two trackers apart in two schemas of one database (search_path in the URL)', async () => {
    t = await openTempDb({ migrate: false });
    await sql`create schema tracker_a`.execute(t.db);
    await sql`create schema tracker_b`.execute(t.db);
    const inSchema = (schema: string) => {
      const u = new URL(t!.url);
      u.searchParams.set('options', `-c search_path=${schema}`);
      return openDatabase({ kind: 'postgres', url: u.toString() });
    };
    const a = inSchema('tracker_a');
    const b = inSchema('tracker_b');
    try {
      expect((await migrate(a.db)).applied).toEqual(Object.keys(migrations));
      expect((await migrate(b.db)).applied).toEqual(Object.keys(migrations));
      const where = await sql<{ schema: string; n: number }>`
        select table_schema as schema, count(*) as n from information_schema.tables
        where table_name in ('feeds', 'kysely_migration') group by table_schema order by table_schema`.execute(t.db);
      expect(where.rows).toEqual([
        { schema: 'tracker_a', n: 2 },
        { schema: 'tracker_b', n: 2 },
      ]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('names an unreachable server without its password', async () => {
    const url = 'postgres://bw:s3cret@127.0.0.1:9/bw';
    expect(redactDatabaseUrl(url)).toBe('postgres://bw:***@127.0.0.1:9/bw');
    const h = openDatabase({ kind: 'postgres', url });
    try {
      const error = await h.check().catch((e: unknown) => e as Error);
      expect(error).toMatchObject({ code: 'open_failed' });
      expect((error as Error).message).toMatch(
        /^cannot connect to PostgreSQL at postgres:\/\/bw:\*\*\*@127\.0\.0\.1:9\/bw: /,
      );
      expect((error as Error).message).not.toContain('s3cret');
    } finally {
      await h.close();
    }
  });
});
