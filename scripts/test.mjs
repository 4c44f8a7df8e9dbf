#!/usr/bin/env node
// `npm test`: type-check, lint, the formatter's check, every vitest test, then every vitest test again under a faked clock
// far in the future (libfaketime), which proves no test depends on today's date. Stops at the first
// failing stage. The fake-clock run covers the whole suite, not a chosen subset: a test that reads the
// clock anywhere (directly, through a helper, or through a child process it spawns) is exercised.
// BELLWETHER_TEST_FAKETIME=0 skips that second run for a quick local loop; CI never sets it.
import { spawnSync } from 'node:child_process';

const FAKE_NOW = '2029-06-01 12:00:00';
const args = process.argv.slice(2);

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** libfaketime comes from Debian's `faketime` package; install it as the suite does Chromium. */
function ensureFaketime() {
  if (have('faketime')) return;
  process.stdout.write("faketime is missing: installing Debian's faketime package (apt-get, as root)\n");
  const r = spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq faketime'], { stdio: 'inherit' });
  if (r.status !== 0 || !have('faketime')) {
    process.stderr.write(
      'npm test: cannot install faketime (needs root and Debian\'s package archive): run "apt-get install faketime" and try again\n',
    );
    process.exit(1);
  }
}

const stages = [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['tests', 'npx', ['vitest', 'run', ...args]],
];
if (process.env.BELLWETHER_TEST_FAKETIME !== '0') {
  stages.push([
    `tests under a faked clock (${FAKE_NOW})`,
    'faketime',
    [FAKE_NOW, 'npx', 'vitest', 'run', '--reporter=dot', ...args],
    ensureFaketime,
  ]);
}
for (const [name, cmd, cmdArgs, before] of stages) {
  before?.();
  process.stdout.write(`\n== ${name}: ${cmd} ${cmdArgs.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  process.stdout.write(
    `== ${name} ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
