// Backtest benchmark: the shipped history library under the full grid, beside one replay as the same-run reference.
// Prints figures; asserts nothing. Issue 13 asks for well under 2 minutes.
import path from 'node:path';
import { evidenceFor } from '../src/backtest/evidence.ts';
import { DEFAULT_GRID, defaultParams, gridSize } from '../src/backtest/fit.ts';
import { loadLibrary } from '../src/backtest/library.ts';
import { replayDays, scoredDays } from '../src/backtest/replay.ts';
import { runBacktest } from '../src/backtest/run.ts';

const library = path.resolve(import.meta.dirname, '../packs/history');
let t = performance.now();
const { questions } = loadLibrary(library);
process.stdout.write(`load ${questions.length} questions: ${(performance.now() - t).toFixed(0)} ms\n`);

const q = questions[0]!;
const evidence = evidenceFor(q, 'gold');
const days = scoredDays(q.meta.opens, q.meta.outcome.date);
t = performance.now();
const n = 50;
for (let i = 0; i < n; i += 1) replayDays(q.pack, evidence, days, q.meta.opens, defaultParams(0.6));
const one = (performance.now() - t) / n;
process.stdout.write(
  `reference: one replay of ${q.meta.id} (${days.length} days, ${evidence.length} tags): ${one.toFixed(2)} ms\n`,
);

t = performance.now();
const report = runBacktest(questions);
const total = performance.now() - t;
const replays = gridSize(DEFAULT_GRID) * report.questions.length * 2;
process.stdout.write(
  `backtest: ${report.questions.length} questions × ${gridSize(DEFAULT_GRID)} settings × 2 evidence sources = ${replays} replays in ${(total / 1000).toFixed(2)} s (${(total / replays).toFixed(2)} ms each)\n`,
);
