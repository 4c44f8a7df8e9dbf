// `bellwether resolve SCENARIO --outcome yes|no [--at DATE]`: records how a scenario resolved.
import type { Command } from 'commander';
import { CliError } from '../../cli.ts';
import { openRuntime } from '../../runtime.ts';
import { updateForecast } from '../../scenarios/forecast.ts';
import { parseAtOption } from '../at-option.ts';

interface ResolveOptions {
  outcome: string;
  at?: string;
  note?: string;
  pack?: string;
  db?: string;
}

export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description('record that a scenario resolved yes or no (yes → probability 1, no → 0 from that time on)')
    .argument('<scenario>', 'scenario id from the pack')
    .requiredOption('--outcome <yes|no>', 'how the scenario resolved')
    .option('--at <date>', 'when it resolved: YYYY-MM-DD (midnight UTC) or ISO time (default: now)')
    .option('--note <text>', 'a note kept with the resolution')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (scenario: string, opts: ResolveOptions) => {
      if (opts.outcome !== 'yes' && opts.outcome !== 'no') throw new CliError(`--outcome: expected yes or no (got "${opts.outcome}")`);
      const outcome = opts.outcome;
      const at = parseAtOption(opts.at);
      const rt = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db });
      try {
        const pack = rt.pack.pack;
        if (!pack.scenarios.some((s) => s.id === scenario)) {
          throw new CliError(`unknown scenario "${scenario}" (pack ${pack.id} has ${pack.scenarios.map((s) => s.id).join(', ')})`);
        }
        const now = new Date().toISOString();
        await rt.db
          .insertInto('resolutions')
          .values({ pack_id: pack.id, scenario_id: scenario, outcome, resolved_at: at, note: opts.note ?? null, created_at: now })
          .onConflict((oc) => oc.columns(['pack_id', 'scenario_id']).doUpdateSet({ outcome, resolved_at: at, note: opts.note ?? null, created_at: now }))
          .execute();
        process.stdout.write(`${pack.id}: ${scenario} resolved ${outcome} at ${at}\n`);
        if (at <= now) {
          const { probabilities } = await updateForecast(rt.db, rt.pack, now);
          process.stdout.write(`now: ${Object.entries(probabilities).map(([s, p]) => `${s} ${(p * 100).toFixed(1)} %`).join(', ')}\n`);
        }
      } finally {
        await rt.close();
      }
    });
}
