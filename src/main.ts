// Composition root for `start`: the only place that builds the database, scheduler and web server together.
// Its role says which: `web` serves the dashboard, API, feed and admin (reads, plus the admin's and
// readers' own writes), `worker` polls, tags, forecasts and sends (serving /healthz only), `all` does both.
// Several workers share one database: feeds and outbox rows are claimed one worker each, and a forecast
// cycle runs under the `forecast` lease (one at a time, whichever worker holds it).
import { BellwetherError } from './errors.ts';
import { serve } from '@hono/node-server';
import { alertJobs } from './alerts/jobs.ts';
import { ingestJob, markFeedsDue, marketJobs, runIngest, syncPackFeeds } from './ingest/index.ts';
import { resetForecastState } from './scenarios/forecast-state.ts';
import { questionState } from './scenarios/question-state.ts';
import { listResolutions } from './scenarios/resolutions.ts';
import { ensureCurrentPack, runForecastCycle } from './pipeline/pipeline.ts';
import { createApp, createHealthApp } from './server/app.ts';
import { type Job, requestJob, type Scheduler, startScheduler, withLease } from './scheduler/jobs.ts';
import { openRuntime, type Runtime, type RuntimeOptions } from './pipeline/runtime.ts';
import { VERSION } from './version.ts';

/** Start-up could not complete (the port is taken, …): the message is the whole story. */
export class StartError extends BellwetherError<'listen_failed'> {
  readonly code = 'listen_failed';
}

export interface Tracker {
  url: string;
  /** Resolves once the tracker has shut down (signal or stop()). */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions extends RuntimeOptions {
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
  /** A runtime already opened (config read, pack loaded, database migrated); the tracker closes it. */
  runtime?: Runtime;
}

/** The leader lease of the forecast: one cycle at a time across every worker (and start-up's pack check). */
const FORECAST = 'forecast';
/** Short, since a running cycle renews it: a worker that dies mid-cycle frees it within this. */
const FORECAST_LEASE_MS = 2 * 60_000;

export async function startTracker(options: StartOptions = {}): Promise<Tracker> {
  const rt = options.runtime ?? (await openRuntime(options));
  const { config, log, db, pack, now } = rt;
  const role = config.role;
  const works = role !== 'web';
  const cycle = { db, pack, log };
  const forecastNow = () =>
    withLease(db, FORECAST, () => runForecastCycle(cycle, now()), { leaseMs: FORECAST_LEASE_MS, clock: now });
  const actions = works
    ? {
        ingestNow: async () => {
          const summary = await runIngest({ db, config, log }, { now: now(), all: true });
          await forecastNow();
          return summary;
        },
        // After a resolution (or any change the cache cannot see), rebuild the engine state and update now.
        recompute: async (reason: string) => {
          log.info(`recomputing the forecast: ${reason}`);
          resetForecastState(db, pack.pack.id);
          return (await forecastNow()).forecast.probabilities;
        },
      }
    : {
        // A web instance does no work itself: it leaves it to the workers, through the database.
        ingestNow: async () => ({ queued: await markFeedsDue(db, now()) }),
        recompute: async (reason: string) => {
          log.info(`asking the workers to recompute the forecast: ${reason}`);
          await requestJob(db, FORECAST, now());
          return null;
        },
      };
  // Listen before anything else starts: a port that cannot be had stops start-up whole, with one line,
  // instead of a tracker that polls and writes alerts with no dashboard.
  const app =
    role === 'worker'
      ? createHealthApp({ version: VERSION, dbKind: rt.handle.kind, role })
      : createApp({ db, dbKind: rt.handle.kind, config, pack, log, version: VERSION, actions, now });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
  } catch (error) {
    server.close();
    await rt.close();
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? 'the address is already in use' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new StartError(`cannot listen on ${config.host}:${config.port}: ${why}${e.code ? ` (${e.code})` : ''}`, {
      cause: error,
    });
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.baseUrl.replace(/:\d+$/, `:${port}`);

  // A question that has run out says so: at start-up, then once a day until someone resolves it.
  const checkQuestion = async (now: Date): Promise<void> => {
    for (const line of questionState(pack.pack, await listResolutions(db, pack.pack.id), now).attention) log.warn(line);
  };
  await checkQuestion(now());
  const scheduler = works ? await startWork(rt, checkQuestion) : null;
  process.stdout.write(
    `Bellwether ${VERSION} tracking "${pack.pack.title}" at ${url} (database: ${rt.handle.kind}, role: ${role})\n`,
  );

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('shutting down');
      await new Promise<void>((r) => server.close(() => r()));
      await scheduler?.stop(); // waits for the jobs (and their transactions) in flight
      await rt.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveClosed();
    })();
    return stopping;
  };
  const onSignal = (): void => void stop();
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { url, closed, stop };
}

/** A worker's part: the pack's feeds and history brought up to date (one worker at a time), then the jobs. */
async function startWork(rt: Runtime, checkQuestion: (now: Date) => Promise<void>): Promise<Scheduler> {
  const { config, log, db, pack, now } = rt;
  const cycle = { db, pack, log };
  await withLease(
    db,
    FORECAST,
    async () => {
      await syncPackFeeds(db, pack.pack.feeds, now(), { intervalMinutes: pack.pack.poll_interval_minutes });
      await ensureCurrentPack(cycle, now());
    },
    { leaseMs: FORECAST_LEASE_MS, clock: now },
  );
  let scheduler: Scheduler | null = null;
  const jobs: Job[] = [
    // Poll due feeds (every worker; each feed is claimed by one); whenever a run stored something, ask for a
    // forecast cycle, which this worker runs unless another holds the forecast lease (it then runs it next).
    ingestJob({
      db,
      config,
      log,
      onRun: async (summary) => {
        if (summary.feeds.some((f) => f.new + f.updated > 0)) await scheduler?.request(FORECAST);
      },
    }),
    // Evidence decays and deadlines approach even on a quiet news day: refresh hourly.
    {
      name: FORECAST,
      everyMs: 60 * 60_000,
      leaseMs: FORECAST_LEASE_MS,
      run: async (now) => void (await runForecastCycle(cycle, now)),
    },
    ...alertJobs({ db, config, pack, log }),
    // The pack's market sources (Polymarket, Metaculus), each on its own interval: a failed poll is logged
    // and retried sooner, never fatal.
    ...marketJobs({ db, config, pack: pack.pack, log }),
    { name: 'question-check', everyMs: 24 * 60 * 60_000, run: checkQuestion },
  ];
  scheduler = startScheduler({ db, jobs, log, clock: now });
  return scheduler;
}
