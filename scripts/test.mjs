#!/usr/bin/env node
// `npm test`: type-check, lint, the formatter's check, then every vitest test twice, each pass with what the other
// lacks:
//   1. every test file on SQLite under a faked clock far in the future (libfaketime, FAKE_NOW below), which proves
//      no test depends on today's date: a test that reads the clock anywhere (directly, through a helper, or
//      through a child process it spawns) is exercised;
//   2. every test file that touches the database on PostgreSQL 15 (BELLWETHER_TEST_DB=postgres: a throwaway
//      cluster started by test/setup/postgres.ts), with the real clock. A file touches the database when its
//      imports reach test/helpers/test-database.ts, where every test database is made.
// So every database test runs on both databases and under both clocks; the tests that do not touch the database
// (the matcher, parsers, corpora: a fifth of the suite's time) run once, under the faked clock, which is the
// pass that can catch what they could get wrong. Two passes, not three: the suite stays well inside the
// 15 minutes CI allows on two cores (docs/development.md has the figures). Stops at the first failing stage.
// When node_modules is missing or older than package-lock.json, it first runs `npm ci` or `npm install`
// (scripts/ensure-installed.mjs).
// BELLWETHER_TEST_FAKETIME=0 runs the first pass with the real clock, and BELLWETHER_TEST_POSTGRES=0 skips the
// PostgreSQL pass, for a quick local loop; CI sets neither.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './ensure-installed.mjs';

// Straight after a clone (or a pull that changed the lock file): install first, then test.
ensureInstalled(process.cwd());

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

/** PostgreSQL 15 comes from Debian's `postgresql` package; the suite's cluster needs initdb and pg_ctl. */
function ensurePostgres() {
  if (process.env.BELLWETHER_TEST_PG_URL) return;
  const found = () => spawnSync('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/initdb'], { stdio: 'ignore' }).status === 0;
  if (found()) return;
  process.stdout.write("PostgreSQL is missing: installing Debian's postgresql package (apt-get, as root)\n");
  const r = spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq postgresql'], { stdio: 'inherit' });
  if (r.status !== 0 || !found()) {
    process.stderr.write(
      'npm test: cannot install PostgreSQL (needs root and Debian\'s package archive): run "apt-get install postgresql", ' +
        'or set BELLWETHER_TEST_PG_URL to a PostgreSQL server where the suite may create databases, or ' +
        'BELLWETHER_TEST_POSTGRES=0 to skip the PostgreSQL pass locally\n',
    );
    process.exit(1);
  }
}

/** Where every test database is made: a test file that imports it (directly or through helpers) touches the database. */
const TEST_DATABASE = path.resolve('test/helpers/test-database.ts');

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : testFiles(p);
    return /\.test\.tsx?$/.test(e.name) ? [path.resolve(p)] : [];
  });
}

/** Follows relative imports (static and dynamic) from `file`; true if TEST_DATABASE is among them. */
function reachesTestDatabase(file, seen = new Set()) {
  if (file === TEST_DATABASE) return true;
  if (seen.has(file) || !existsSync(file) || file.includes(`${path.sep}node_modules${path.sep}`)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    if (reachesTestDatabase(path.resolve(path.dirname(file), m[1]), seen)) return true;
  }
  return false;
}

/**
 * Test files that test SQLite itself, each with why: they run in the SQLite passes only. Every other
 * database-touching file runs on both databases; this list is the whole exception, and it should not grow.
 */
const SQLITE_ONLY = new Set([
  'test/db-faults.test.ts', // SQLite's own faults: a lock held past the busy timeout, a full disk, VACUUM INTO
]);

/**
 * The PostgreSQL pass runs the test files that touch the database: those whose imports reach
 * test/helpers/test-database.ts. The rest (the matcher, parsers, corpora) do not depend on the database
 * and already ran in the SQLite pass. With file arguments, those files run as given.
 */
function databaseTestFiles() {
  if (args.some((a) => !a.startsWith('-'))) return args;
  const files = [...testFiles('src'), ...testFiles('test')].filter(
    (f) => reachesTestDatabase(f) && !SQLITE_ONLY.has(path.relative(process.cwd(), f)),
  );
  return [...args, ...files.map((f) => path.relative(process.cwd(), f))];
}

const fakeClock = process.env.BELLWETHER_TEST_FAKETIME !== '0';
const stages = [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  fakeClock
    ? [
        `tests on SQLite under a faked clock (${FAKE_NOW})`,
        'faketime',
        [FAKE_NOW, 'npx', 'vitest', 'run', ...args],
        ensureFaketime,
      ]
    : ['tests on SQLite', 'npx', ['vitest', 'run', ...args]],
];
if (process.env.BELLWETHER_TEST_POSTGRES !== '0') {
  stages.push([
    'tests on PostgreSQL (the files that touch the database), real clock',
    'npx',
    ['vitest', 'run', '--reporter=dot', ...databaseTestFiles()],
    ensurePostgres,
    { BELLWETHER_TEST_DB: 'postgres' },
  ]);
}
for (const [name, cmd, cmdArgs, before, env] of stages) {
  before?.();
  const envText = env
    ? `${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} `
    : '';
  process.stdout.write(`\n== ${name}: ${envText}${cmd} ${cmdArgs.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(
    `== ${name} ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
