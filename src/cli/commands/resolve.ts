// `bellwether resolve SCENARIO --outcome yes|no [--at DATE]`: records how a scenario resolved.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import { updateForecast } from '../../scenarios/forecast.ts';
import { recordResolution, ResolutionError } from '../../scenarios/resolutions.ts';
import { parseAtOption } from '../at-option.ts';
import { pickQuestion, type QuestionOptions, questionOptions, runtimeOptions } from '../question-option.ts';

function userName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

interface ResolveOptions extends QuestionOptions {
  outcome: string;
  at?: string;
  note?: string;
  replace?: boolean;
}

export function registerResolve(program: Command): void {
  questionOptions(
    program
      .command('resolve')
      .description('record that a scenario resolved yes or no (yes → probability 1, no → 0 from that time on)')
      .argument('<scenario>', 'scenario id from the pack')
      .requiredOption('--outcome <yes|no>', 'how the scenario resolved')
      .option('--at <date>', 'when it resolved: YYYY-MM-DD (midnight UTC) or ISO time (default: now)')
      .option('--note <text>', 'a note kept with the resolution')
      .option('--replace', 'overwrite an earlier resolution of the same scenario'),
  ).action(async (scenario: string, opts: ResolveOptions) => {
    if (opts.outcome !== 'yes' && opts.outcome !== 'no')
      throw new CliError(`--outcome: expected yes or no (got "${opts.outcome}")`);
    const outcome = opts.outcome;
    const at = parseAtOption(opts.at);
    const rt = await openRuntime(runtimeOptions(opts));
    try {
      const loaded = pickQuestion(rt.packs, opts.question);
      const pack = loaded.pack;
      const now = rt.now();
      try {
        await recordResolution(
          rt.db,
          pack,
          {
            scenarioId: scenario,
            outcome,
            resolvedAt: new Date(at),
            resolvedBy: `cli:${userName()}`,
            note: opts.note ?? null,
            replace: opts.replace === true,
          },
          now,
        );
      } catch (error) {
        if (error instanceof ResolutionError) throw CliError.wrap('', error);
        throw error;
      }
      process.stdout.write(`${pack.id}: ${scenario} resolved ${outcome} at ${at}\n`);
      if (at <= now.toISOString()) {
        const { probabilities } = await updateForecast(rt.db, loaded, now);
        process.stdout.write(
          `now: ${Object.entries(probabilities)
            .map(([s, p]) => `${s} ${(p * 100).toFixed(1)} %`)
            .join(', ')}\n`,
        );
      }
    } finally {
      await rt.close();
    }
  });
}
