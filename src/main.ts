// Composition root for `start`: the only place that builds the database, scheduler and web server together.
// Its role says which: `web` serves the dashboard, API, feed and admin (reads, plus the admin's and
// readers' own writes), `worker` polls, tags, forecasts and sends (serving /healthz only), `all` does both.
// Several workers share one database: feeds and outbox rows are claimed one worker each, and a forecast
// cycle runs under the `forecast` lease (one at a time, whichever worker holds it).
import { BellwetherError } from './errors.ts';
import { serve } from '@hono/node-server';
import { alertJobs, deadlineJob } from './alerts/jobs.ts';
import { ingestJob, markFeedsDue, marketJobs, runIngest, syncPackFeeds } from './ingest/index.ts';
import { resetForecastState } from './scenarios/forecast-state.ts';
import { questionState } from './scenarios/question-state.ts';
import { listResolutions } from './scenarios/resolutions.ts';
import { ensureCurrentPack, runQuestionsCycle } from './pipeline/pipeline.ts';
import { readSavedReport, type SavedReport } from './backtest/report-file.ts';
import { createApp, createHealthApp } from './server/app.ts';
import { createDomainMetrics } from './server/metrics/domain.ts';
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
  /** Install SIGINT/SIGTERM handlers (default true; ignored when `signal` is given). */
  handleSignals?: boolean;
  /**
   * Stops the tracker when aborted, at any point: during start-up the step in flight finishes, what was
   * started is closed, and the returned tracker is already stopping (`closed` resolves once it has stopped).
   */
  signal?: AbortSignal;
  /** A runtime already opened (config read, pack loaded, database migrated); the tracker closes it. */
  runtime?: Runtime;
}

/** The leader lease of the forecast: one cycle at a time across every worker (and start-up's pack check). */
const FORECAST = 'forecast';
/** Short, since a running cycle renews it: a worker that dies mid-cycle frees it within this. */
const FORECAST_LEASE_MS = 2 * 60_000;

/** The Track record page's saved backtest (TRACK_RECORD_FILE): a bad file stops start-up with its reason. */
async function readLibraryRecord(rt: Runtime): Promise<SavedReport | null> {
  try {
    return rt.config.trackRecordFile ? readSavedReport(rt.config.trackRecordFile) : null;
  } catch (error) {
    await rt.close();
    throw error;
  }
}

export async function startTracker(options: StartOptions = {}): Promise<Tracker> {
  const signals = options.signal || options.handleSignals === false ? null : new AbortController();
  const onSignal = (): void => signals?.abort();
  if (signals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const signal = options.signal ?? signals?.signal;
  const rt = options.runtime ?? (await openRuntime(options));
  const { config, log, db, pack, packs, now } = rt;
  const role = config.role;
  const works = role !== 'web';
  // Every question (PACKS) is tagged and forecast each cycle; the default one is `pack`, packs[0].
  const cycle = { db, packs, log };
  const metrics = createDomainMetrics();
  // Every forecast cycle of this process is timed and counted for /metrics.
  const forecastCycle = async (at: Date) => {
    const started = performance.now();
    const result = await runQuestionsCycle(cycle, at);
    metrics.forecast((performance.now() - started) / 1000, result.tagging);
    return result;
  };
  const forecastNow = () =>
    withLease(db, FORECAST, () => forecastCycle(now()), { leaseMs: FORECAST_LEASE_MS, clock: now });
  const actions = works
    ? {
        ingestNow: async () => {
          const summary = await runIngest({ db, config, log }, { now: now(), all: true });
          metrics.ingested(summary);
          await forecastNow();
          return summary;
        },
        // After a resolution (or any change the cache cannot see), rebuild the engine state and update now.
        recompute: async (reason: string) => {
          log.info(`recomputing the forecast: ${reason}`);
          for (const p of packs) resetForecastState(db, p.pack.id);
          return (await forecastNow()).forecasts[0]!.forecast.probabilities;
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
  let scheduler: Scheduler | null = null;
  const libraryRecord = await readLibraryRecord(rt);
  // Listen before anything else starts: a port that cannot be had stops start-up whole, with one line,
  // instead of a tracker that polls and writes alerts with no dashboard.
  const app =
    role === 'worker'
      ? createHealthApp({ version: VERSION, dbKind: rt.handle.kind, role })
      : createApp({
          db,
          dbKind: rt.handle.kind,
          config,
          pack,
          questions: packs,
          ...(libraryRecord ? { libraryRecord } : {}),
          log,
          version: VERSION,
          actions,
          now,
          domainMetrics: metrics,
          // A web instance runs no scheduler: /readyz then leaves that check out.
          ...(works ? { scheduler: { lastTickAt: () => scheduler?.lastTickAt() ?? null } } : {}),
        });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
  } catch (error) {
    server.close();
    await rt.close();
    if (signals) detach();
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

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: Promise<void> | null = null;
  function detach(): void {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // Closes whatever has been started so far: the server, the scheduler (waiting for the jobs in flight
  // and their transactions), then the database.
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info(scheduler ? 'shutting down' : 'stopping before start-up completed');
      await new Promise<void>((r) => server.close(() => r()));
      await scheduler?.stop();
      await rt.close();
      if (signals) detach();
      resolveClosed();
    })();
    return stopping;
  };
  const stopped = (): boolean => (signal?.aborted ? (void stop(), true) : false);

  // SIGTERM during start-up: the step in flight finishes (each is a transaction), the next does not begin;
  // a step that fails closes what was started before the error goes up.
  let jobs: Job[] = [];
  try {
    if (stopped()) return { url, closed, stop };
    // A worker brings every question's feeds and history up to date, one worker at a time (the forecast
    // lease); a signal meanwhile takes effect once that step is done. Web instances only read.
    if (works)
      await withLease(
        db,
        FORECAST,
        async () => {
          for (const p of packs) {
            await syncPackFeeds(db, p.pack.feeds, now(), { intervalMinutes: p.pack.poll_interval_minutes });
            if (signal?.aborted) return;
            await ensureCurrentPack({ db, pack: p, log }, now());
            if (signal?.aborted) return;
          }
        },
        { leaseMs: FORECAST_LEASE_MS, clock: now },
      );
    if (stopped()) return { url, closed, stop };
    // A question that has run out says so: at start-up, then once a day until someone resolves it.
    const checkQuestion = async (now: Date): Promise<void> => {
      for (const p of packs)
        for (const line of questionState(p.pack, await listResolutions(db, p.pack.id), now).attention) log.warn(line);
    };
    const questionTitles = Object.fromEntries(packs.map((p) => [p.pack.id, p.pack.title]));
    await checkQuestion(now());
    if (stopped()) return { url, closed, stop };
    if (works)
      jobs = [
        // Poll due feeds (every worker; each feed is claimed by one); whenever a run stored something, ask for a
        // forecast cycle, which this worker runs unless another holds the forecast lease (it then runs it next).
        ingestJob({
          db,
          config,
          log,
          onRun: async (summary) => {
            metrics.ingested(summary);
            if (summary.feeds.some((f) => f.new + f.updated > 0)) await scheduler?.request(FORECAST);
          },
        }),
        // Evidence decays and deadlines approach even on a quiet news day: refresh hourly.
        {
          name: FORECAST,
          everyMs: 60 * 60_000,
          leaseMs: FORECAST_LEASE_MS,
          run: async (now) => void (await forecastCycle(now)),
        },
        ...alertJobs({ db, config, pack, log, questionTitles, onDelivery: metrics.delivered }),
        ...packs.slice(1).map((p) => deadlineJob({ db, config, pack: p, log })),
        // The pack's market sources (Polymarket, Metaculus), each on its own interval: a failed poll is logged
        // and retried sooner, never fatal.
        ...packs.flatMap((p) => marketJobs({ db, config, pack: p.pack, log })),
        { name: 'question-check', everyMs: 24 * 60 * 60_000, run: checkQuestion },
      ];
  } catch (error) {
    await stop();
    throw error;
  }
  if (works) scheduler = startScheduler({ db, jobs, log, clock: now });
  signal?.addEventListener('abort', () => void stop(), { once: true });
  if (stopped()) return { url, closed, stop };
  const more = packs.length > 1 ? ` and ${packs.length - 1} more question${packs.length > 2 ? 's' : ''}` : '';
  process.stdout.write(
    `Bellwether ${VERSION} tracking "${pack.pack.title}"${more} at ${url} (database: ${rt.handle.kind}, role: ${role})\n`,
  );
  return { url, closed, stop };
}
