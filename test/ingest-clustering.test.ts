// Story clustering measured on the demo corpus: the real ingestion (corpus served over HTTP day by
// day, as the demo does) against the hand-checked ground truth, as pairwise precision and recall.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusServer, readOutlets, startCorpusServer } from '../src/demo/corpus-server.ts';
import { addFeed, runIngest } from '../src/ingest/index.ts';
import { type TempDb, openTempDb } from './helpers/temp-db.ts';
import { testDeps } from './helpers/ingest-feeds.ts';

const root = path.resolve(import.meta.dirname, '..');
const corpusDir = path.join(root, 'demo/corpus');
const DAY = 86_400_000;

interface Member {
  file: string;
  guid: string;
  language: string;
}
interface Story {
  kind: 'syndicated' | 'cross_language';
  day: string;
  members: Member[];
}
const truth = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/clustering/demo-syndication.json'), 'utf8')) as {
    stories: Story[];
  }
).stories;

interface Article {
  guid: string;
  language: string | null;
  cluster: number;
  title: string;
}
let t: TempDb;
let server: CorpusServer;
let articles: Article[] = [];

beforeAll(async () => {
  t = await openTempDb();
  let now = new Date('2025-11-01T00:00:00Z');
  server = await startCorpusServer({ dir: corpusDir, clock: () => now });
  for (const o of readOutlets(corpusDir))
    await addFeed(t.db, { url: server.feedUrl(o), tier: o.tier, language: o.language, name: o.name }, now, true);
  // One poll per simulated day at 23:59 UTC, one feed at a time, fixed jitter: a fixed arrival order
  // (online clustering depends on it a little; see "Identity, updates and story clusters" in the README).
  for (let day = Date.parse('2025-11-01T00:00:00Z'); day <= Date.parse('2026-01-31T00:00:00Z'); day += DAY) {
    now = new Date(day + DAY - 60_000);
    await runIngest({ ...testDeps(t.db, { maxConcurrentFetches: 1 }), random: () => 0.5 }, { now, all: true });
  }
  const rows = await t.db.selectFrom('articles').select(['guid', 'language', 'cluster_id', 'title']).execute();
  articles = rows.map((r) => ({
    guid: r.guid ?? '',
    language: r.language,
    cluster: r.cluster_id ?? -1,
    title: r.title,
  }));
}, 120_000);
afterAll(async () => {
  await server.close();
  await t.dispose();
});

/** Pairwise precision and recall of "same cluster" against "same story", over the pairs `keep` admits. */
function pairwise(keep: (a: Article, b: Article) => boolean): {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
  falsePairs: string[];
} {
  const story = new Map<string, number>();
  truth.forEach((s, k) => s.members.forEach((m) => story.set(m.guid, k)));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const falsePairs: string[] = [];
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      const a = articles[i]!;
      const b = articles[j]!;
      if (!keep(a, b)) continue;
      const same = story.has(a.guid) && story.get(a.guid) === story.get(b.guid);
      const together = a.cluster === b.cluster;
      if (same && together) tp++;
      else if (together) {
        fp++;
        falsePairs.push(`${a.title} || ${b.title}`);
      } else if (same) fn++;
    }
  }
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    tp,
    fp,
    fn,
    falsePairs,
  };
}

describe('story clustering on the demo corpus', () => {
  it('ingests every item of the corpus and the ground truth names only real items', () => {
    expect(articles.length).toBe(182);
    const guids = new Set(articles.map((a) => a.guid));
    for (const s of truth) for (const m of s.members) expect(guids.has(m.guid), m.guid).toBe(true);
    expect(truth.filter((s) => s.kind === 'syndicated')).toHaveLength(20);
  });

  it('clusters same-language reports of one event with pairwise precision ≥ 0.95 and recall ≥ 0.8', () => {
    const same = pairwise((a, b) => a.language === b.language);
    const all = pairwise(() => true);
    const fmt = (r: ReturnType<typeof pairwise>) =>
      `precision ${r.precision.toFixed(3)} recall ${r.recall.toFixed(3)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})`;
    process.stdout.write(
      `clustering, same-language pairs: ${fmt(same)}\nclustering, all pairs (cross-language not attempted): ${fmt(all)}\n`,
    );
    for (const p of same.falsePairs) process.stdout.write(`  false merge: ${p}\n`);
    expect(same.precision).toBeGreaterThanOrEqual(0.95);
    expect(same.recall).toBeGreaterThanOrEqual(0.8);
    expect(all.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('records the distinct outlets of a syndicated story: Geneva on 23 Nov is one cluster of three sources', async () => {
    const geneva = truth.find((s) => s.day === '2025-11-23' && s.kind === 'syndicated')!;
    const english = geneva.members.filter((m) => m.language === 'en').map((m) => m.guid);
    const ids = new Set(articles.filter((a) => english.includes(a.guid)).map((a) => a.cluster));
    expect(ids.size).toBe(1);
    const c = await t.db
      .selectFrom('story_clusters')
      .select(['source_count', 'best_tier'])
      .where('id', '=', [...ids][0]!)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ source_count: 3, best_tier: 1 });
  });
});
