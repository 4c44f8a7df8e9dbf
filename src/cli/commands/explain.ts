// `bellwether explain <scenario> [--at DATE] [--json]`: the stories for and against a scenario, with the
// exact probability without each one — the same module the dashboard and the API use.
import type { Command } from 'commander';
import { openRuntime } from '../../pipeline/runtime.ts';
import { explainAt, type ScenarioExplanation, type StoryExplanation } from '../../scenarios/explanations.ts';
import { parseAtOption } from '../at-option.ts';
import { CliError } from '../errors.ts';
import { pickQuestion, type QuestionOptions, questionOptions, runtimeOptions } from '../question-option.ts';

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

function storyLines(s: StoryExplanation): string[] {
  const tags = s.tags.map((t) => [t.indicatorId, t.polarity ?? 'level', t.modality].filter(Boolean).join('/'));
  return [
    `  ${s.shift >= 0 ? '+' : '−'}${Math.abs(s.shift).toFixed(2)}  without: ${pct(s.without).padStart(7)}  ${s.title ?? `(story ${s.story})`}`,
    `         ${tags.join(', ')}${s.url ? `  <${s.url}>` : ''}`,
  ];
}

export function formatExplanation(at: string, e: ScenarioExplanation): string {
  const lines = [
    `${e.scenarioId} ${pct(e.probability)} at ${at} (${e.stories} stories, ${e.contributions} pieces of evidence)`,
    '',
    'stories for (log-odds push, probability without the story):',
    ...(e.for.length ? e.for.flatMap(storyLines) : ['  none']),
    '',
    'stories against:',
    ...(e.against.length ? e.against.flatMap(storyLines) : ['  none']),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerExplain(program: Command): void {
  questionOptions(
    program
      .command('explain')
      .description('the stories for and against a scenario in the snapshot in force at a time (default now)')
      .argument('<scenario>', 'scenario id')
      .option('--at <date>', 'YYYY-MM-DD (midnight UTC) or ISO time (default: now)')
      .option('--top <n>', 'stories per side', '10')
      .option(
        '--json',
        'print one JSON document, the explanation (same shape as GET /api/v1/scenarios/{id}/explanation)',
      ),
  ).action(async (scenario: string, opts: QuestionOptions & { at?: string; top: string; json?: boolean }) => {
    const top = Number(opts.top);
    if (!Number.isInteger(top) || top < 1) throw new CliError(`--top: expected a positive integer (got "${opts.top}")`);
    const rt = await openRuntime(runtimeOptions(opts));
    try {
      const loaded = pickQuestion(rt.packs, opts.question);
      const ids = loaded.pack.scenarios.map((s) => s.id);
      if (!ids.includes(scenario))
        throw new CliError(`unknown scenario "${scenario}" (the pack ${loaded.pack.id} has ${ids.join(', ')})`);
      const at = opts.at === undefined ? rt.now().toISOString() : parseAtOption(opts.at);
      const explanation = await explainAt(rt.db, loaded.pack.id, at, top);
      if (!explanation) throw new CliError(`no snapshot at or before ${at}: run ingest or replay first`);
      const e = explanation.scenarios.find((s) => s.scenarioId === scenario)!;
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ snapshot: { id: explanation.snapshot.id, at: explanation.snapshot.at }, ...e })}\n`
          : formatExplanation(explanation.snapshot.at, e),
      );
    } finally {
      await rt.close();
    }
  });
}
