// writeTransaction: synchronous=FULL only for the durable unit (then back to NORMAL), rollback on error.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsEnv, openAlertsEnv } from '../../test/helpers/alerts-env.ts';
import { writeTransaction } from './write-transaction.ts';

let env: AlertsEnv;
beforeEach(async () => {
  env = await openAlertsEnv();
});
afterEach(async () => {
  await env.close();
});

const syncLevel = async (db: AlertsEnv['db']) =>
  (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]!.synchronous;

describe('writeTransaction', () => {
  it('commits with synchronous=FULL (2) when durable, and leaves the connection at NORMAL (1)', async () => {
    expect(await syncLevel(env.db)).toBe(1);
    const inside = await writeTransaction(env.db, (trx) => syncLevel(trx), { durable: true });
    expect(inside).toBe(2);
    expect(await syncLevel(env.db)).toBe(1);
    expect(await writeTransaction(env.db, (trx) => syncLevel(trx))).toBe(1);
  });
  it('rolls back everything on an error and restores NORMAL', async () => {
    await expect(
      writeTransaction(
        env.db,
        async (trx) => {
          await trx
            .insertInto('alert_state')
            .values({ pack_id: 'p', rule_key: 'k', armed: 1, last_fired_at: null, updated_at: 'x' })
            .execute();
          throw new Error('boom');
        },
        { durable: true },
      ),
    ).rejects.toThrow('boom');
    expect(await env.db.selectFrom('alert_state').selectAll().execute()).toEqual([]);
    expect(await syncLevel(env.db)).toBe(1);
  });
});
