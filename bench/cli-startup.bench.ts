// CLI start-up: wall time of `bellwether --help` (the built CLI in dist/) beside `node -e 0` measured in the
// same run, interleaved, so the machine's load weighs on both alike. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = 15;

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

// Fail fast: start-up on a file that is not a database must exit (1) within 2 s.
const garbage = path.join(mkdtempSync(path.join(tmpdir(), 'bw-bench-')), 'garbage.db');
writeFileSync(garbage, 'not a database\n'.repeat(20));

const cases: Array<[string, string[], Record<string, string>?, number?]> = [
  ['node -e 0', ['-e', '0']],
  ['bellwether --help', ['bin/bellwether.js', '--help']],
  [
    'bellwether pack validate packs/ukraine-peace.yaml',
    ['bin/bellwether.js', 'pack', 'validate', 'packs/ukraine-peace.yaml'],
  ],
  ['bellwether start (a file that is not a database)', ['bin/bellwether.js', 'start'], { DATABASE_URL: garbage }, 1],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, args, env, expected = 0] of cases) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore', env: { ...process.env, ...env } });
    if (r.status !== expected) throw new Error(`${name} exited ${r.status}`);
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
    `${name.padEnd(50)} median ${m.toFixed(0).padStart(4)} ms  min ${Math.min(...xs)
      .toFixed(0)
      .padStart(4)} ms  (${(m / base).toFixed(1)}× node -e 0)\n`,
  );
}
process.stdout.write('targets: bellwether --help ≤ 300 ms; a start-up that cannot succeed exits within 2 s\n');
