// Renders a backtest report: a terminal table, the Markdown of docs/track-record.md, or JSON.
import type { Grid } from './fit.ts';
import type { BacktestReport, QuestionResult, SourceSummary } from './run.ts';
import { type EvidenceSource, type Params, SOURCE_NAMES } from './types.ts';

/** Done-when targets of issue 13: pooled Brier ≤ 0.8 × pooled prior Brier; no question above 1.1 × its prior. */
export const TARGETS = { pooled: 0.8, perQuestion: 1.1 };

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function formatParams(p: Params): string {
  return `λ ${p.evidenceScale}, cap ${p.maxObservations ?? "each indicator's own"}, half-life ×${p.halfLifeFactor}, shrinkage ${p.shrinkage}, deadline decay ${p.deadlineDecay ? 'on' : 'off'}, prior weight ${p.priorWeight}`;
}

export function targetsMet(s: SourceSummary): { pooled: boolean; perQuestion: boolean } {
  return { pooled: s.ratio <= TARGETS.pooled, perQuestion: (s.worst?.ratio ?? 0) <= TARGETS.perQuestion };
}

function sourcesOf(r: BacktestReport): EvidenceSource[] {
  return Object.keys(r.sources) as EvidenceSource[];
}

function marketCell(q: QuestionResult, source: EvidenceSource): string {
  const m = q.sources[source].market;
  return m ? `${f3(m.market.brier)} vs model ${f3(m.model.brier)}, prior ${f3(m.prior.brier)} (${m.days} d)` : '—';
}

/** One Markdown table per evidence source, then the pooled figures, the calibration table and the fits. */
function sourceSection(r: BacktestReport, source: EvidenceSource): string[] {
  const s = r.sources[source];
  const met = targetsMet(s);
  const lines = [
    `## Evidence: ${SOURCE_NAMES[source]}`,
    '',
    '| question | outcome | days | Brier model | Brier prior | Brier uniform | log model | log prior | log uniform | model / prior | market (its days only) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const q of r.questions) {
    const m = q.sources[source].model;
    lines.push(
      `| ${q.id} | ${q.outcome} | ${q.days} | ${f3(m.brier)} | ${f3(q.prior.brier)} | ${f3(q.uniform.brier)} | ${f3(m.logScore)} | ${f3(q.prior.logScore)} | ${f3(q.uniform.logScore)} | ${f3(m.brier / q.prior.brier)} | ${marketCell(q, source)} |`,
    );
  }
  const p = s.pooled;
  lines.push(
    `| **pooled (mean over questions)** | | | **${f3(p.model.brier)}** | ${f3(p.prior.brier)} | ${f3(p.uniform.brier)} | ${f3(p.model.logScore)} | ${f3(p.prior.logScore)} | ${f3(p.uniform.logScore)} | **${f3(s.ratio)}** | |`,
    '',
    `- Pooled Brier / pooled prior Brier: **${f3(s.ratio)}** (target ≤ ${TARGETS.pooled}: ${met.pooled ? 'met' : '**not met**'}).`,
    `- Worst question: ${s.worst ? `${s.worst.id} at ${f3(s.worst.ratio)} × its prior` : '—'} (target ≤ ${TARGETS.perQuestion}: ${met.perQuestion ? 'met' : '**not met**'}).`,
    r.mode === 'loo'
      ? `- Settings fitted on all ${r.questions.length} questions (what a new question should use): ${formatParams(s.fittedAll)}; in-sample pooled Brier ${f3(s.fittedAllModel.brier)} (optimistic, shown only beside the leave-one-out figure above).`
      : r.mode === 'held-out'
        ? `- Held out: scored with the settings fitted on the whole fitting library, none of these questions among them: ${formatParams(s.fittedAll)}.`
        : '- Scored with the settings the packs carry: nothing was fitted.',
    '',
    `### Settings each question was scored with (${r.mode === 'loo' ? 'fitted on the other questions' : r.mode === 'held-out' ? 'fitted on the fitting library' : "its pack's own"})`,
    '',
    '| question | λ | cap | half-life × | shrinkage | deadline decay | prior weight | last forecast |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  );
  for (const q of r.questions) {
    const x = q.sources[source];
    const last = Object.entries(x.last)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ');
    const pp = x.params;
    lines.push(
      `| ${q.id}${x.fitted || r.mode === 'shipped' ? '' : ' (not fitted: no other question)'} | ${pp.evidenceScale} | ${pp.maxObservations ?? 'own'} | ${pp.halfLifeFactor} | ${pp.shrinkage} | ${pp.deadlineDecay ? 'on' : 'off'} | ${pp.priorWeight} | ${last} |`,
    );
  }
  lines.push('', '### Calibration (pooled, leave-one-out forecasts; every scenario of every day)', '');
  lines.push('| forecast | count | mean forecast | observed |', '| --- | ---: | ---: | ---: |');
  for (const b of s.calibration)
    if (b.count > 0)
      lines.push(
        `| ${Math.round(b.from * 100)}–${Math.round(b.to * 100)} % | ${b.count} | ${pct(b.meanForecast)} | ${pct(b.observed)} |`,
      );
  lines.push('');
  if (source === 'rules' && r.tagging) lines.push(...taggingSection(r));
  return lines;
}

function taggingSection(r: BacktestReport): string[] {
  const t = r.tagging!;
  const lines = [
    '### The rule tagger against the gold labels',
    '',
    `Presence of each indicator in each item, ${t.items} items: micro-F1 **${f3(t.microF1)}**.`,
    '',
    '| indicator | gold | found right | false alarms | precision | recall | F1 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [id, a] of Object.entries(t.indicators))
    lines.push(`| ${id} | ${a.support} | ${a.tp} | ${a.fp} | ${f3(a.precision)} | ${f3(a.recall)} | ${f3(a.f1)} |`);
  lines.push('');
  return lines;
}

function gridLine(g: Grid, size: number): string {
  return `λ ∈ {${g.evidenceScale.join(', ')}} × cap ∈ {${g.maxObservations.map((c) => c ?? 'own').join(', ')}} × half-life × ∈ {${g.halfLifeFactor.join(', ')}} × shrinkage ∈ {${g.shrinkage.join(', ')}} × deadline decay ∈ {${g.deadlineDecay.map((d) => (d ? 'on' : 'off')).join(', ')}} × prior weight ∈ {${g.priorWeight.join(', ')}} (${size} settings)`;
}

export function formatMarkdown(r: BacktestReport): string {
  const lines = [
    r.mode === 'held-out' ? '# Track record: held-out questions' : '# Track record',
    '',
    r.mode === 'loo'
      ? '<!-- Generated by `bellwether backtest --markdown > docs/track-record.md`; do not edit by hand. -->'
      : r.mode === 'held-out'
        ? '<!-- Generated by `bellwether backtest --library DIR --fit-on packs/history --markdown`. -->'
        : '<!-- Generated by `bellwether backtest --shipped --markdown`. -->',
    '',
    `${r.mode === 'held-out' ? 'This held-out library' : 'The history library (`packs/history/`)'} holds ${r.questions.length} resolved question${r.questions.length === 1 ? '' : 's'}. Each is replayed day by day`,
    'through the real engine, from the day it opens to the day before its recorded outcome (the outcome day itself is',
    'not scored: its news is the outcome), and scored against what happened. Brier is the multi-category score',
    'Σ_s (p_s − o_s)², 0 best, 2 worst; log is the mean ln p(outcome), 0 best. Baselines: the static priors of the',
    "question's meta.yaml, uniform, and the market where meta.yaml records dated market points (scored only on the",
    'days from its first point on, each point carried forward; the model and the priors are shown on those same days).',
    '',
    ...(r.mode === 'loo'
      ? [
          '**No leakage:** the engine settings a question is scored with are fitted on the *other* questions only',
          '(leave-one-question-out, lowest mean Brier over the grid below). The likelihoods of `packs/history/indicators.yaml`',
          'are fixed by hand and are not fitted; priors come from each meta.yaml. Nothing is tuned per question.',
          '',
          `Grid: ${gridLine(r.grid, r.gridSize)}.`,
          '',
          'Questions written after these settings were frozen, and never fitted on, are scored in',
          '[track-record-heldout.md](track-record-heldout.md) (`bellwether backtest --library packs/history-heldout',
          '--fit-on packs/history --markdown`).',
        ]
      : r.mode === 'held-out'
        ? [
            '**Held out:** the engine settings are fitted on every question of the fitting library (`--fit-on`), over',
            `the grid below, and the questions here are scored with them unchanged: none of them was fitted on.`,
            '',
            `Grid: ${gridLine(r.grid, r.gridSize)}.`,
          ]
        : ['Every question is scored with the settings its pack carries (`--shipped`): nothing is fitted.']),
    '',
    "Two evidence sources are reported: the corpus's **gold labels** (what the engine does with perfect tags) and the",
    "**rule tagger** (the base pack's rules on each item's title and summary, as live tagging would do).",
    '',
  ];
  lines.push(...summary(r));
  if (r.skipped.length > 0) {
    lines.push('Left out:', '');
    for (const s of r.skipped) lines.push(`- ${s.id}: ${s.reason}`);
    lines.push('');
  }
  for (const source of sourcesOf(r)) lines.push(...sourceSection(r, source));
  return `${lines.join('\n')}\n`;
}

/** The verdict in words, per evidence source, from the figures themselves. */
function summary(r: BacktestReport): string[] {
  const lines = ['## Summary', ''];
  for (const source of sourcesOf(r)) {
    const s = r.sources[source];
    const better = r.questions.filter((q) => q.sources[source].model.brier < q.prior.brier).length;
    const verdict =
      s.pooled.model.brier < s.pooled.prior.brier
        ? `beats the static priors (pooled Brier ${f3(s.pooled.model.brier)} vs ${f3(s.pooled.prior.brier)})`
        : `**does not beat the static priors** (pooled Brier ${f3(s.pooled.model.brier)} vs ${f3(s.pooled.prior.brier)})`;
    const uniformVerdict = s.pooled.model.brier < s.pooled.uniform.brier ? 'beats' : 'does not beat';
    const met = targetsMet(s);
    lines.push(
      `- **${SOURCE_NAMES[source]}**: ${r.mode === 'loo' ? 'leave-one-out' : r.mode === 'held-out' ? 'held out' : 'with the shipped settings'}, the model ${verdict}; it ${uniformVerdict} uniform (${f3(s.pooled.uniform.brier)}); it is better than the priors on ${better} of ${r.questions.length} questions. Targets: pooled ≤ ${TARGETS.pooled} × prior ${met.pooled ? 'met' : 'not met'} (${f3(s.ratio)}), every question ≤ ${TARGETS.perQuestion} × its prior ${met.perQuestion ? 'met' : 'not met'} (worst ${f3(s.worst?.ratio ?? 0)}).`,
    );
  }
  lines.push('');
  return lines;
}

/** The terminal summary: per question and pooled, both evidence sources side by side. */
export function formatText(r: BacktestReport): string {
  const sources = sourcesOf(r);
  const how =
    r.mode === 'loo'
      ? `${r.gridSize} settings, leave-one-question-out`
      : r.mode === 'held-out'
        ? `held out: settings fitted on another library (${r.gridSize} settings)`
        : "each pack's own settings, no fitting";
  const lines = [`${r.questions.length} questions, ${how}`, ''];
  const head = ['question'.padEnd(34), 'days'.padStart(4), 'prior'.padStart(7), 'uniform'.padStart(8)];
  for (const s of sources) head.push(s.padStart(7));
  head.push('  market');
  lines.push(`Brier (lower is better)\n${head.join(' ')}`);
  for (const q of r.questions) {
    const row = [
      q.id.padEnd(34),
      String(q.days).padStart(4),
      f3(q.prior.brier).padStart(7),
      f3(q.uniform.brier).padStart(8),
    ];
    for (const s of sources) row.push(f3(q.sources[s].model.brier).padStart(7));
    row.push(`  ${marketCell(q, sources[0]!)}`);
    lines.push(row.join(' '));
  }
  const first = r.sources[sources[0]!];
  const pooled = [
    'pooled'.padEnd(34),
    ''.padStart(4),
    f3(first.pooled.prior.brier).padStart(7),
    f3(first.pooled.uniform.brier).padStart(8),
  ];
  for (const s of sources) pooled.push(f3(r.sources[s].pooled.model.brier).padStart(7));
  lines.push(pooled.join(' '), '');
  for (const s of sources) {
    const x = r.sources[s];
    const met = targetsMet(x);
    lines.push(
      `${SOURCE_NAMES[s]}: pooled ${f3(x.ratio)} × prior (target ≤ ${TARGETS.pooled}: ${met.pooled ? 'met' : 'not met'}); worst ${x.worst?.id ?? '—'} ${f3(x.worst?.ratio ?? 0)} × (target ≤ ${TARGETS.perQuestion}: ${met.perQuestion ? 'met' : 'not met'}); log ${f3(x.pooled.model.logScore)} vs prior ${f3(x.pooled.prior.logScore)}`,
      r.mode === 'loo'
        ? `  fitted on all questions: ${formatParams(x.fittedAll)}`
        : r.mode === 'held-out'
          ? `  fitted on the fitting library: ${formatParams(x.fittedAll)}`
          : `  settings: ${formatParams(x.fittedAll)}`,
    );
  }
  lines.push('', `calibration, pooled: forecast → observed (count), ${sources.join(' | ')}`);
  first.calibration.forEach((b, i) => {
    if (sources.every((s) => r.sources[s].calibration[i]!.count === 0)) return;
    const cells = sources.map((s) => {
      const x = r.sources[s].calibration[i]!;
      return x.count === 0 ? `${'—'.padStart(8)} (0)` : `${pct(x.observed).padStart(8)} (${x.count})`;
    });
    lines.push(`  ${`${Math.round(b.from * 100)}–${Math.round(b.to * 100)} %`.padEnd(10)}${cells.join('  |')}`);
  });
  return `${lines.join('\n')}\n`;
}
