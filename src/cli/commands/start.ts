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
      // What can fail at start-up (configuration, pack, database, migrations) is checked before the rest of
      // the tracker (server, ingestion, alerts) is even loaded, so a bad setup is refused within a second.
      const runtime = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db, role: opts.role });
      let tracker;
      try {
        const { startTracker } = await import('../../main.ts');
        tracker = await startTracker({ runtime });
      } catch (error) {
        await runtime.close();
        throw error;
      }
      await tracker.closed;
    });
}
