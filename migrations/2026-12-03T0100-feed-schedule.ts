// A feed may name its own polling times: `schedule` holds a cron expression (UTC, node-cron's five fields),
// null for feeds polled every poll_interval_minutes as before.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('feeds').addColumn('schedule', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('feeds').dropColumn('schedule').execute();
}
