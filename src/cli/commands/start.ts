// `bellwether start`: runs the tracker (what `npm start` calls).
import type { Command } from 'commander';
import { startTracker } from '../../main.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('migrate, load the pack, schedule feed polling and serve the dashboard')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (opts: { pack?: string; db?: string }) => {
      const tracker = await startTracker({ packFile: opts.pack, databaseUrl: opts.db });
      await tracker.closed;
    });
}
