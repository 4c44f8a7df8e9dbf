// openSqlite never takes a URL for a file path: a postgres:// URL handed to it (by code that built a SQLite
// target without parseDatabaseUrl) used to create `postgres:/user@host:port/` in the working directory, with a
// SQLite file inside, which is how a stray `postgres:` folder appeared in the repository after test runs.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
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
