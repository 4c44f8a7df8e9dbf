// `npm start` as a user runs it: a child process that migrates, serves /healthz and exits cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-db.ts';

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
    const dbFile = path.join(dir, 'nested', 'bw.db');
    const t = start({ DATABASE_URL: dbFile, PACK: 'test/fixtures/packs/minimal.yaml', PORT: '0', HOST: '127.0.0.1' });
    const url = await t.url();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: expect.any(String), database: 'sqlite' });
    t.child.kill('SIGTERM');
    expect(await t.exited).toBe(0);
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('select count(*) as n from kysely_migration').get()).toEqual({ n: expect.any(Number) });
    db.close();
  });

  it('stops whole, with one line and exit 1 (failed), when the port is taken (no polling without a server)', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const dbFile = path.join(tempDir(), 'bw.db');
      const t = start({
        DATABASE_URL: dbFile,
        PACK: 'test/fixtures/packs/minimal.yaml',
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      expect(await t.exited).toBe(1);
      expect(t.output().stderr.trim()).toBe(
        `cannot listen on 127.0.0.1:${port}: the address is already in use (EADDRINUSE)`,
      );
      // Nothing half-started: the scheduler never claimed a job.
      const db = new Database(dbFile, { readonly: true });
      expect(db.prepare('select count(*) as n from job_leases').get()).toEqual({ n: 0 });
      db.close();
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
});
