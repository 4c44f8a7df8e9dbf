#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ (each prints its own figures). Not a test.
// `npm run bench -- NAME [ARGS…]` runs the benchmarks whose file name contains NAME, passing ARGS on.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const [only, ...rest] = process.argv.slice(2);
const files = readdirSync(new URL('../bench/', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
if (files.length === 0) process.stdout.write('no benchmarks found\n');
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n## ${f}\n`);
  const r = spawnSync('npx', ['tsx', `bench/${f}`, ...rest], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
