// `bellwether db backup FILE` (and its alias `bellwether backup`) through the real CLI: SQLite's online backup
// taken while another connection keeps writing; the copy passes integrity_check; an existing target is refused
// (exit 3). On PostgreSQL the command refuses in one line that points to pg_dump.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from './helpers/run-bin.ts';
import { openTempDb, type TempDb } from './helpers/temp-db.ts';
import { onPostgres } from './helpers/test-database.ts';

let db: TempDb | null = null;
afterEach(async () => {
  await db?.dispose();
  db = null;
});

const cli = runBin;

describe.skipIf(onPostgres)('bellwether db backup (SQLite)', () => {
  it('copies a database that is being written to, consistently', async () => {
    db = await openTempDb();
    const insert = db.sqlite!.prepare("insert into meta (key, value) values (?, 'x')");
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`);
    // Keep writing (one row a millisecond or so) while the backup runs in the child process.
    let n = 2000;
    const writer = setInterval(() => insert.run(`k${n++}`), 1);
    const copy = path.join(db.dir, 'copy.db');
    const r = await cli(['db', 'backup', copy, '--db', db.file, '--json']).finally(() => clearInterval(writer));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { source: string; file: string; pages: number; ms: number };
    expect(result).toMatchObject({ source: db.file, file: copy, pages: expect.any(Number) });
    const restored = new Database(copy, { readonly: true });
    try {
      expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
      const { count } = restored.prepare("select count(*) as count from meta where key like 'k%'").get() as {
        count: number;
      };
      expect(count).toBeGreaterThanOrEqual(2000);
      expect(count).toBeLessThanOrEqual(n);
    } finally {
      restored.close();
    }
  });

  it('refuses to overwrite an existing file, with one line and exit 3', async () => {
    db = await openTempDb();
    const copy = path.join(db.dir, 'exists.db');
    writeFileSync(copy, 'keep me');
    const r = await cli(['db', 'backup', copy, '--db', db.file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`bellwether db backup: ${copy} already exists (choose a new file)\n`);
  });

  it('`bellwether backup` still works, as an alias', async () => {
    db = await openTempDb();
    const copy = path.join(db.dir, 'alias.db');
    const r = await cli(['backup', copy, '--db', db.file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^backed up ${db.file} to ${copy} \\(\\d+ pages in \\d+ ms\\)\n$`));
    expect(existsSync(copy)).toBe(true);
  });
});

describe.runIf(onPostgres)('bellwether db backup (PostgreSQL)', () => {
  it('refuses in one line that points to pg_dump, and writes nothing', async () => {
    db = await openTempDb();
    const copy = path.join(db.dir, 'copy.dump');
    const r = await cli(['db', 'backup', copy, '--db', db.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^bellwether db backup: postgres:\/\/\S+ is PostgreSQL, which this command cannot back up: use pg_dump /,
    );
    expect(r.stderr).toContain('see docs/operations.md');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(copy)).toBe(false);
  });
});
