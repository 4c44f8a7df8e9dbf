// Start whole or not at all: `bellwether start` on an unusable database, pack or configuration exits
// non-zero at once with one line naming the cause, and leaves nothing running (no port, no polling).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
const MINIMAL = 'test/fixtures/packs/minimal.yaml';

/** Runs `bellwether start`; a hang guard (not a timing claim: the bench measures) kills it after 15 s. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/bellwether.js', 'start'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('bellwether start refuses an unusable setup with one line', () => {
  const dir = tempDir();
  const notADatabase = path.join(dir, 'garbage.db');
  writeFileSync(notADatabase, 'this is not an SQLite database, just text long enough to have a header\n'.repeat(10));
  const aFile = path.join(dir, 'a-file');
  writeFileSync(aFile, 'x');
  const aFolder = path.join(dir, 'a-folder');
  mkdirSync(aFolder);
  const newer = path.join(dir, 'newer.db');

  const cases: Array<{ name: string; env: () => Record<string, string>; code: number; line: string }> = [
    {
      name: 'a file that is not a database',
      env: () => ({ DATABASE_URL: notADatabase, PACK: MINIMAL }),
      code: 1,
      line: `cannot open SQLite database ${notADatabase}: file is not a database`,
    },
    {
      name: 'a database path under a file',
      env: () => ({ DATABASE_URL: path.join(aFile, 'bw.db'), PACK: MINIMAL }),
      code: 1,
      line: `cannot open SQLite database ${path.join(aFile, 'bw.db')}: ${aFile} is not a folder`,
    },
    {
      name: 'a folder as the database',
      env: () => ({ DATABASE_URL: aFolder, PACK: MINIMAL }),
      code: 1,
      line: `cannot open SQLite database ${aFolder}: unable to open database file`,
    },
    {
      name: 'a database migrated by a newer version',
      env: () => {
        const db = new Database(newer);
        db.exec('create table kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)');
        db.prepare("insert into kysely_migration values ('2099-01-01T0000-future', '2099-01-01T00:00:00.000Z')").run();
        db.close();
        return { DATABASE_URL: newer, PACK: MINIMAL };
      },
      code: 1,
      line: 'the database was migrated by a newer Bellwether (its migration 2099-01-01T0000-future is unknown to this version): upgrade Bellwether, or restore a backup taken before the upgrade',
    },
    {
      name: 'a PostgreSQL server that does not answer',
      env: () => ({ DATABASE_URL: 'postgres://bw@127.0.0.1:1/bw', PACK: MINIMAL }),
      code: 1,
      line: 'cannot connect to PostgreSQL at postgres://bw@127.0.0.1:1/bw: connect ECONNREFUSED 127.0.0.1:1',
    },
    {
      name: 'a pack file that does not exist',
      env: () => ({ DATABASE_URL: path.join(dir, 'p.db'), PACK: 'test/fixtures/packs/no-such-pack.yaml' }),
      code: 2,
      line: 'test/fixtures/packs/no-such-pack.yaml: (file): cannot read the pack: ENOENT',
    },
    {
      name: 'an invalid variable',
      env: () => ({ DATABASE_URL: path.join(dir, 'c.db'), PACK: MINIMAL, FETCH_CONCURRENCY: 'lots' }),
      code: 2,
      line: 'bellwether: configuration error: FETCH_CONCURRENCY: expected a positive integer (got "lots")',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: exit ${c.code}`, async () => {
      const r = await start(c.env());
      expect(r.stderr).toBe(`${c.line}\n`);
      expect(r.code).toBe(c.code);
      // Nothing started: no "tracking … at http://…" line.
      expect(r.stdout).toBe('');
    });
  }
});
