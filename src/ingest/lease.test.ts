import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempDb, openTempDb } from '../../test/helpers/ingest-db.ts';
import { addFeed } from './feeds.ts';
import { claimFeed, isDeadLocalOwner, newLeaseOwner, releaseFeed } from './lease.ts';

const now = new Date('2026-11-21T12:00:00.000Z');
let t: TempDb;
let id: number;
beforeEach(async () => {
  t = await openTempDb();
  id = (await addFeed(t.db, { url: 'https://a.example/rss', tier: 1 }, now, false)).id;
});
afterEach(async () => t.dispose());

describe('feed leases', () => {
  it('one owner at a time; free again after release or expiry; only due feeds unless all', async () => {
    const a = newLeaseOwner();
    const b = newLeaseOwner();
    expect(await claimFeed(t.db, id, a, { now, all: false })).toBe(true);
    expect(await claimFeed(t.db, id, b, { now, all: false })).toBe(false);
    expect(await claimFeed(t.db, id, b, { now: new Date(now.getTime() + 16 * 60_000), all: false })).toBe(true);
    await releaseFeed(t.db, id, a); // a no longer holds it: no effect
    expect((await t.db.selectFrom('feeds').select('lease_owner').executeTakeFirstOrThrow()).lease_owner).toBe(b);
    await releaseFeed(t.db, id, b);
    await t.db.updateTable('feeds').set({ next_check_at: '2026-11-21T13:00:00.000Z' }).execute();
    expect(await claimFeed(t.db, id, a, { now, all: false })).toBe(false);
    expect(await claimFeed(t.db, id, a, { now, all: true })).toBe(true);
  });

  it('takes over at once a lease left by a dead process on this machine, never one of a live process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const deadOwner = `${hostname()}:${dead}:abcdef12`;
    expect(isDeadLocalOwner(deadOwner)).toBe(true);
    expect(isDeadLocalOwner(`${hostname()}:${process.pid === 1 ? 2 : 1}:abcdef12`)).toBe(false); // pid 1 is alive
    expect(isDeadLocalOwner(`other-host:${dead}:abcdef12`)).toBe(false);
    await t.db
      .updateTable('feeds')
      .set({ lease_owner: deadOwner, lease_expires_at: '2026-11-21T12:15:00.000Z' })
      .execute();
    expect(await claimFeed(t.db, id, newLeaseOwner(), { now, all: true })).toBe(true);
  });
});
