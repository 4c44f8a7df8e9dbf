// writeTransaction: rollback on error and serialised writers on both databases; on SQLite,
// synchronous=FULL only for the durable unit (then back to NORMAL); on PostgreSQL, a retry of the
// whole unit after a deadlock or serialization failure, and no retry after any other error.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsEnv, openAlertsEnv } from '../../test/helpers/alerts-env.ts';
import { onPostgres } from '../../test/helpers/test-database.ts';
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

const state = (key: string, at: string) => ({
  pack_id: 'p',
  rule_key: key,
  armed: 1,
  last_fired_at: null,
  updated_at: at,
});

describe('writeTransaction', () => {
  it('rolls back everything on an error', async () => {
    await expect(
      writeTransaction(
        env.db,
        async (trx) => {
          await trx.insertInto('alert_state').values(state('k', 'x')).execute();
          throw new Error('boom');
        },
        { durable: true },
      ),
    ).rejects.toThrow('boom');
    expect(await env.db.selectFrom('alert_state').selectAll().execute()).toEqual([]);
  });

  it('serialises read-then-write units: no update is lost between concurrent writers', async () => {
    await env.db.insertInto('alert_state').values(state('n', '0')).execute();
    const bump = () =>
      writeTransaction(env.db, async (trx) => {
        const r = await trx
          .selectFrom('alert_state')
          .select('updated_at')
          .where('rule_key', '=', 'n')
          .executeTakeFirstOrThrow();
        await new Promise((resolve) => setTimeout(resolve, 20)); // let the other writer try to interleave
        await trx
          .updateTable('alert_state')
          .set({ updated_at: String(Number(r.updated_at) + 1) })
          .where('rule_key', '=', 'n')
          .execute();
      });
    await Promise.all([bump(), bump(), bump(), bump()]);
    const r = await env.db
      .selectFrom('alert_state')
      .select('updated_at')
      .where('rule_key', '=', 'n')
      .executeTakeFirstOrThrow();
    expect(r.updated_at).toBe('4');
  });
});

describe.skipIf(onPostgres)('writeTransaction on SQLite', () => {
  it('commits with synchronous=FULL (2) when durable, and leaves the connection at NORMAL (1)', async () => {
    expect(await syncLevel(env.db)).toBe(1);
    const inside = await writeTransaction(env.db, (trx) => syncLevel(trx), { durable: true });
    expect(inside).toBe(2);
    expect(await syncLevel(env.db)).toBe(1);
    expect(await writeTransaction(env.db, (trx) => syncLevel(trx))).toBe(1);
  });
  it('restores NORMAL after a rolled-back durable unit', async () => {
    await expect(writeTransaction(env.db, () => Promise.reject(new Error('boom')), { durable: true })).rejects.toThrow(
      'boom',
    );
    expect(await syncLevel(env.db)).toBe(1);
  });
});

describe.runIf(onPostgres)('writeTransaction on PostgreSQL', () => {
  const raise = (code: string) => sql.raw(`do $$ begin raise exception 'injected' using errcode = '${code}'; end $$`);

  for (const [code, name] of [
    ['40P01', 'deadlock'],
    ['40001', 'serialization failure'],
  ] as const) {
    it(`re-runs the whole unit after a ${name} (${code}), keeping only the last attempt's writes`, async () => {
      let attempts = 0;
      const out = await writeTransaction(env.db, async (trx) => {
        attempts++;
        await trx
          .insertInto('alert_state')
          .values(state(`a${attempts}`, 'x'))
          .execute();
        if (attempts < 3) await raise(code).execute(trx);
        return attempts;
      });
      expect(out).toBe(3);
      const keys = (await env.db.selectFrom('alert_state').select('rule_key').execute()).map((r) => r.rule_key);
      expect(keys).toEqual(['a3']);
    });
  }

  it('does not retry other errors, and gives up on a unit that keeps deadlocking', async () => {
    let attempts = 0;
    await expect(
      writeTransaction(env.db, async (trx) => {
        attempts++;
        await raise('23505').execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(
      writeTransaction(env.db, async (trx) => {
        attempts++;
        await raise('40P01').execute(trx);
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(5);
  });
});
