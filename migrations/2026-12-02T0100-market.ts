// Market and crowd probabilities polled from public APIs (Polymarket, Metaculus): one row per source and time.
import { type Kysely, PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // SQLite: INTEGER PRIMARY KEY is the rowid alias (auto-assigned). PostgreSQL: an identity column.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('market_points')
    .addColumn('id', 'integer', (c) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    // `polymarket:<slug or id>` or `metaculus:<question id>`
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('probability', 'real', (c) => c.notNull())
    // The public page a reader can check the figure on.
    .addColumn('url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // One point per source and time: a retried or doubled run stores nothing twice.
  await db.schema
    .createIndex('market_points_source_at')
    .on('market_points')
    .columns(['pack_id', 'source', 'at'])
    .unique()
    .execute();
  await db.schema.createIndex('market_points_pack_at').on('market_points').columns(['pack_id', 'at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('market_points').ifExists().execute();
}
