// Composition root for `start`: the only place that builds the database, scheduler and web server together.
import { BellwetherError } from './errors.ts';
import { serve } from '@hono/node-server';
import { alertJobs, deadlineJob } from './alerts/jobs.ts';
import { ingestJob, marketJobs, runIngest, syncPackFeeds } from './ingest/index.ts';
import { resetForecastState } from './scenarios/forecast-state.ts';
import { questionState } from './scenarios/question-state.ts';
import { listResolutions } from './scenarios/resolutions.ts';
import { ensureCurrentPack, runQuestionsCycle } from './pipeline/pipeline.ts';
import { readSavedReport, type SavedReport } from './backtest/report-file.ts';
import { createApp } from './server/app.ts';
import { type Job, startScheduler } from './scheduler/jobs.ts';
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
  const rt = options.runtime ?? (await openRuntime(options));
  const { config, log, db, pack, packs, now } = rt;
  // Every question (PACKS) is tagged and forecast each cycle; the default one is `pack`, packs[0].
  const cycle = { db, packs, log };
  const actions = {
    ingestNow: async () => {
      const summary = await runIngest({ db, config, log }, { now: now(), all: true });
      await runQuestionsCycle(cycle, now());
      return summary;
    },
    // After a resolution (or any change the cache cannot see), rebuild the engine state and update now.
    recompute: async (reason: string) => {
      log.info(`recomputing the forecast: ${reason}`);
      for (const p of packs) resetForecastState(db, p.pack.id);
      return (await runQuestionsCycle(cycle, now())).forecasts[0]!.forecast.probabilities;
    },
  };
  // The Track record page's saved backtest (TRACK_RECORD_FILE): a bad file stops start-up with its reason.
  const libraryRecord = await readLibraryRecord(rt);
  // Listen before anything else starts: a port that cannot be had stops start-up whole, with one line,
  // instead of a tracker that polls and writes alerts with no dashboard.
  const app = createApp({
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

  for (const p of packs) {
    await syncPackFeeds(db, p.pack.feeds, now(), { intervalMinutes: p.pack.poll_interval_minutes });
    await ensureCurrentPack({ db, pack: p, log }, now());
  }
  // A question that has run out says so: at start-up, then once a day until someone resolves it.
  const checkQuestion = async (now: Date): Promise<void> => {
    for (const p of packs)
      for (const line of questionState(p.pack, await listResolutions(db, p.pack.id), now).attention) log.warn(line);
  };
  const questionTitles = Object.fromEntries(packs.map((p) => [p.pack.id, p.pack.title]));
  await checkQuestion(now());
  const jobs: Job[] = [
    // Poll due feeds; whenever a run stored something, tag it and update the forecast.
    ingestJob({
      db,
      config,
      log,
      onRun: async (summary) => {
        if (summary.feeds.some((f) => f.new + f.updated > 0)) await runQuestionsCycle(cycle, now());
      },
    }),
    // Evidence decays and deadlines approach even on a quiet news day: refresh hourly.
    { name: 'forecast', everyMs: 60 * 60_000, run: async (now) => void (await runQuestionsCycle(cycle, now)) },
    ...alertJobs({ db, config, pack, log, questionTitles }),
    ...packs.slice(1).map((p) => deadlineJob({ db, config, pack: p, log })),
    // The pack's market sources (Polymarket, Metaculus), each on its own interval: a failed poll is logged
    // and retried sooner, never fatal.
    ...packs.flatMap((p) => marketJobs({ db, config, pack: p.pack, log })),
    { name: 'question-check', everyMs: 24 * 60 * 60_000, run: checkQuestion },
  ];
  const scheduler = startScheduler({ db, jobs, log, clock: now });

  const more = packs.length > 1 ? ` and ${packs.length - 1} more question${packs.length > 2 ? 's' : ''}` : '';
  process.stdout.write(
    `Bellwether ${VERSION} tracking "${pack.pack.title}"${more} at ${url} (database: ${rt.handle.kind})\n`,
  );

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('shutting down');
      await new Promise<void>((r) => server.close(() => r()));
      await scheduler.stop(); // waits for the jobs (and their transactions) in flight
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
