// Crash suite (issue 18, deliverable 3): `bellwether retag` killed with SIGKILL at random points while
// it re-tags and rebuilds the history. After each kill integrity_check is ok, no tag is doubled and the
// history is the old one or a complete new one; after a rerun the tags and the history equal those of
// a retag that was never interrupted. BELLWETHER_CRASH_KILLS sets the number of kills.
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { loadPack } from '../src/pack/load.ts';
import { replayCorpus } from '../src/pipeline/replay.ts';
import { compileIndicators, tagText } from '../src/tagging/index.ts';
import { type CliChild, KILLS, cli, corpus, expectIntegrity, killAtRandom, query, runToEnd } from './helpers/crash.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';

let dir: string;
let pack: string;
let seeded: string;
/** The work has begun once the tagging progress bar is first drawn (after start-up and migrations). */
const tagging = (c: CliChild) => c.stderr().includes('tagging');

beforeAll(async () => {
  dir = tempDir('bw-crash-retag-');
  pack = writeMinimalPack(dir);
  seeded = path.join(dir, 'seed.db');
  const h = openDatabase({ kind: 'sqlite', file: seeded });
  await migrateOrThrow(h.db);
  const loaded = loadPack(pack);
  const compiled = compileIndicators(loaded.pack.indicators);
  await replayCorpus({
    db: h.db,
    loadedPack: loaded,
    items: corpus(400, 120),
    tag: (a) => tagText(compiled, { title: a.title, summary: a.summary ?? '', text: '', language: a.language ?? null }),
  });
  await h.close();
}, 120_000);

function copyOf(name: string): string {
  const file = path.join(dir, name);
  const raw = new Database(seeded);
  raw.exec(`VACUUM INTO '${file}'`);
  raw.close();
  return file;
}

const args = (db: string) => ['retag', '--pack', pack, '--db', db];

function state(file: string) {
  const tags = new Map<string, number>();
  for (const r of query<{ k: string; n: number }>(
    file,
    `SELECT a.guid || '|' || t.indicator_id || '|' || t.rule_id || '|' || t.field || '|' || t.polarity || '|' || coalesce(t.modality, '') AS k,
            count(*) AS n
       FROM tags t JOIN articles a ON a.id = t.article_id GROUP BY k`,
  ))
    tags.set(r.k, r.n);
  const snapshots = query<{ at: string; probabilities: string }>(
    file,
    "SELECT at, probabilities FROM snapshots WHERE pack_id = 'minimal' ORDER BY at, id",
  );
  return { tags, snapshots };
}

describe('crash suite: retag', () => {
  it(`survives ${KILLS} SIGKILLs at random points; the rerun equals an uninterrupted retag`, async () => {
    const clean = copyOf('clean.db');
    const duration = await runToEnd(args(clean), {}, tagging);
    const truth = state(clean);
    expect(truth.tags.size).toBeGreaterThan(100);
    expect(truth.snapshots.length).toBeGreaterThan(100);

    const db = copyOf('killed.db');
    const old = state(db).snapshots;
    let midWay = 0;
    for (let k = 0; k < KILLS; k++) {
      if (await killAtRandom(cli(args(db)), tagging, duration)) midWay++;
      expectIntegrity(db);
      const s = state(db);
      for (const [key, n] of s.tags) expect(n, `tag ${key} doubled`).toBeLessThanOrEqual(truth.tags.get(key) ?? 1);
      // The history is the old one, or a whole new one (its length: one a day up to now).
      const whole = s.snapshots.length === old.length || Math.abs(s.snapshots.length - truth.snapshots.length) <= 1;
      expect(whole, `half-built history: ${s.snapshots.length} snapshots`).toBe(true);
    }
    await runToEnd(args(db), {}, tagging);
    expectIntegrity(db);
    const after = state(db);
    expect(after.tags).toEqual(truth.tags);
    // Both end at "now": compare up to the shorter one (the clock may have crossed a day in between).
    const n = Math.min(after.snapshots.length, truth.snapshots.length);
    expect(after.snapshots.slice(0, n)).toEqual(truth.snapshots.slice(0, n));
    process.stdout.write(`crash suite (retag): ${midWay}/${KILLS} kills landed mid-run (clean run ${duration} ms)\n`);
    expect(midWay).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
  }, 600_000);
});
