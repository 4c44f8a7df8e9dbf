// updateForecast / recomputeHistory on a real SQLite file: snapshots, stored contributions, transactions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaveOneOut } from '../src/scenarios/explain.ts';
import { testPack } from './helpers/engine.ts';
import { loadEvidence } from '../src/scenarios/evidence.ts';
import { recomputeHistory, updateForecast } from '../src/scenarios/forecast.ts';
import type { LoadedPack } from '../src/pack/load.ts';
import { addCluster, addFeed, addStory, tempDb, type TempDb } from './helpers/engine-db.ts';

const loaded: LoadedPack = { pack: testPack(), file: 'test.yaml', warnings: [], rulesHash: 'x' };
let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(async () => {
  await t.close();
});

describe('updateForecast', () => {
  it('writes the first snapshot, then only when a probability moves > 0.1 pp or a new day starts', async () => {
    const feed = await addFeed(t.db, 'https://a.test/rss', 1);
    const first = await updateForecast(t.db, loaded, new Date('2026-11-20T00:00:00.000Z'));
    expect(first.snapshot?.probabilities).toEqual({ a: 0.5, b: 0.5 });
    expect(first.snapshot?.previous).toBeNull();
    expect((await updateForecast(t.db, loaded, new Date('2026-11-20T01:00:00.000Z'))).snapshot).toBeNull();
    await addStory(t.db, { feedId: feed, at: '2026-11-20T02:00:00.000Z', tags: [{ indicator: 'diag' }] });
    const moved = await updateForecast(t.db, loaded, new Date('2026-11-20T02:00:00.000Z'));
    expect(moved.snapshot?.probabilities.a).toBeCloseTo(0.75, 12);
    expect(moved.snapshot?.previous?.probabilities).toEqual({ a: 0.5, b: 0.5 });
    // One hour of decay moves p(a) by ~0.1 pp: below the threshold, no snapshot.
    expect((await updateForecast(t.db, loaded, new Date('2026-11-20T03:00:00.000Z'))).snapshot).toBeNull();
    expect((await updateForecast(t.db, loaded, new Date('2026-11-21T00:00:00.000Z'))).snapshot).not.toBeNull();
    const rows = await t.db.selectFrom('snapshots').select(['reason']).orderBy('id').execute();
    expect(rows.map((r) => r.reason)).toEqual(['first', 'moved', 'daily']);
  });

  it('stores contributions from which leave-one-out is exact, and the story/cluster ids', async () => {
    const f1 = await addFeed(t.db, 'https://a.test/rss', 1);
    const f2 = await addFeed(t.db, 'https://b.test/rss', 3);
    const cluster = await addCluster(t.db, 'Meeting', '2026-11-20T00:00:00.000Z', 2, 1);
    const a1 = await addStory(t.db, {
      feedId: f1,
      clusterId: cluster,
      at: '2026-11-20T00:00:00.000Z',
      tags: [{ indicator: 'diag' }],
    });
    await addStory(t.db, {
      feedId: f2,
      clusterId: cluster,
      at: '2026-11-20T01:00:00.000Z',
      tags: [{ indicator: 'diag' }],
    });
    await addStory(t.db, {
      feedId: f2,
      at: '2026-11-20T00:00:00.000Z',
      tags: [{ indicator: 'neg', polarity: 'negated' }],
    });
    const { snapshot } = await updateForecast(t.db, loaded, new Date('2026-11-20T06:00:00.000Z'));
    const contribs = await t.db
      .selectFrom('evidence_contributions')
      .selectAll()
      .where('snapshot_id', '=', snapshot!.snapshotId)
      .orderBy('id')
      .execute();
    expect(contribs).toHaveLength(2);
    const meeting = contribs.find((c) => c.cluster_id === cluster)!;
    expect(meeting.article_id).toBe(a1);
    expect(meeting.weight).toBeCloseTo(1, 12);
    const without = leaveOneOut(snapshot!.probabilities, JSON.parse(meeting.log_odds));
    const other = contribs.find((c) => c.cluster_id === null)!;
    const onlyOther = leaveOneOut(
      { a: 0.5, b: 0.5 },
      Object.fromEntries(Object.entries(JSON.parse(other.log_odds) as Record<string, number>).map(([k, v]) => [k, -v])),
    );
    expect(without.a).toBeCloseTo(onlyOther.a!, 12);
  });

  it('runs onSnapshot inside the snapshot transaction: a throw rolls the snapshot back', async () => {
    await expect(
      updateForecast(t.db, loaded, new Date('2026-11-20T00:00:00.000Z'), {
        onSnapshot: () => {
          throw new Error('alert failed');
        },
      }),
    ).rejects.toThrow('alert failed');
    expect(await t.db.selectFrom('snapshots').selectAll().execute()).toHaveLength(0);
    let seen = 0;
    await updateForecast(t.db, loaded, new Date('2026-11-20T00:00:00.000Z'), {
      onSnapshot: async (trx, event) => {
        seen = (await trx.selectFrom('snapshots').select('id').where('id', '=', event.snapshotId).execute()).length;
      },
    });
    expect(seen).toBe(1);
  });

  it('picks up retags (deleted tags) by rebuilding its cached state', async () => {
    const feed = await addFeed(t.db, 'https://a.test/rss', 1);
    await addStory(t.db, { feedId: feed, at: '2026-11-20T00:00:00.000Z', tags: [{ indicator: 'diag' }] });
    expect((await updateForecast(t.db, loaded, new Date('2026-11-20T00:00:00.000Z'))).probabilities.a).toBeCloseTo(
      0.75,
      12,
    );
    await t.db.deleteFrom('tags').execute();
    await addStory(t.db, {
      feedId: feed,
      at: '2026-11-20T00:00:00.000Z',
      tags: [{ indicator: 'diag', modality: 'cancelled' }],
    });
    expect((await updateForecast(t.db, loaded, new Date('2026-11-20T00:00:00.000Z'))).probabilities.a).toBeCloseTo(
      0.2,
      12,
    );
  });

  it('assembles evidence with the feed tier (tier 3 without a feed) and parsed numbers', async () => {
    const feed = await addFeed(t.db, 'https://a.test/rss', 2);
    await addStory(t.db, {
      feedId: feed,
      at: '2026-11-20T00:00:00.000Z',
      tags: [{ indicator: 'level', numbers: [{ value: 5, unit: 'drones' }] }],
    });
    await addStory(t.db, { feedId: null, at: '2026-11-20T00:00:00.000Z', tags: [{ indicator: 'diag' }] });
    const ev = await loadEvidence(t.db, 'test');
    expect(ev.map((e) => [e.tier, e.numbers])).toEqual([
      [2, [{ value: 5, unit: 'drones' }]],
      [3, null],
    ]);
  });
});

describe('recomputeHistory', () => {
  it('rebuilds the snapshot history from scratch, one per day at least', async () => {
    const feed = await addFeed(t.db, 'https://a.test/rss', 1);
    await addStory(t.db, { feedId: feed, at: '2026-11-03T12:00:00.000Z', tags: [{ indicator: 'diag' }] });
    await updateForecast(t.db, loaded, new Date('2026-12-01T00:00:00.000Z'));
    const r = await recomputeHistory(t.db, loaded, {
      from: new Date('2026-11-01T00:00:00.000Z'),
      to: new Date('2026-11-10T00:00:00.000Z'),
      stepHours: 6,
    });
    const snaps = await t.db.selectFrom('snapshots').select(['at', 'probabilities']).orderBy('at').execute();
    expect(r.snapshots).toBe(snaps.length);
    expect(snaps[0]!.at).toBe('2026-11-01T00:00:00.000Z');
    expect(new Set(snaps.map((s) => s.at.slice(0, 10))).size).toBe(10);
    expect(snaps.some((s) => s.at > '2026-11-10T00:00:00.000Z')).toBe(false);
    const at4 = snaps.find((s) => s.at === '2026-11-04T00:00:00.000Z');
    expect(JSON.parse(at4!.probabilities).a).toBeCloseTo(1 / (1 + 3 ** -(2 ** (-0.5 / 7))), 12);
  });
});

describe('order independence through the database', () => {
  it('the same stories inserted in another order and other batches give identical probabilities', async () => {
    const stories = [
      { feed: 'a', tier: 1, cluster: 'x', at: '2026-11-18T10:00:00.000Z', tags: [{ indicator: 'diag' }] },
      { feed: 'b', tier: 3, cluster: 'x', at: '2026-11-18T11:00:00.000Z', tags: [{ indicator: 'diag' }] },
      {
        feed: 'c',
        tier: 2,
        cluster: null,
        at: '2026-11-19T09:00:00.000Z',
        tags: [{ indicator: 'neg', polarity: 'negated' as const }],
      },
      {
        feed: 'a',
        tier: 1,
        cluster: 'y',
        at: '2026-11-19T12:00:00.000Z',
        tags: [{ indicator: 'diag', modality: 'cancelled' as const, confidence: 0.7 }],
      },
      {
        feed: 'b',
        tier: 3,
        cluster: null,
        at: '2026-11-20T01:00:00.000Z',
        tags: [{ indicator: 'diag', confidence: 0.4 }, { indicator: 'neg' }],
      },
    ];
    const run = async (order: number[], batches: number[][]) => {
      const d = await tempDb();
      try {
        const feeds = new Map<string, number>();
        const clusters = new Map<string, number>();
        for (const f of ['c', 'b', 'a'])
          feeds.set(f, await addFeed(d.db, `https://${f}.test/rss`, stories.find((s) => s.feed === f)!.tier));
        for (const batch of batches) {
          for (const i of batch.map((b) => order[b]!)) {
            const s = stories[i]!;
            let cluster: number | null = null;
            if (s.cluster) {
              cluster = clusters.get(s.cluster) ?? (await addCluster(d.db, s.cluster, s.at));
              clusters.set(s.cluster, cluster);
            }
            await addStory(d.db, { feedId: feeds.get(s.feed)!, clusterId: cluster, at: s.at, tags: s.tags });
          }
          await updateForecast(d.db, loaded, new Date('2026-11-20T12:00:00.000Z'));
        }
        return (await updateForecast(d.db, loaded, new Date('2026-11-20T12:00:00.000Z'), { force: true }))
          .probabilities;
      } finally {
        await d.close();
      }
    };
    const one = await run([0, 1, 2, 3, 4], [[0, 1, 2, 3, 4]]);
    const other = await run([4, 2, 3, 1, 0], [[0], [1, 2], [3, 4]]);
    expect(other).toEqual(one);
    expect(one.a).not.toBeCloseTo(0.5, 3);
  });
});
