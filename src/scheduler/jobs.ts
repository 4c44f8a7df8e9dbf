// Runs named periodic jobs with their due times and leases in the database (job_leases), so a
// restart neither double-runs nor forgets a job, a run missed while the process was down runs
// once on start, and two runs of the same job never overlap (across processes too). A lease held by
// a killed process of this host is taken over at once, not after its expiry.
import { systemClock } from '../clock.ts';
import type { Kysely } from 'kysely';
import cron from 'node-cron';
import { userFacingDbError } from '../db/busy.ts';
import { isDeadLocalOwner, newLeaseOwner } from '../db/lease-owner.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';

export interface Job {
  name: string;
  /** Time between the end of one due time and the next. */
  everyMs: number;
  /** Longest a run may hold its lease before another process may take over. */
  leaseMs?: number;
  /** A run may ask to be tried again sooner than `everyMs` (after a failure it handled itself). */
  run(now: Date): Promise<void | JobRetry>;
}

export interface JobRetry {
  retryInMs: number;
}

export interface Scheduler {
  /** Runs every due job once; resolves when they finish. Used by the tick and by tests. */
  tick(now?: Date): Promise<void>;
  /** Stops scheduling and waits for the jobs in flight. */
  stop(): Promise<void>;
  /** When the timer last fired (a tick skipped because the previous one still runs counts: the timer is alive). */
  lastTickAt(): Date | null;
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  jobs: Job[];
  log: Logger;
  /** node-cron expression for the tick (UTC). Default: every 5 seconds. */
  tickCron?: string;
  clock?: () => Date;
  owner?: string;
}

/** Claims the job's lease if it is due and free; returns false when another run holds it or it is not due. */
async function claim(db: Kysely<Database>, job: Job, owner: string, now: Date): Promise<boolean> {
  const iso = now.toISOString();
  await db
    .insertInto('job_leases')
    .values({ name: job.name, owner: null, expires_at: null, next_due_at: iso, last_run_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const take = async (holder: string | null): Promise<boolean> => {
    const res = await db
      .updateTable('job_leases')
      .set({ owner, expires_at: new Date(now.getTime() + (job.leaseMs ?? 10 * 60_000)).toISOString() })
      .where('name', '=', job.name)
      .where('next_due_at', '<=', iso)
      .where((eb) =>
        holder === null ? eb.or([eb('owner', 'is', null), eb('expires_at', '<', iso)]) : eb('owner', '=', holder),
      )
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  };
  if (await take(null)) return true;
  // Held: by a live run (wait), or by a process of this host that was killed (take it over now).
  const row = await db.selectFrom('job_leases').select('owner').where('name', '=', job.name).executeTakeFirst();
  return row?.owner && isDeadLocalOwner(row.owner) ? take(row.owner) : false;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { db, jobs, log } = options;
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? newLeaseOwner();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let lastTick: Date | null = null;

  const runJob = async (job: Job, now: Date): Promise<void> => {
    if (!(await claim(db, job, owner, now))) return;
    const started = Date.now();
    let nextInMs = job.everyMs;
    try {
      const result = await job.run(now);
      if (result && result.retryInMs >= 0) nextInMs = Math.min(job.everyMs, result.retryInMs);
    } catch (error) {
      log.error(`job ${job.name} failed`, { error: (userFacingDbError(error) as Error).message });
    } finally {
      const end = clock();
      await db
        .updateTable('job_leases')
        .set({
          owner: null,
          expires_at: null,
          last_run_at: end.toISOString(),
          next_due_at: new Date(now.getTime() + nextInMs).toISOString(),
        })
        .where('name', '=', job.name)
        .where('owner', '=', owner)
        .execute();
      log.debug(`job ${job.name} ran`, { ms: Date.now() - started });
    }
  };

  const tick = async (now: Date = clock()): Promise<void> => {
    if (stopped) return;
    lastTick = now;
    for (const job of jobs) {
      const p = runJob(job, now).catch((error: unknown) =>
        log.error(`job ${job.name} could not be scheduled`, { error: (error as Error).message }),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all([...inFlight]);
  };

  // noOverlap: a tick that finds the previous one still running is skipped, not queued.
  const task = cron.schedule(options.tickCron ?? '*/5 * * * * *', () => tick(), {
    timezone: 'Etc/UTC',
    noOverlap: true,
  });
  task.on('execution:overlap', () => void (lastTick = clock()));
  void tick();

  return {
    tick,
    lastTickAt: () => lastTick,
    async stop() {
      stopped = true;
      await task.stop();
      await Promise.all([...inFlight]);
    },
  };
}
