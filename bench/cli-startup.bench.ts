// CLI start-up: wall time of `bellwether --help` (the built CLI in dist/) beside `node -e 0` measured in the
// same run, interleaved, so the machine's load weighs on both alike. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = 15;

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const cases: Array<[string, string[]]> = [
  ['node -e 0', ['-e', '0']],
  ['bellwether --help', ['bin/bellwether.js', '--help']],
  [
    'bellwether pack validate packs/ukraine-peace.yaml',
    ['bin/bellwether.js', 'pack', 'validate', 'packs/ukraine-peace.yaml'],
  ],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of cases) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    times.get(name)!.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times.get('node -e 0')!);
process.stdout.write(`${RUNS} runs each, interleaved; load average ${loadavg()[0]!.toFixed(1)} on this machine\n`);
for (const [name] of cases) {
  const xs = times.get(name)!;
  const m = median(xs);
  process.stdout.write(
    `${name.padEnd(52)} median ${m.toFixed(0).padStart(4)} ms  min ${Math.min(...xs)
      .toFixed(0)
      .padStart(4)} ms  (${(m / base).toFixed(1)}× node -e 0)\n`,
  );
}
process.stdout.write('target: bellwether --help ≤ 300 ms\n');
