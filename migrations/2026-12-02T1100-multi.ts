// Several instances on one database: a change counter the page caches of every instance key on (bumped by
// triggers in the same transaction as the writes pages show), the admin lockout's failed attempts (shared by
// every web instance), and a job run requested ahead of its due time (the forecast after a worker's ingest).
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The tables whose writes change what cached pages and API answers show. */
const COUNTED = ['snapshots', 'resolutions', 'alerts', 'market_points'] as const;

export async function up(db: AnyDb): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('change_counter')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('change_counter').values({ name: 'pages', version: 0 }).execute();
  // Triggers, not calls in the code: every write path (cycle, history rebuild, CLI, admin API, db copy) bumps
  // the counter in its own transaction, so a reader never sees the new rows under the old version.
  if (postgres) {
    await sql`create function bw_bump_change_counter() returns trigger language plpgsql as $$
      begin update change_counter set version = version + 1 where name = 'pages'; return null; end $$`.execute(db);
    for (const table of COUNTED)
      await sql`create trigger ${sql.raw(`${table}_bump_change_counter`)} after insert or update or delete
        on ${sql.table(table)} for each statement execute function bw_bump_change_counter()`.execute(db);
  } else {
    for (const table of COUNTED)
      for (const op of ['insert', 'update', 'delete'])
        await sql`create trigger ${sql.raw(`${table}_${op}_bump_change_counter`)} after ${sql.raw(op)}
          on ${sql.table(table)} begin update change_counter set version = version + 1 where name = 'pages'; end`.execute(
          db,
        );
  }
  await db.schema
    .createTable('admin_auth_failures')
    .addColumn('id', 'integer', (c) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    // A client address, or '*' for the count over every address.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admin_auth_failures_scope_at')
    .on('admin_auth_failures')
    .columns(['scope', 'at'])
    .execute();
  await db.schema.alterTable('job_leases').addColumn('requested_at', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('job_leases').dropColumn('requested_at').execute();
  await db.schema.dropTable('admin_auth_failures').ifExists().execute();
  if (postgres) {
    for (const table of COUNTED)
      await sql`drop trigger if exists ${sql.raw(`${table}_bump_change_counter`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists bw_bump_change_counter()`.execute(db);
  } else {
    for (const table of COUNTED)
      for (const op of ['insert', 'update', 'delete'])
        await sql`drop trigger if exists ${sql.raw(`${table}_${op}_bump_change_counter`)}`.execute(db);
  }
  await db.schema.dropTable('change_counter').ifExists().execute();
}
