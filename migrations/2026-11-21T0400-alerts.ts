// Alerts: per-rule state (cooldown, hysteresis), daily digest progress per subscriber, and
// outbox columns for batching (rows sharing a message_id are one email) and delivery kind.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('alert_state')
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('armed', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_fired_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_state_pk', ['pack_id', 'rule_key'])
    .execute();
  await db.schema.alterTable('subscribers').addColumn('digest_alert_id', 'integer').execute();
  await db.schema.alterTable('subscribers').addColumn('digest_sent_at', 'text').execute();
  await db.schema
    .alterTable('outbox')
    .addColumn('delivery', 'text', (c) => c.notNull().defaultTo('immediate'))
    .execute();
  await db.schema.createIndex('outbox_message').on('outbox').column('message_id').execute();
  await db.schema.createIndex('outbox_subscriber_status').on('outbox').columns(['subscriber_id', 'status']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('outbox_subscriber_status').ifExists().execute();
  await db.schema.dropIndex('outbox_message').ifExists().execute();
  await db.schema.alterTable('outbox').dropColumn('delivery').execute();
  await db.schema.alterTable('subscribers').dropColumn('digest_sent_at').execute();
  await db.schema.alterTable('subscribers').dropColumn('digest_alert_id').execute();
  await db.schema.dropTable('alert_state').ifExists().execute();
}
