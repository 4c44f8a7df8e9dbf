// `bellwether db copy`: moves a whole tracker from one database to another (SQLite ⇄ PostgreSQL, or the same
// kind): the target is migrated, every table is copied parents first in batches with its ids, PostgreSQL's
// identity sequences are moved past the copied ids, and the row counts are checked before the target commits.
import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import { migrations as projectMigrations } from '../../migrations/index.ts';
import { BellwetherError } from '../errors.ts';
import type { DatabaseHandle } from './connect.ts';
import { migrateOrThrow } from './migrate.ts';
import { writeTransaction } from './write-transaction.ts';

type CopyCode = 'not_empty' | 'schema_mismatch' | 'copy_mismatch';

export class CopyError extends BellwetherError<CopyCode> {
  constructor(
    readonly code: CopyCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface CopyOptions {
  /** Delete the target's rows first instead of refusing a target that holds data. */
  replace?: boolean;
  /** Rows per read and per insert (fewer for wide tables: one statement stays under 30,000 values). */
  batchRows?: number;
  /** Called after each table is copied. */
  onTable?: (table: string, rows: number) => void;
}

export interface CopyResult {
  /** Each table in the order copied (parents first), with its rows. */
  tables: { table: string; rows: number }[];
  rows: number;
  /** Migrations applied to the target before the copy. */
  migrated: string[];
}

// Any table: the copy reads the tables from the catalog, so tables added by later migrations are copied too.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;
const MAX_VALUES = 30_000;

interface TableInfo {
  name: string;
  columns: string[];
  /** Tables this one references (itself excluded). */
  parents: string[];
}

async function rows<T>(db: AnyDb, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/**
 * Tables a copy leaves alone: `change_counter` is the database's own cache-invalidation counter, created by its
 * migration and bumped by triggers as the copied rows land in the target, so it is neither data nor empty.
 */
const NOT_COPIED = new Set(['change_counter']);

/** Tables of the current schema (PostgreSQL) or the file (SQLite), with their columns and foreign keys. */
async function catalog(db: AnyDb): Promise<Map<string, TableInfo>> {
  const pg = isPostgres(db);
  const names = pg
    ? await rows<{ name: string }>(
        db,
        sql`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely\_%'`,
      )
    : await rows<{ name: string }>(
        db,
        sql`select name from sqlite_master where type = 'table' and name not like 'sqlite\_%' escape '\\' and name not like 'kysely\_%' escape '\\'`,
      );
  const out = new Map<string, TableInfo>();
  for (const { name } of names.filter((n) => !NOT_COPIED.has(n.name))) {
    const columns = pg
      ? await rows<{ name: string }>(
          db,
          sql`select column_name as name from information_schema.columns
              where table_schema = current_schema() and table_name = ${name} order by ordinal_position`,
        )
      : await rows<{ name: string }>(db, sql`select name from pragma_table_info(${name}) order by cid`);
    const refs = pg
      ? await rows<{ ref: string }>(
          db,
          sql`select distinct cl.relname as ref from pg_constraint c join pg_class cl on cl.oid = c.confrelid
              where c.contype = 'f' and c.conrelid = to_regclass(${name})`,
        )
      : await rows<{ ref: string }>(db, sql`select distinct "table" as ref from pragma_foreign_key_list(${name})`);
    out.set(name, {
      name,
      columns: columns.map((c) => c.name),
      parents: refs.map((r) => r.ref).filter((r) => r !== name),
    });
  }
  return out;
}

/** Parents before children (Kahn's algorithm; ties by name, so the order is the same on every run). */
export function dependencyOrder(tables: Map<string, TableInfo>): string[] {
  const order: string[] = [];
  const left = new Map([...tables.values()].map((t) => [t.name, new Set(t.parents.filter((p) => tables.has(p)))]));
  while (left.size > 0) {
    const ready = [...left].filter(([, parents]) => parents.size === 0).map(([name]) => name);
    if (ready.length === 0)
      throw new CopyError(
        'schema_mismatch',
        `the tables ${[...left.keys()].join(', ')} reference each other in a cycle`,
      );
    for (const name of ready.sort()) {
      order.push(name);
      left.delete(name);
      for (const parents of left.values()) parents.delete(name);
    }
  }
  return order;
}

async function appliedMigrations(db: AnyDb): Promise<string[] | null> {
  try {
    return (await rows<{ name: string }>(db, sql`select name from kysely_migration order by name`)).map((r) => r.name);
  } catch {
    return null;
  }
}

/** The source must be migrated exactly as far as this version (the target is migrated to match). */
async function checkSourceSchema(db: AnyDb): Promise<void> {
  const known = Object.keys(projectMigrations).sort();
  const applied = await appliedMigrations(db);
  if (applied === null || applied.length === 0)
    throw new CopyError('schema_mismatch', 'the source holds no Bellwether tables (it was never migrated)');
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length > 0)
    throw new CopyError(
      'schema_mismatch',
      `the source was migrated by a newer Bellwether (its migration ${unknown[0]} is unknown to this version): copy with that version`,
    );
  const missing = known.filter((m) => !applied.includes(m));
  if (missing.length > 0)
    throw new CopyError(
      'schema_mismatch',
      `the source lacks ${missing.length} migration(s) of this version (first: ${missing[0]}): run \`bellwether migrate --db <source>\` first`,
    );
}

async function countRows(db: AnyDb, table: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Reads `table` in batches: by id where it has one (keyset), else in the order of all its columns. */
async function* readBatches(db: AnyDb, table: TableInfo, size: number): AsyncGenerator<Record<string, unknown>[]> {
  const byId = table.columns.includes('id');
  let lastId: number | null = null;
  for (let offset = 0; ; offset += size) {
    let q = db.selectFrom(table.name).select(table.columns).limit(size);
    if (byId) {
      q = q.orderBy('id');
      if (lastId !== null) q = q.where('id', '>', lastId);
    } else {
      for (const c of table.columns) q = q.orderBy(c);
      q = q.offset(offset);
    }
    const batch = (await q.execute()) as Record<string, unknown>[];
    if (batch.length === 0) return;
    if (byId) lastId = Number(batch[batch.length - 1]!.id);
    yield batch;
    if (batch.length < size) return;
  }
}

/**
 * Copies every row of `from` into `to`. The source is read in one snapshot (a read transaction; repeatable
 * read on PostgreSQL), the target is written in one write transaction, so a failure leaves it as it was.
 */
export async function copyDatabase(
  from: DatabaseHandle,
  to: DatabaseHandle,
  options: CopyOptions = {},
): Promise<CopyResult> {
  await from.check();
  await to.check();
  await checkSourceSchema(from.db);
  const migrated = await migrateOrThrow(to.db);
  const src = from.db as AnyDb;
  const read = isPostgres(src) ? src.transaction().setIsolationLevel('repeatable read') : src.transaction();
  return read.execute(async (source) => {
    const tables = await catalog(source);
    const order = dependencyOrder(tables);
    const result = await writeTransaction(
      to.db,
      async (trx) => {
        const target = trx as AnyDb;
        const targetTables = await catalog(target);
        for (const name of order) {
          const missing = tables.get(name)!.columns.filter((c) => !targetTables.get(name)?.columns.includes(c));
          if (missing.length > 0)
            throw new CopyError('schema_mismatch', `the target's table ${name} has no column ${missing.join(', ')}`);
        }
        const held = [];
        for (const name of targetTables.keys()) {
          const n = await countRows(target, name);
          if (n > 0) held.push(`${name}: ${n}`);
        }
        if (held.length > 0 && !options.replace)
          throw new CopyError(
            'not_empty',
            `the target already holds data (${held.join(', ')} rows): copy into an empty database, or pass --replace to delete the target's rows first`,
          );
        for (const name of dependencyOrder(targetTables).reverse()) await target.deleteFrom(name).execute();
        const copied: CopyResult['tables'] = [];
        for (const name of order) {
          const table = tables.get(name)!;
          const size = Math.max(1, Math.min(options.batchRows ?? 1000, Math.floor(MAX_VALUES / table.columns.length)));
          let n = 0;
          for await (const batch of readBatches(source, table, size)) {
            await target.insertInto(name).values(batch).execute();
            n += batch.length;
          }
          const expected = await countRows(source, name);
          const landed = await countRows(target, name);
          if (n !== expected || landed !== expected)
            throw new CopyError(
              'copy_mismatch',
              `table ${name}: the source holds ${expected} rows, ${n} were read and the target holds ${landed}; nothing was committed`,
            );
          if (isPostgres(target) && table.columns.includes('id')) {
            // The next generated id must follow the copied ones (an identity column does not move by itself).
            const next = sql`(select coalesce(max(id), 0) + 1 from ${sql.table(name)})`;
            await sql`select setval(pg_get_serial_sequence(${name}, 'id'), ${next}, false)`.execute(target);
          }
          copied.push({ table: name, rows: n });
          options.onTable?.(name, n);
        }
        return copied;
      },
      { durable: true },
    );
    return { tables: result, rows: result.reduce((a, t) => a + t.rows, 0), migrated };
  });
}
