// A URL is never taken for a SQLite file path: a postgres:// URL handed to openSqlite (by code that built a
// SQLite target without parseDatabaseUrl) or to `demo --db` (which resolved it as a path) used to create
// `postgres:/user@host:port/` in the working directory with a SQLite file inside: the stray `postgres:`
// folder found in the repository after test runs.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import { runCli } from '../cli.ts';
import { openDatabase } from './connect.ts';

let dir: string;
let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  dir = mkdtempSync(path.join(tmpdir(), 'bw-connect-'));
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

describe('openSqlite', () => {
  it('refuses a URL as a file path in one line, password hidden, and creates nothing', async () => {
    // The suite's own database URL on PostgreSQL (a file path on SQLite, so a URL of the same shape there).
    const made = await createTestDatabase(dir);
    const urls = [
      made.kind === 'postgres' ? made.url : 'postgres://postgres@127.0.0.1:5432/bellwether',
      'postgres://bw:s3cret@db.internal:5432/bw',
      'sqlite://x.db',
    ];
    for (const url of urls) {
      expect(() => openDatabase({ kind: 'sqlite', file: url }), url).toThrow(
        /^cannot open SQLite database \S+: that is a URL, not a file path \(give DATABASE_URL or --db a postgres:\/\/ URL to use PostgreSQL\)$/,
      );
    }
    expect(() => openDatabase({ kind: 'sqlite', file: urls[1]! })).toThrow('postgres://bw:***@db.internal:5432/bw');
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'postgres:'))).toBe(false);
    await made.drop();
  });

  it('still opens a file path, creating its folder', async () => {
    const h = openDatabase({ kind: 'sqlite', file: path.join('data', 'x.db') });
    await h.close();
    expect(existsSync(path.join(dir, 'data', 'x.db'))).toBe(true);
  });
});

describe('bellwether demo --db', () => {
  it('refuses a URL (DATABASE_URL pasted in) with exit 2, and creates nothing where it runs', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    try {
      const code = await runCli([
        'demo',
        '--db',
        'postgres://bw:s3cret@127.0.0.1:5432/bw',
        '--from',
        '2025-11-01',
        '--until',
        '2025-11-01',
        '--no-serve',
      ]);
      expect(code).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toBe(
      'bellwether demo: --db takes a file path (the demo always runs on its own SQLite file, recreated each run), not the URL postgres://bw:***@127.0.0.1:5432/bw\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
