// `bellwether ingest --once [--all] [--json]`: polls the due feeds (or all) once and prints a
// summary per feed; without --once it keeps polling on the scheduler until interrupted.
import type { Command } from 'commander';
import { type FeedResult, ingestJob, runIngest, syncPackFeeds } from '../../ingest/index.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import { startScheduler } from '../../scheduler/jobs.ts';
import { printJson } from '../json-output.ts';

export function formatResult(r: FeedResult): string {
  const counts = `${String(r.new).padStart(5)} new ${String(r.updated).padStart(4)} updated ${String(r.unchanged).padStart(5)} unchanged`;
  return `${r.status.padEnd(12)} ${counts}  ${r.url}${r.error ? `\n             ${r.error}` : ''}`;
}

/** The --json document of one ingest run. */
function report(feeds: FeedResult[]) {
  const sum = (k: 'new' | 'updated' | 'unchanged') => feeds.reduce((n, f) => n + f[k], 0);
  return {
    feeds: feeds.map(({ url, status, new: added, updated, unchanged, error }) => ({
      url,
      status,
      new: added,
      updated,
      unchanged,
      error,
    })),
    totals: {
      feeds: feeds.length,
      new: sum('new'),
      updated: sum('updated'),
      unchanged: sum('unchanged'),
      failed: feeds.filter((f) => f.status === 'error').length,
    },
  };
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('poll feeds: --once runs every due feed (or --all) once and prints a summary per feed')
    .option('--once', 'run once and exit (otherwise keep polling until Ctrl-C)')
    .option('--all', 'poll every active feed, due or not')
    .option(
      '--json',
      'print one JSON document {"feeds":[{"url","status","new","updated","unchanged","error"}],"totals":{...}} (with --once; without it, one per run)',
    )
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (o: { once?: boolean; all?: boolean; json?: boolean; pack?: string; db?: string }) => {
      const rt = await openRuntime({ packFile: o.pack, databaseUrl: o.db });
      const deps = { db: rt.db, config: rt.config, log: rt.log };
      try {
        // Every question's feeds (PACKS), as `start` does.
        for (const p of rt.packs)
          await syncPackFeeds(rt.db, p.pack.feeds, rt.now(), { intervalMinutes: p.pack.poll_interval_minutes });
        if (!o.once) {
          const job = ingestJob({
            ...deps,
            onRun: async ({ feeds }) => {
              if (o.json) printJson(report(feeds));
            },
          });
          const scheduler = startScheduler({ db: rt.db, jobs: [job], log: rt.log });
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await scheduler.stop();
          return;
        }
        const { feeds } = await runIngest(deps, { now: rt.now(), all: o.all });
        const r = report(feeds);
        if (o.json) printJson(r);
        else {
          for (const f of feeds) process.stdout.write(`${formatResult(f)}\n`);
          const t = r.totals;
          process.stdout.write(
            `${t.feeds} feeds: ${t.new} new, ${t.updated} updated, ${t.unchanged} unchanged, ${t.failed} failed\n`,
          );
        }
        // The work failed when every feed polled failed: exit 1 so cron and CI notice.
        if (feeds.length > 0 && feeds.every((f) => f.status === 'error')) process.exitCode = 1;
      } finally {
        await rt.close();
      }
    });
}
