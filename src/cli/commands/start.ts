// `bellwether start`: runs the tracker (what `npm start` calls).
import type { Command } from 'commander';
import { openRuntime } from '../../pipeline/runtime.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('migrate, load the pack, schedule feed polling and serve the dashboard')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--role <role>', 'web (serve only), worker (poll, tag, forecast, send) or all (default: ROLE, else all)')
    .action(async (opts: { pack?: string; db?: string; role?: string }) => {
      // SIGTERM or SIGINT at any moment stops the tracker whole and exits 0: during start-up the step in
      // flight (a migration, a feed sync) finishes, what was opened is closed, and nothing more starts.
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // bin/bellwether.js ended the process on a signal while the code loaded; from here on, this stops it.
      const beforeStart = (globalThis as Record<symbol, unknown>)[Symbol.for('bellwether.beforeStart')];
      if (typeof beforeStart === 'function') {
        process.off('SIGINT', beforeStart as () => void);
        process.off('SIGTERM', beforeStart as () => void);
      }
      try {
        // What can fail at start-up (configuration, pack, database, migrations) is checked before the rest of
        // the tracker (server, ingestion, alerts) is even loaded, so a bad setup is refused within a second.
        const runtime = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db, role: opts.role });
        if (stop.signal.aborted) {
          runtime.log.info('stopping before start-up completed');
          await runtime.close();
          return;
        }
        let tracker;
        try {
          const { startTracker } = await import('../../main.ts');
          tracker = await startTracker({ runtime, signal: stop.signal });
        } catch (error) {
          await runtime.close();
          throw error;
        }
        await tracker.closed;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
