// Migrations on a real SQLite file: fresh apply, idempotent re-run, and rollback of a failing migration.
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrateOrThrow } from '../src/db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { openTempDb, type TempDb } from './helpers/temp-db.ts';

let t: TempDb | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const tables = async (db: Kysely<any>) =>
  (await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db)).rows.map(
    (r) => r.name,
  );

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
      /migration 2099-01-01T0000-broken failed and was rolled back: no such table: no_such_table/,
    );
    expect(await tables(t.db)).not.toContain('half_done');
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(t.db);
    expect(rows.map((r) => r.name)).not.toContain('2099-01-01T0000-broken');
  });

  it('sets WAL, foreign keys and a busy timeout', async () => {
    t = await openTempDb();
    expect(t.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(t.sqlite?.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
