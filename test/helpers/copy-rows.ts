// Copies rows from a migrated SQLite database into a migrated PostgreSQL one with the same ids, then
// moves each identity sequence past the copied ids. The server tests seed synchronously through
// better-sqlite3 (fast, and the benches share the seeders); on PostgreSQL they seed a staging SQLite
// file and copy it over with this.
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/** Parents before children, so foreign keys hold at every insert. */
export const ORDER = [
  'meta',
  'feeds',
  'story_clusters',
  'articles',
  'tags',
  'snapshots',
  'evidence_contributions',
  'resolutions',
  'alerts',
  'subscribers',
  'outbox',
  'alert_state',
  'job_leases',
];
const CHUNK = 500;

function tablesOf(src: SQLite.Database): string[] {
  const names = (
    src
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  return [...ORDER.filter((t) => names.includes(t)), ...names.filter((t) => !ORDER.includes(t)).sort()];
}

const hasId = (src: SQLite.Database, table: string) =>
  (src.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === 'id');

/**
 * Copies every row of `src` whose id is above `dst`'s current max(id) (tables without an id: only
 * when `dst`'s table is empty), so calling it again after more seeding copies only the new rows.
 */
export async function copySqliteRows(src: SQLite.Database, dst: Kysely<Database>): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = dst as Kysely<any>;
  let copied = 0;
  for (const table of tablesOf(src)) {
    const withId = hasId(src, table);
    let rows: Record<string, unknown>[];
    if (withId) {
      const max = await db
        .selectFrom(table)
        .select((eb) => eb.fn.max('id').as('m'))
        .executeTakeFirst();
      rows = src.prepare(`SELECT * FROM "${table}" WHERE id > ? ORDER BY id`).all(Number(max?.m ?? 0)) as typeof rows;
    } else {
      const n = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      rows = Number(n?.n ?? 0) === 0 ? (src.prepare(`SELECT * FROM "${table}"`).all() as typeof rows) : [];
    }
    for (let i = 0; i < rows.length; i += CHUNK) {
      await db
        .insertInto(table)
        .values(rows.slice(i, i + CHUNK))
        .execute();
    }
    copied += rows.length;
    if (withId && rows.length > 0) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
        db,
      );
    }
  }
  return copied;
}
