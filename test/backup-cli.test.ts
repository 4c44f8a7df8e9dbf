// `bellwether backup FILE` through the real CLI: SQLite's online backup taken while another connection
// keeps writing; the copy passes integrity_check and serves; an existing target is refused (exit 3).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from './helpers/temp-db.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
let db: TempDb | null = null;
afterEach(async () => {
  await db?.dispose();
  db = null;
});

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run(process.execPath, ['bin/bellwether.js', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    return { ...r, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('bellwether backup', () => {
  it('copies a database that is being written to, consistently', async () => {
    db = await openTempDb();
    const insert = db.sqlite!.prepare("insert into meta (key, value) values (?, 'x')");
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`);
    // Keep writing (one row a millisecond or so) while the backup runs in the child process.
    let n = 2000;
    const writer = setInterval(() => insert.run(`k${n++}`), 1);
    const copy = path.join(db.dir, 'copy.db');
    const r = await cli(['backup', copy, '--db', db.file, '--json']).finally(() => clearInterval(writer));
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
    const r = await cli(['backup', copy, '--db', db.file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`bellwether backup: ${copy} already exists (choose a new file)\n`);
  });
});
