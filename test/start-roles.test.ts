// `start --role`: a web instance never changes the schema (it refuses a database that is not migrated, and
// says who migrates it), a worker serves /healthz only, and a bad role is refused with one line. On SQLite
// and on PostgreSQL. (Several roles working together: test/fault-multi.test.ts.)
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

const root = path.resolve(import.meta.dirname, '..');
const MINIMAL = 'test/fixtures/packs/minimal.yaml';
const made: TestDatabase[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of made.splice(0)) await d.drop();
});

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/bellwether.js', 'start', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function database(empty: boolean): Promise<TestDatabase> {
  const d = await createTestDatabase(tempDir('bw-roles-'), 'test.db', { empty });
  made.push(d);
  return d;
}

describe('start --role', () => {
  it('web refuses a database that is not migrated, naming the first pending migration and who migrates it', async () => {
    const db = await database(true);
    const web = start(['--role', 'web'], { DATABASE_URL: db.url, PACK: MINIMAL });
    expect(await web.exited).toBe(3);
    expect(web.err()).toMatch(/not migrated to this version .*2026-11-21T0000-initial.*start --role worker/);
    expect(web.out()).not.toContain('tracking');
  });

  it('a worker migrates and serves /healthz only; then a web instance starts on the same database', async () => {
    const db = await database(true);
    const env = { DATABASE_URL: db.url, PACK: MINIMAL, LOG_LEVEL: 'error' };
    const worker = start([], { ...env, ROLE: 'worker' });
    const url = async (p: ReturnType<typeof start>) => {
      for (let i = 0; i < 300 && !/ at (http:\/\/\S+) /.test(p.out()); i++)
        await new Promise((r) => setTimeout(r, 100));
      return / at (http:\/\/\S+) /.exec(p.out())![1]!;
    };
    const w = await url(worker);
    expect(worker.out()).toContain('role: worker');
    expect(await (await fetch(`${w}/healthz`)).json()).toMatchObject({ status: 'ok', role: 'worker' });
    expect((await fetch(`${w}/`)).status).toBe(404);
    const web = start(['--role', 'web'], env);
    const u = await url(web);
    expect((await fetch(`${u}/api/v1/scenarios`)).status).toBe(200);
    for (const p of [worker, web]) p.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await web.exited).toBe(0);
  });

  it('a bad role is refused with one line naming ROLE', async () => {
    const db = await database(false);
    const bad = start(['--role', 'reader'], { DATABASE_URL: db.url, PACK: MINIMAL });
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toContain('ROLE: expected web, worker or all (got "reader")');
  });
});
