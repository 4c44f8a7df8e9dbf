// SIGTERM (or SIGINT) at any moment of `bellwether start` stops it whole: exit 0, nothing left half-done.
// The signal lands at fixed delays after the spawn and at the start-up's logged steps; afterwards the
// database is intact and a new start on it comes up and stops cleanly too.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliChild, cli, expectIntegrity } from './helpers/crash.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from './helpers/test-database.ts';

const PACK = 'test/fixtures/packs/minimal.yaml';
let dir: string;
const made: TestDatabase[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bellwether-signals-'));
});
afterAll(async () => {
  for (const m of made) await m.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A new, empty database for each start: a signal can land in the middle of its migrations. */
async function freshDatabase(): Promise<TestDatabase> {
  const m = await createTestDatabase(dir, `bw-${made.length}.db`, { empty: true });
  made.push(m);
  return m;
}

/** Waits until `done` holds or the child has exited (a hang guard, not a timing claim). */
async function until(c: CliChild, done: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!done() && c.child.exitCode === null && c.child.signalCode === null && Date.now() < end)
    await new Promise((r) => setTimeout(r, 5));
}

function logLines(stderr: string): Array<{ level: string; msg: string }> {
  return stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string });
}

async function stopWith(signal: 'SIGTERM' | 'SIGINT', db: TestDatabase, when: { ms?: number; line?: string }) {
  const c = cli(['start'], { DATABASE_URL: db.url, PACK, LOG_LEVEL: 'info' });
  if (when.line !== undefined) await until(c, () => (c.stdout() + c.stderr()).includes(when.line!));
  else await new Promise((r) => setTimeout(r, when.ms));
  const wasRunning = c.child.exitCode === null;
  c.child.kill(signal);
  const guard = setTimeout(() => c.child.kill('SIGKILL'), 30_000);
  const exit = await c.exited;
  clearTimeout(guard);
  return { ...exit, wasRunning, stdout: c.stdout(), stderr: c.stderr() };
}

describe('a signal during start-up', () => {
  const moments: Array<{ name: string; ms?: number; line?: string }> = [
    { name: 'at once', ms: 0 },
    { name: 'after 300 ms', ms: 300 },
    { name: 'after 1 s', ms: 1000 },
    { name: 'once the database is migrated', line: 'applied migrations' },
    { name: 'once it serves', line: 'tracking' },
  ];

  it.each(moments)(
    'SIGTERM $name: exit 0, no error logged, nothing half-started',
    async (moment) => {
      const db = await freshDatabase();
      const r = await stopWith('SIGTERM', db, moment);
      // The log (stderr, JSON lines): no error and no stack trace, whatever the moment.
      const log = logLines(r.stderr);
      expect(log.filter((l) => l.level !== 'info' && l.level !== 'warn')).toEqual([]);
      if (r.signal === 'SIGTERM') {
        // Only before Node has run a line of Bellwether (it is still loading itself): nothing was opened.
        expect(r.stdout + r.stderr).toBe('');
        expect(moment.ms).toBeDefined();
      } else {
        expect(r.code).toBe(0);
        // (Jobs in flight when the signal came finish, and may log, after `shutting down`.)
        const said = log.map((l) => l.msg);
        if (r.stdout.includes('tracking')) expect(said).toContain('shutting down');
        else if (log.length > 0) expect(said.at(-1)).toBe('stopping before start-up completed');
      }
      if (!onPostgres && existsSync(db.url)) expectIntegrity(db.url);
    },
    60_000,
  );

  it('the databases the interrupted starts left come up whole; SIGINT stops a serving tracker with exit 0 too', async () => {
    // Every database an interrupted start left behind: a start on it comes up whole (then SIGINT stops it).
    const interrupted = made.slice();
    for (const db of interrupted) {
      const r = await stopWith('SIGINT', db, { line: 'tracking' });
      expect(r, r.stderr).toMatchObject({ code: 0, signal: null });
      expect(logLines(r.stderr).map((l) => l.msg)).toContain('shutting down');
    }
    const r = await stopWith('SIGINT', interrupted.at(-1)!, { line: 'tracking' });
    expect(r).toMatchObject({ code: 0, signal: null });
    const log = logLines(r.stderr).map((l) => l.msg);
    expect(log.filter((m) => m.startsWith('applied migrations'))).toEqual([]); // all applied, by an earlier start
    expect(log).toContain('shutting down');
  }, 240_000);
});
