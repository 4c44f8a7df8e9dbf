// Job leases: a run holding a job's lease keeps it from other processes until it ends or the lease
// expires, unless its owner is a process of this host that no longer exists (taken over at once).
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempDb, openTempDb } from '../../test/helpers/temp-db.ts';
import { silentLogger } from '../logger.ts';
import { type Scheduler, startScheduler } from './jobs.ts';

const now = new Date('2026-11-21T12:00:00.000Z');
let t: TempDb;
let scheduler: Scheduler | null = null;
beforeEach(async () => {
  t = await openTempDb({ prefix: 'bw-jobs-' });
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
  await t.dispose();
});

const holdLease = (owner: string) =>
  t.db
    .insertInto('job_leases')
    .values({
      name: 'work',
      owner,
      expires_at: new Date(now.getTime() + 10 * 60_000).toISOString(),
      next_due_at: now.toISOString(),
      last_run_at: null,
    })
    .execute();

async function runsNow(): Promise<number> {
  let runs = 0;
  scheduler = startScheduler({
    db: t.db,
    log: silentLogger,
    clock: () => now,
    tickCron: '0 0 1 1 *',
    jobs: [{ name: 'work', everyMs: 60_000, run: async () => void (runs += 1) }],
  });
  await scheduler.tick(now);
  return runs;
}

describe('job leases', () => {
  it('take over at once the lease of a dead process of this host', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await holdLease(`${hostname()}:${dead}:abcdef12`);
    expect(await runsNow()).toBeGreaterThan(0);
    const row = await t.db.selectFrom('job_leases').selectAll().executeTakeFirstOrThrow();
    expect(row.owner).toBeNull();
    expect(row.last_run_at).not.toBeNull();
  });

  it('leave alone the unexpired lease of a live process, or of another host', async () => {
    await holdLease(`${hostname()}:1:abcdef12`); // pid 1 is alive
    expect(await runsNow()).toBe(0);
    await scheduler!.stop();
    await t.db.deleteFrom('job_leases').execute();
    await holdLease('elsewhere.example:12345:abcdef12');
    expect(await runsNow()).toBe(0);
  });
});

describe('the tick time /readyz reads', () => {
  it('is the clock time of the last tick, null before the first', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    scheduler = startScheduler({
      db: t.db,
      log: silentLogger,
      clock: () => now,
      tickCron: '0 0 1 1 *',
      jobs: [{ name: 'slow', everyMs: 60_000, run: () => held }],
    });
    // The start-up tick fired at once.
    expect(scheduler.lastTickAt()).toEqual(now);
    const later = new Date(now.getTime() + 30_000);
    const tick = scheduler.tick(later);
    expect(scheduler.lastTickAt()).toEqual(later);
    release();
    await tick;
  });
});
