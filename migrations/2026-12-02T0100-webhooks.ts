// Subscribers choose their channel: email (the default), a signed generic webhook, Slack or Discord.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('subscribers')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('email'))
    .execute();
  await db.schema.alterTable('subscribers').addColumn('url', 'text').execute();
  await db.schema.alterTable('subscribers').addColumn('secret', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('subscribers').dropColumn('secret').execute();
  await db.schema.alterTable('subscribers').dropColumn('url').execute();
  await db.schema.alterTable('subscribers').dropColumn('channel').execute();
}
