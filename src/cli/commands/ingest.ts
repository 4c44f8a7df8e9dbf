// `bellwether ingest --once [--all] [--json]`: polls the due feeds (or all) once and prints a
// summary per feed; without --once it keeps polling on the scheduler until interrupted.
import type { Command } from 'commander';
import { type FeedResult, ingestJob, runIngest, syncPackFeeds } from '../../ingest/index.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import { startScheduler } from '../../scheduler/jobs.ts';

export function formatResult(r: FeedResult): string {
  const counts = `${String(r.new).padStart(5)} new ${String(r.updated).padStart(4)} updated ${String(r.unchanged).padStart(5)} unchanged`;
  return `${r.status.padEnd(12)} ${counts}  ${r.url}${r.error ? `\n             ${r.error}` : ''}`;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('poll feeds: --once runs every due feed (or --all) once and prints a summary per feed')
    .option('--once', 'run once and exit (otherwise keep polling until Ctrl-C)')
    .option('--all', 'poll every active feed, due or not')
    .option('--json', 'one JSON object per feed per line: {"url","status","new","updated","unchanged","error"}')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (o: { once?: boolean; all?: boolean; json?: boolean; pack?: string; db?: string }) => {
      const rt = await openRuntime({ packFile: o.pack, databaseUrl: o.db });
      const deps = { db: rt.db, config: rt.config, log: rt.log };
      try {
        await syncPackFeeds(rt.db, rt.pack.pack.feeds, rt.now(), {
          intervalMinutes: rt.pack.pack.poll_interval_minutes,
        });
        if (!o.once) {
          const scheduler = startScheduler({ db: rt.db, jobs: [ingestJob(deps)], log: rt.log });
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await scheduler.stop();
          return;
        }
        const { feeds } = await runIngest(deps, { now: rt.now(), all: o.all });
        for (const r of feeds) {
          const { url, status, new: added, updated, unchanged, error } = r;
          process.stdout.write(
            `${o.json ? JSON.stringify({ url, status, new: added, updated, unchanged, error }) : formatResult(r)}\n`,
          );
        }
        if (!o.json) {
          const sum = (k: 'new' | 'updated' | 'unchanged') => feeds.reduce((n, f) => n + f[k], 0);
          const failed = feeds.filter((f) => f.status === 'error').length;
          process.stdout.write(
            `${feeds.length} feeds: ${sum('new')} new, ${sum('updated')} updated, ${sum('unchanged')} unchanged, ${failed} failed\n`,
          );
        }
        // The work failed when every feed polled failed: exit 1 so cron and CI notice.
        if (feeds.length > 0 && feeds.every((f) => f.status === 'error')) process.exitCode = 1;
      } finally {
        await rt.close();
      }
    });
}
