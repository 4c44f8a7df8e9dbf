// `npm start` as a user runs it: a child process that migrates, serves /healthz and exits cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase, onPostgres, TEST_DB_KIND } from './helpers/test-database.ts';

const root = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/bellwether.js', 'start'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no URL within 10 s; stdout: ${stdout} stderr: ${stderr}`)),
        10_000,
      );
      child.stdout.on('data', () => {
        const m = /at (http:\/\/\S+) /.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then(() => reject(new Error(`exited early; stderr: ${stderr}`)));
    });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('bellwether start', () => {
  it('serves /healthz within 10 s and shuts down cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const database = await createTestDatabase(dir, path.join('nested', 'bw.db'));
    const t = start({
      DATABASE_URL: database.url,
      PACK: 'test/fixtures/packs/minimal.yaml',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const url = await t.url();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: expect.any(String), database: TEST_DB_KIND });
    t.child.kill('SIGTERM');
    expect(await t.exited).toBe(0);
    if (database.target.kind === 'sqlite') {
      const db = new Database(database.target.file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    const h = openDatabase(database.target);
    const n = await h.db
      .selectFrom('kysely_migration' as 'meta')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(n.n).toBeGreaterThan(0);
    await h.close();
    await database.drop();
  });

  it('stops whole, with one line and exit 1 (failed), when the port is taken (no polling without a server)', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const database = await createTestDatabase(tempDir(), 'bw.db');
      const t = start({
        DATABASE_URL: database.url,
        PACK: 'test/fixtures/packs/minimal.yaml',
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      expect(await t.exited).toBe(1);
      expect(t.output().stderr.trim()).toBe(
        `cannot listen on 127.0.0.1:${port}: the address is already in use (EADDRINUSE)`,
      );
      // Nothing half-started: the scheduler never claimed a job.
      const h = openDatabase(database.target);
      expect(await h.db.selectFrom('job_leases').selectAll().execute()).toEqual([]);
      await h.close();
      await database.drop();
    } finally {
      busy.close();
    }
  });

  it('refuses to start on an invalid variable with one line naming it', async () => {
    const t = start({ PORT: 'eighty', DATABASE_URL: path.join(tempDir(), 'x.db') });
    expect(await t.exited).toBe(2);
    expect(t.output().stderr.trim()).toBe(
      'bellwether: configuration error: PORT: expected an integer port 0-65535 (0 picks a free port) (got "eighty")',
    );
  });

  it('refuses to start on a malformed pack, naming file, field and reason', async () => {
    const t = start({ PACK: 'test/fixtures/packs/broken.yaml', DATABASE_URL: path.join(tempDir(), 'x.db') });
    expect(await t.exited).toBe(2);
    expect(t.output().stderr.trim()).toBe(
      'test/fixtures/packs/broken.yaml: indicators[0].likelihoods.deal: must be a positive number (got -2)',
    );
  });

  it.runIf(onPostgres)('stops with one line naming an unreachable PostgreSQL server, password hidden', async () => {
    const t = start({
      DATABASE_URL: 'postgres://bw:s3cret@127.0.0.1:9/bw',
      PACK: 'test/fixtures/packs/minimal.yaml',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    expect(await t.exited).toBe(1);
    expect(t.output().stderr.trim()).toMatch(
      /^cannot connect to PostgreSQL at postgres:\/\/bw:\*\*\*@127\.0\.0\.1:9\/bw: /,
    );
    expect(t.output().stderr).not.toContain('s3cret');
  });
});
