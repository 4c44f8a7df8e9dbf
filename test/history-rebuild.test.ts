// Issue 18.4: rebuilding the snapshot history (retag, a pack change) is atomic. The new history is
// built aside and swapped in with one transaction: readers see the old history or the new one, never
// a half-built one, and `retag` killed mid-rebuild leaves the old history intact and the rebuild
// recorded, so the next start (ensureCurrentPack) finishes it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { silentLogger } from '../src/logger.ts';
import { loadPack } from '../src/pack/load.ts';
import { readCorpus } from '../src/pipeline/corpus.ts';
import { ensureCurrentPack } from '../src/pipeline/pipeline.ts';
import { replayCorpus } from '../src/pipeline/replay.ts';
import { recomputeHistory, rebuildPending } from '../src/scenarios/forecast.ts';
import { compileIndicators, tagText } from '../src/tagging/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
const packFile = path.join(root, 'packs/ukraine-peace-2025.yaml');
const pack = loadPack(packFile, root);
let dir: string;
let seeded: string;

/** A database holding the demo corpus replayed day by day: 93 daily snapshots, the "old" history. */
async function seed(file: string): Promise<void> {
  const h = openDatabase({ kind: 'sqlite', file });
  await migrateOrThrow(h.db);
  const compiled = compileIndicators(pack.pack.indicators);
  await replayCorpus({
    db: h.db,
    loadedPack: pack,
    items: await readCorpus(path.join(root, 'demo/corpus')),
    tag: (a) => tagText(compiled, { title: a.title, summary: a.summary ?? '', text: '', language: a.language ?? null }),
  });
  await h.close();
}

beforeAll(async () => {
  dir = tempDir('bw-history-');
  seeded = path.join(dir, 'seed.db');
  await seed(seeded);
}, 60_000);
afterAll(() => undefined);

function copyOf(name: string): string {
  const file = path.join(dir, name);
  const src = new Database(seeded);
  src.exec(`VACUUM INTO '${file}'`);
  src.close();
  return file;
}

const history = (raw: Database.Database) =>
  raw
    .prepare('SELECT count(*) AS n, min(at) AS first, max(at) AS last FROM snapshots WHERE pack_id = ?')
    .get(pack.pack.id) as { n: number; first: string | null; last: string | null };

describe('recomputeHistory', () => {
  it('readers on another connection see the old history or the new one, never a half-built one', async () => {
    const file = copyOf('readers.db');
    const h = openDatabase({ kind: 'sqlite', file });
    const reader = new Database(file, { readonly: true });
    const old = history(reader);
    expect(old.n).toBeGreaterThan(30);
    // The reader is another process, looking as fast as it can while the rebuild runs here.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/history-reader.ts', file, pack.pack.id], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.on('exit', r));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', () => (out.includes('reading') ? resolve() : undefined)),
    );
    // 2025-11-01 .. 2026-03-01 in 6-hour steps: hundreds of steps, so the reader gets many looks mid-way.
    const r = await recomputeHistory(h.db, pack, {
      from: new Date('2025-11-01T00:00:00.000Z'),
      to: new Date('2026-03-01T00:00:00.000Z'),
      stepHours: 6,
    });
    child.stdin.end();
    await exited;
    const seen = JSON.parse(out.split('\n')[1]!) as Array<{ n: number; first: string; last: string; looks: number }>;
    const fresh = history(reader);
    expect(fresh.n).toBe(r.snapshots);
    const looks = seen.reduce((a, s) => a + s.looks, 0);
    expect(looks).toBeGreaterThan(100);
    const bad = seen.filter(
      (s) => !(s.n === old.n && s.last === old.last) && !(s.n === fresh.n && s.last === fresh.last),
    );
    expect(
      bad.slice(0, 3),
      `${bad.reduce((a, s) => a + s.looks, 0)} of ${looks} looks saw a half-built history`,
    ).toEqual([]);
    expect(await rebuildPending(h.db, pack.pack.id)).toBeNull();
    reader.close();
    await h.close();
  }, 60_000);
});

describe('two rebuilds at once', () => {
  it('never mix their rows: the history is one whole rebuild, without duplicates', async () => {
    const file = copyOf('twice.db');
    const h = openDatabase({ kind: 'sqlite', file });
    const options = {
      from: new Date('2025-11-01T00:00:00.000Z'),
      to: new Date('2026-01-15T00:00:00.000Z'),
      stepHours: 12,
    };
    const [a, b] = await Promise.all([recomputeHistory(h.db, pack, options), recomputeHistory(h.db, pack, options)]);
    expect(a.snapshots).toBe(b.snapshots);
    const raw = new Database(file, { readonly: true });
    expect(history(raw).n).toBe(a.snapshots);
    const doubled = raw
      .prepare('SELECT at FROM snapshots WHERE pack_id = ? GROUP BY at HAVING count(*) > 1')
      .all(pack.pack.id);
    expect(doubled).toEqual([]);
    expect(raw.prepare("SELECT count(*) AS n FROM snapshots WHERE pack_id LIKE '%#rebuild%'").get()).toEqual({ n: 0 });
    raw.close();
    await h.close();
  }, 60_000);
});

describe('bellwether retag killed mid-rebuild', () => {
  it('leaves the old history intact (or the whole new one), and start finishes the recorded rebuild', async () => {
    const file = copyOf('killed.db');
    const before = history(new Database(file, { readonly: true }));
    const child = spawn(process.execPath, ['bin/bellwether.js', 'retag', '--pack', packFile, '--db', file], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'error', BASE_URL: 'http://localhost:8080' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, signal) => r(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('retagged')) resolve();
      });
      void exited.then(() => reject(new Error(`retag exited before tagging finished: ${out}`)));
    });
    // The rebuild (2025-11-01 to today, one step a day) runs now: kill it part-way.
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('recomputed the forecast history');
    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const after = history(raw);
    raw.close();
    expect(after).toEqual(before);
    // The interrupted rebuild is recorded; start finishes it.
    const h = openDatabase({ kind: 'sqlite', file });
    expect(await rebuildPending(h.db, pack.pack.id)).not.toBeNull();
    expect(await ensureCurrentPack({ db: h.db, pack, log: silentLogger }, new Date())).toBe('recomputed');
    expect(await rebuildPending(h.db, pack.pack.id)).toBeNull();
    const rebuilt = history(new Database(file, { readonly: true }));
    expect(rebuilt.first! <= before.first!).toBe(true);
    expect(rebuilt.last! > before.last!).toBe(true);
    await h.close();
  }, 60_000);
});
