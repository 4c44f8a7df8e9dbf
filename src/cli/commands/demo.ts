// `bellwether demo` (npm run demo): replays Nov 2025 – Jan 2026 through the real pipeline offline, then serves it.
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { redactDatabaseUrl } from '../../db/connect.ts';
import { runDemo } from '../../demo/run-demo.ts';
import { summariseHistory } from '../../demo/summary.ts';
import { createLogger } from '../../logger.ts';
import { createApp } from '../../server/app.ts';
import { PACKAGE_ROOT, VERSION } from '../../version.ts';
import { CliError } from '../errors.ts';

interface DemoCliOptions {
  port: string;
  host: string;
  db: string;
  from: string;
  until: string;
  serve: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'offline demo: serve the bundled Nov 2025 – Jan 2026 corpus from 127.0.0.1, run the real pipeline day by day, then serve the dashboard',
    )
    .option('--port <n>', 'dashboard port', process.env.PORT ?? '8080')
    .option('--host <addr>', 'dashboard address', '127.0.0.1')
    .option('--db <file>', "the demo's own database file (recreated each run; never your DATABASE_URL)", 'data/demo.db')
    .option('--from <date>', 'first simulated day', '2025-11-01')
    .option('--until <date>', 'last simulated day', '2026-01-31')
    .option('--no-serve', 'stop after the replay instead of serving the dashboard')
    .action(async (opts: DemoCliOptions) => {
      // The demo recreates its database: a URL here (DATABASE_URL pasted in) must not become a folder named
      // `postgres:` beside the caller, and a tracker's database must never be the demo's.
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(opts.db))
        throw new CliError(
          `bellwether demo: --db takes a file path (the demo always runs on its own SQLite file, recreated each run), not the URL ${redactDatabaseUrl(opts.db)}`,
        );
      const root = PACKAGE_ROOT;
      const log = createLogger((process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn');
      const port = Number(opts.port);
      const baseUrl = `http://localhost:${port}`;
      const started = Date.now();
      process.stdout.write(
        `Bellwether demo: replaying ${opts.from} → ${opts.until} through fetch, decode, parse, cluster, tag, engine and alerts…\n`,
      );
      const run = await runDemo({
        root,
        dbFile: path.resolve(opts.db),
        from: opts.from,
        until: opts.until,
        baseUrl,
        log,
        onDay: (day, p) => {
          if (day.endsWith('-01') || day.endsWith('-15'))
            process.stdout.write(
              `  ${day}  ${Object.entries(p)
                .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
                .join('  ')}\n`,
            );
        },
      });
      await run.close();
      const summary = await summariseHistory(run.handle.db, run.pack.pack);
      process.stdout.write(
        `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s: ${run.days} days, ${run.articles} articles, ${run.sink.messages.length} alert emails delivered to the local SMTP sink.\n\n${summary.paragraph}\n`,
      );
      if (!opts.serve) {
        await run.handle.close();
        return;
      }
      const app = createApp({
        db: run.handle.db,
        dbKind: 'sqlite',
        config: run.config,
        pack: run.pack,
        log,
        version: VERSION,
        now: () => run.endedAt,
      });
      const server = serve({ fetch: app.fetch, port, hostname: opts.host });
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
      process.stdout.write(
        `\nDashboard (as of ${run.endedAt.toISOString().slice(0, 10)}): http://localhost:${port}  — Ctrl-C to stop\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await run.handle.close();
    });
}
