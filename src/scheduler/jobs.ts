// Runs named periodic jobs with their due times and leases in the database (job_leases), so a
// restart neither double-runs nor forgets a job, a run missed while the process was down runs
// once on start, and two runs of the same job never overlap (across processes too): with several
// workers, the lease holder is the job's leader for that run. A running job renews its lease, so a lease
// can be short and a dead worker's is free soon; one held by a killed process of this host is taken over
// at once. A job may be `exclusive: false` (every process runs its own, e.g. ingest, whose work is claimed
// item by item), and a run may be requested ahead of its due time (`request`).
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
  /** How long a lease lasts unless renewed (a running job renews it every third of this). */
  leaseMs?: number;
  /** false: every process runs the job on its own schedule, without a lease (default true: one at a time). */
  exclusive?: boolean;
  /** A run may ask to be tried again sooner than `everyMs` (after a failure it handled itself). */
  run(now: Date): Promise<void | JobRetry>;
}

export interface JobRetry {
  retryInMs: number;
}

export interface Scheduler {
  /** Runs every due job once; resolves when they finish. Used by the tick and by tests. */
  tick(now?: Date): Promise<void>;
  /** Asks for a run of `name` now (before its due time), here or by whichever process claims it first. */
  request(name: string): Promise<void>;
  /** Stops scheduling and waits for the jobs in flight. */
  stop(): Promise<void>;
  /** When the timer last fired (a tick skipped because the previous one still runs counts: the timer is alive). */
  lastTickAt(): Date | null;
}

/** Default lease of a job run (renewed while it runs). */
export const DEFAULT_LEASE_MS = 10 * 60_000;

export interface SchedulerOptions {
  db: Kysely<Database>;
  jobs: Job[];
  log: Logger;
  /** node-cron expression for the tick (UTC). Default: every 5 seconds. */
  tickCron?: string;
  clock?: () => Date;
  owner?: string;
}

async function ensureRow(db: Kysely<Database>, name: string, iso: string): Promise<void> {
  await db
    .insertInto('job_leases')
    .values({ name, owner: null, expires_at: null, next_due_at: iso, last_run_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Claims the lease `name` if it is free (or its holder died) and, unless `anyTime`, due or requested;
 * returns false when another run holds it or it is not due. The claim clears a pending request.
 */
async function claim(
  db: Kysely<Database>,
  name: string,
  o: { owner: string; now: Date; leaseMs: number; anyTime?: boolean },
): Promise<boolean> {
  const iso = o.now.toISOString();
  await ensureRow(db, name, iso);
  const take = async (holder: string | null): Promise<boolean> => {
    let q = db
      .updateTable('job_leases')
      .set({ owner: o.owner, expires_at: new Date(o.now.getTime() + o.leaseMs).toISOString(), requested_at: null })
      .where('name', '=', name);
    if (!o.anyTime) q = q.where((eb) => eb.or([eb('next_due_at', '<=', iso), eb('requested_at', 'is not', null)]));
    q = q.where((eb) =>
      holder === null ? eb.or([eb('owner', 'is', null), eb('expires_at', '<', iso)]) : eb('owner', '=', holder),
    );
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  };
  if (await take(null)) return true;
  // Held: by a live run (wait), or by a process of this host that was killed (take it over now).
  const row = await db.selectFrom('job_leases').select('owner').where('name', '=', name).executeTakeFirst();
  return row?.owner && isDeadLocalOwner(row.owner) ? take(row.owner) : false;
}

/** Keeps renewing `owner`'s lease on `name` until the returned function is called. */
function renewWhileRunning(
  db: Kysely<Database>,
  name: string,
  owner: string,
  leaseMs: number,
  clock: () => Date,
): () => void {
  const timer = setInterval(
    () =>
      void db
        .updateTable('job_leases')
        .set({ expires_at: new Date(clock().getTime() + leaseMs).toISOString() })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .execute()
        .catch(() => undefined), // a missed renewal is retried on the next beat; the lease lasts 3 beats
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Records that a run of `name` is wanted now: whichever process next tries to claim the job runs it, even
 * before its due time (a web instance asks the workers for a forecast after a resolution this way).
 */
export async function requestJob(db: Kysely<Database>, name: string, now: Date): Promise<void> {
  await ensureRow(db, name, now.toISOString());
  await db.updateTable('job_leases').set({ requested_at: now.toISOString() }).where('name', '=', name).execute();
}

/**
 * Runs `fn` holding the lease `name` (whatever its due time), waiting while another process holds it;
 * the job's due time is left as it was. Used at start-up so that one worker checks the pack (and rebuilds
 * the history if it changed) while the others wait, instead of every worker rebuilding at once.
 */
export async function withLease<T>(
  db: Kysely<Database>,
  name: string,
  fn: () => Promise<T>,
  o: { owner?: string; leaseMs?: number; clock?: () => Date; pollMs?: number } = {},
): Promise<T> {
  const owner = o.owner ?? newLeaseOwner();
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const clock = o.clock ?? systemClock;
  while (!(await claim(db, name, { owner, now: clock(), leaseMs, anyTime: true })))
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
  const stopRenewing = renewWhileRunning(db, name, owner, leaseMs, clock);
  try {
    return await fn();
  } finally {
    stopRenewing();
    await db
      .updateTable('job_leases')
      .set({ owner: null, expires_at: null })
      .where('name', '=', name)
      .where('owner', '=', owner)
      .execute();
  }
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { db, jobs, log } = options;
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? newLeaseOwner();
  const inFlight = new Set<Promise<void>>();
  /** Jobs running in this process (a job never overlaps itself here, exclusive or not). */
  const running = new Set<string>();
  /** Next due time of the jobs that are not exclusive (kept in this process only). */
  const localDue = new Map<string, number>();
  let stopped = false;
  let lastTick: Date | null = null;

  const runLocal = async (job: Job, now: Date): Promise<void> => {
    if ((localDue.get(job.name) ?? 0) > now.getTime()) return;
    let nextInMs = job.everyMs;
    try {
      const result = await job.run(now);
      if (result && result.retryInMs >= 0) nextInMs = Math.min(job.everyMs, result.retryInMs);
    } catch (error) {
      log.error(`job ${job.name} failed`, { error: (userFacingDbError(error) as Error).message });
    }
    localDue.set(job.name, now.getTime() + nextInMs);
  };

  const runJob = async (job: Job, now: Date): Promise<void> => {
    if (running.has(job.name)) return;
    running.add(job.name);
    try {
      if (job.exclusive === false) await runLocal(job, now);
      else await runLeased(job, now);
    } finally {
      running.delete(job.name);
    }
  };

  const runLeased = async (job: Job, now: Date): Promise<void> => {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(await claim(db, job.name, { owner, now, leaseMs }))) return;
    const stopRenewing = renewWhileRunning(db, job.name, owner, leaseMs, clock);
    const started = Date.now();
    let nextInMs = job.everyMs;
    try {
      const result = await job.run(now);
      if (result && result.retryInMs >= 0) nextInMs = Math.min(job.everyMs, result.retryInMs);
    } catch (error) {
      log.error(`job ${job.name} failed`, { error: (userFacingDbError(error) as Error).message });
    } finally {
      stopRenewing();
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

  const launch = (job: Job, now: Date): Promise<void> => {
    const p = runJob(job, now).catch((error: unknown) =>
      log.error(`job ${job.name} could not be scheduled`, { error: (error as Error).message }),
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  const tick = async (now: Date = clock()): Promise<void> => {
    if (stopped) return;
    lastTick = now;
    for (const job of jobs) void launch(job, now);
    await Promise.all([...inFlight]);
  };

  const request = async (name: string): Promise<void> => {
    const job = jobs.find((j) => j.name === name);
    const now = clock();
    if (job?.exclusive === false) localDue.delete(name);
    else await requestJob(db, name, now);
    // Run it here if this process has the job and can claim it; otherwise the request waits for the next claim
    // (by this process's next tick, or by the worker now running it, whose next tick claims it again).
    if (job && !stopped) void launch(job, now);
  };

  // Each tick starts the due jobs that are not running here already; a long job (an ingest run) never holds
  // back the others (the outbox, the forecast), and a job never overlaps itself (`running`, and the lease).
  const task = cron.schedule(options.tickCron ?? '*/5 * * * * *', () => void tick(), {
    timezone: 'Etc/UTC',
    noOverlap: true,
  });
  task.on('execution:overlap', () => void (lastTick = clock()));
  void tick();

  return {
    tick,
    lastTickAt: () => lastTick,
    request,
    async stop() {
      stopped = true;
      await task.stop();
      await Promise.all([...inFlight]);
    },
  };
}
