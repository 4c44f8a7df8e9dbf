// Engine benchmark: recompute from scratch with 100,000 evidence rows, incremental update for one
// new story (pure and through the database), and a 10,000-item replay. Prints figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { computeForecast, EngineState, quickPosterior, type EvidenceItem } from '../src/scenarios/engine/index.ts';
import { loadEvidence } from '../src/scenarios/evidence.ts';
import { updateForecast } from '../src/scenarios/forecast.ts';
import { loadPack } from '../src/pack/load.ts';
import { replayCorpus, type CorpusItem } from '../src/pipeline/replay.ts';
import type { TagDraft, TagInput } from '../src/tagging/index.ts';
import { evidenceSource } from './evidence.ts';

const loaded = loadPack(path.resolve('packs/ukraine-peace.yaml'));
const pack = loaded.pack;
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const NOW = new Date(START + 365 * DAY).toISOString();

const { rand, pick, makeEvidence } = evidenceSource(pack, 42, START);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const ms = (x: number) => `${x.toFixed(3)} ms`;

/** Wall time and this process's CPU time (ms): on a shared, loaded machine CPU time is the steadier figure. */
const cpuTimes: number[] = [];
function time<T>(fn: () => T): [number, T] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpuTimes.push((c.user + c.system) / 1000);
  return [wall, r];
}
/** Median CPU time of the last n timed runs. */
const cpuMedian = (n: number) => median(cpuTimes.splice(0).slice(-n));

// 0. A reference loop measured in the same run (the machine may be shared): 100,000 Date.parse + Map inserts.
{
  const xs = Array.from({ length: 100_000 }, (_, i) => new Date(START + i * 60_000).toISOString());
  const ref: number[] = [];
  for (let k = 0; k < 7; k++) {
    const [t] = time(() => {
      const m = new Map<number, number>();
      for (let i = 0; i < xs.length; i++) m.set(i, Date.parse(xs[i]!));
      return m.size;
    });
    ref.push(t);
  }
  console.log(
    `reference loop (100,000 Date.parse + Map.set), same run: median ${ms(median(ref))} wall, ${ms(cpuMedian(7))} CPU`,
  );
}

// 1. From scratch, pure.
const evidence = makeEvidence(100_000);
cpuTimes.length = 0;
const scratch: number[] = [];
let groups = 0;
for (let i = 0; i < 7; i++) {
  const [t, r] = time(() =>
    computeForecast(pack, evidence, [], new Date(NOW), { windowStart: new Date(START).toISOString() }),
  );
  scratch.push(t);
  groups = r.contributions.length;
}
console.log(
  `recompute from scratch, 100,000 evidence rows (${groups} observations): median ${ms(median(scratch))} wall, ${ms(cpuMedian(7))} CPU (target < 300 ms)`,
);

// 2. Incremental, pure: one new story (three tags from two sources) into a state holding 100,000 rows.
const state = new EngineState(pack).add(evidence);
quickPosterior(state, new Date(NOW));
cpuTimes.length = 0;
const incremental: number[] = [];
for (let i = 0; i < 2000; i++) {
  const story = makeEvidence(3, 200_000 + i * 3).map((e) => ({ ...e, clusterId: 900_000 + i, publishedAt: NOW }));
  const [t] = time(() => {
    state.add(story);
    return quickPosterior(state, new Date(NOW));
  });
  incremental.push(t);
}
console.log(
  `incremental update, one new story (engine): median ${ms(median(incremental))} wall, ${ms(cpuMedian(2000))} CPU, p95 ${ms([...incremental].sort((a, b) => a - b)[Math.floor(incremental.length * 0.95)]!)} (target < 1 ms)`,
);

// 3. Through the database: 100,000 tags in SQLite, then updateForecast for one new story.
const dir = mkdtempSync(path.join(tmpdir(), 'bw-engine-bench-'));
const handle = openDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
await migrateOrThrow(handle.db);
const raw = handle.sqlite!;
const insFeed = raw.prepare(`INSERT INTO feeds (id, url, tier, next_check_at, created_at) VALUES (?, ?, ?, '', '')`);
for (let f = 1; f <= 60; f++) insFeed.run(f, `https://f${f}.test/rss`, 1 + (f % 5));
const insArticle = raw.prepare(
  `INSERT INTO articles (id, feed_id, cluster_id, guid_hash, content_hash, title, published_at, fetched_at, updated_at, simhash) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, '0')`,
);
const insTag = raw.prepare(
  `INSERT INTO tags (id, article_id, pack_id, indicator_id, polarity, modality, confidence, field, snippet, numbers, rule_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'title', '', ?, 'r', ?)`,
);
const insertRows = raw.transaction((rows: EvidenceItem[]) => {
  for (const e of rows) {
    insArticle.run(
      e.articleId,
      e.feedId,
      `g${e.articleId}`,
      e.contentHash,
      `t${e.articleId}`,
      e.publishedAt,
      e.publishedAt,
      e.publishedAt,
    );
    insTag.run(
      e.tagId,
      e.articleId,
      pack.id,
      e.indicatorId,
      e.polarity,
      e.modality,
      e.confidence,
      e.numbers ? JSON.stringify(e.numbers) : null,
      e.publishedAt,
    );
  }
});
insertRows(evidence);
const [loadMs, loadedRows] = await (async () => {
  const t0 = performance.now();
  const rows = await loadEvidence(handle.db, pack.id);
  return [performance.now() - t0, rows.length] as const;
})();
console.log(`read 100,000 evidence rows from SQLite: ${ms(loadMs)} (${loadedRows} rows)`);
const t0 = performance.now();
await updateForecast(handle.db, loaded, new Date(NOW));
console.log(`first updateForecast (read + from scratch + snapshot with contributions): ${ms(performance.now() - t0)}`);
const db1: number[] = [];
for (let i = 0; i < 50; i++) {
  const story = makeEvidence(1, 300_000 + i).map((e) => ({ ...e, publishedAt: NOW }));
  insertRows(story);
  const t = performance.now();
  await updateForecast(handle.db, loaded, new Date(NOW));
  db1.push(performance.now() - t);
}
console.log(
  `updateForecast after one new story (DB check + incremental engine, no snapshot written): median ${ms(median(db1))}`,
);
await handle.close();
rmSync(dir, { recursive: true, force: true });

// 4. Replay of a 10,000-item corpus over 60 days with an injected keyword tagger.
const dir2 = mkdtempSync(path.join(tmpdir(), 'bw-engine-replay-'));
const h2 = openDatabase({ kind: 'sqlite', file: path.join(dir2, 'replay.db') });
await migrateOrThrow(h2.db);
const words = ['meeting', 'ceasefire', 'sanctions', 'kremlin rejects', 'drones', 'talks', 'weather'];
const items: CorpusItem[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: `b${i}`,
  date: new Date(Date.parse('2026-10-01T00:00:00Z') + Math.floor(rand() * 60 * DAY)).toISOString(),
  title: `${pick(words)} story ${Math.floor(rand() * 3000)} ${Math.floor(rand() * 400)} drones`,
  summary: '',
  url: null,
  source: `s${i % 40}`,
  language: 'en',
}));
const map: Record<string, string> = {
  meeting: 'principal_meeting',
  ceasefire: 'ceasefire_signal',
  sanctions: 'sanctions_tightening',
  'kremlin rejects': 'kremlin_rejection',
  talks: 'envoy_talks',
};
const tagger = (a: TagInput): TagDraft[] => {
  const out: TagDraft[] = [];
  for (const [w, id] of Object.entries(map))
    if (a.title.startsWith(w))
      out.push({
        indicatorId: id,
        polarity: 'affirmed',
        modality: null,
        confidence: 0.9,
        field: 'title',
        snippet: a.title,
        numbers: null,
        ruleId: 'kw',
      });
  const m = /(\d+) drones/.exec(a.title);
  if (a.title.startsWith('drones') && m)
    out.push({
      indicatorId: 'strike_volume',
      polarity: 'affirmed',
      modality: null,
      confidence: 1,
      field: 'title',
      snippet: a.title,
      numbers: [{ value: Number(m[1]), unit: 'drones' }],
      ruleId: 'kw',
    });
  return out;
};
const t1 = performance.now();
const rep = await replayCorpus({ db: h2.db, loadedPack: loaded, items, tag: tagger });
console.log(
  `replay of 10,000 items over ${rep.days} days (keyword tagger, ${rep.tags} tags, ${rep.snapshots} snapshots): ${(performance.now() - t1).toFixed(0)} ms (target < 10 s incl. the real tagger)`,
);
await h2.close();
rmSync(dir2, { recursive: true, force: true });
