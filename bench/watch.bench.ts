// What-to-watch benchmark: the exact probes (one full evaluation per event indicator and polarity) on a
// state holding 100,000 evidence rows of the default pack, beside one plain evaluation in the same run
// (the reference: the probes cost about that many evaluations). Prints figures; asserts nothing.
import path from 'node:path';
import { EngineState, evaluate, whatToWatch } from '../src/scenarios/engine/index.ts';
import { evidenceSource } from './evidence.ts';
import { loadPack } from '../src/pack/load.ts';

const pack = loadPack(path.resolve('packs/ukraine-peace.yaml')).pack;
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const NOW = new Date(START + 365 * DAY);
const options = { windowStart: new Date(START).toISOString() };

const evidence = evidenceSource(pack, 7, START).makeEvidence(100_000);
const state = new EngineState(pack).add(evidence);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function cpu(fn: () => unknown): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

const one: number[] = [];
const all: number[] = [];
let probes = 0;
for (let i = 0; i < 5; i++) {
  one.push(cpu(() => evaluate(state, NOW, [], options)));
  all.push(cpu(() => (probes = whatToWatch(state, NOW, [], options).probes.length)));
}
const groups = evaluate(state, NOW, [], options).contributions.length;
console.log(`one evaluation, 100,000 rows (${groups} observations), same run: median ${median(one).toFixed(1)} ms CPU`);
console.log(
  `what to watch, ${probes} probes + the base: median ${median(all).toFixed(1)} ms CPU (${(median(all) / median(one)).toFixed(1)} evaluations)`,
);
