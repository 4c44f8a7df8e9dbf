// Issue 18.5: another process writing to the same SQLite file. Every writer takes the write lock up
// front (BEGIN IMMEDIATE) with a busy timeout and retries; when the lock stays taken past the retries,
// the user gets the `busy` error (exit 75 / HTTP 503) with a clear message, never a raw SQLITE_BUSY.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { writeTransaction } from '../src/db/write-transaction.ts';
import { tempDir } from './helpers/temp-dir.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts the other writer; resolves once it has committed once (the file exists and is in WAL mode). */
async function otherWriter(file: string, holdMs: number, restMs: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/busy-writer.ts', file, String(holdMs), String(restMs)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => (d.toString().includes('writing') ? resolve() : undefined));
    child.on('exit', (code) => reject(new Error(`busy writer exited (${code})`)));
  });
  return child;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['bin/bellwether.js', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'error', BASE_URL: 'http://localhost:8080', ...env },
    });
    return { ...r, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('another process writing to the database', () => {
  it('replay succeeds while another process keeps taking the write lock (it failed with "database is locked")', async () => {
    const db = path.join(tempDir('bw-busy-'), 'replay.db');
    await otherWriter(db, 20, 30);
    const r = await cli([
      'replay',
      '--pack',
      'packs/ukraine-peace-2025.yaml',
      '--corpus',
      'test/fixtures/tagging/labelled-dev.jsonl',
      '--db',
      db,
    ]);
    expect(r.stderr).not.toMatch(/SqliteError|SQLITE_BUSY|database is locked/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/replayed \d+ articles/);
  }, 60_000);

  it('a write lock held past every retry is the `busy` error (exit 75) with a clear message', async () => {
    const file = path.join(tempDir('bw-busy-'), 'held.db');
    const h = openDatabase({ kind: 'sqlite', file }, { busyTimeoutMs: 100 });
    await migrateOrThrow(h.db);
    await h.close();
    await otherWriter(file, 600_000, 0);
    const h2 = openDatabase({ kind: 'sqlite', file }, { busyTimeoutMs: 100 });
    try {
      const failure = await writeTransaction(h2.db, (trx) => trx.deleteFrom('meta').execute(), {
        retry: { attempts: 3, delayMs: 10 },
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DatabaseError);
      expect((failure as DatabaseError).code).toBe('busy');
      expect((failure as DatabaseError).kind).toBe('busy');
      expect((failure as Error).message).toMatch(/database is busy: another process holds its write lock/);
    } finally {
      await h2.close();
    }
    const r = await cli(['feeds', 'add', 'https://busy.example.org/rss', '--tier', '2', '--db', file], {
      PACK: 'packs/ukraine-peace-2025.yaml',
      DB_BUSY_TIMEOUT_MS: '200',
    });
    expect(r.stderr).not.toMatch(/SqliteError|SQLITE_BUSY|at .*\.ts:\d+/);
    expect(r.stderr).toMatch(/database is busy/);
    expect(r.code).toBe(75);
  }, 60_000);

  it('start-up logs the SQLite settings durability rests on (RELIABILITY.md 44)', async () => {
    const db = path.join(tempDir('bw-busy-'), 'settings.db');
    const r = await cli(['status', '--db', db, '--pack', 'packs/ukraine-peace-2025.yaml'], {
      LOG_LEVEL: 'info',
      DB_BUSY_TIMEOUT_MS: '7000',
    });
    expect(r.stderr).toMatch(
      /database: SQLite .*settings\.db \(journal_mode=wal, synchronous=normal \(FULL for outbox commits\), busy_timeout=7000 ms, foreign_keys=1\)/,
    );
  }, 60_000);
});
