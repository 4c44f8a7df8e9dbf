import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempDb, openTempDb } from '../../test/helpers/ingest-db.ts';
import { loadClusterIndex } from './cluster.ts';
import { addFeed } from './feeds.ts';
import { type CleanItem, dedupeItems, prepareItem } from './prepare-items.ts';
import { LeaseLostError, type StoreInput, storeFeedResult } from './store.ts';

const now = new Date('2026-11-21T12:00:00.000Z');
const OWNER = 'test-owner';
let t: TempDb;
beforeEach(async () => (t = await openTempDb()));
afterEach(async () => t.dispose());

function item(n: number, over: Partial<CleanItem> = {}): CleanItem {
  return {
    guid: `g${n}`,
    link: `https://news.example/a/${n}?utm_source=rss`,
    title: `Story number ${n} about topic ${n * 7919}`,
    summary: `Lede ${n} words ${n * 31} and ${n * 17}.`,
    text: '',
    publishedAt: now.toISOString(),
    ...over,
  };
}

async function feed(url: string, tier = 2): Promise<{ id: number; tier: number; language: string | null }> {
  const { id } = await addFeed(t.db, { url, tier }, now, false);
  await t.db.updateTable('feeds').set({ lease_owner: OWNER }).where('id', '=', id).execute();
  return { id, tier, language: 'en' };
}

async function store(
  f: { id: number; tier: number; language: string | null },
  items: CleanItem[],
  over: Partial<StoreInput> = {},
) {
  const clusters = over.clusters ?? (await loadClusterIndex(t.db, now));
  const prepared = dedupeItems(items.map((i) => prepareItem(i, 'https://news.example/feed')));
  return storeFeedResult(t.db, {
    feed: f,
    items: prepared,
    feedUpdate: { last_success_at: now.toISOString(), lease_owner: null },
    leaseOwner: OWNER,
    fetchedAt: now,
    clusters,
    ...over,
  });
}

describe('storeFeedResult', () => {
  it('stores each item once: duplicate GUIDs, a re-fetch, a reappearing item, same URL with a new GUID', async () => {
    const f = await feed('https://news.example/feed');
    expect(await store(f, [item(1), item(2), item(1), item(3, { guid: null, link: null })])).toEqual({
      new: 3,
      updated: 0,
      unchanged: 0,
    });
    await t.db.updateTable('feeds').set({ lease_owner: OWNER }).execute();
    expect(await store(f, [item(1), item(2), item(3, { guid: null, link: null })])).toEqual({
      new: 0,
      updated: 0,
      unchanged: 3,
    });
    await t.db.updateTable('feeds').set({ lease_owner: OWNER }).execute();
    expect(await store(f, [item(2, { guid: 'new-guid-same-url' })])).toEqual({ new: 0, updated: 0, unchanged: 1 });
    const rows = await t.db
      .selectFrom('articles')
      .select(['guid', 'canonical_url', 'url', 'tagged_with'])
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      guid: 'g1',
      canonical_url: 'https://news.example/a/1',
      url: 'https://news.example/a/1?utm_source=rss',
      tagged_with: null,
    });
  });

  it('updates changed content in place and queues it for tagging again', async () => {
    const f = await feed('https://news.example/feed');
    await store(f, [item(1)]);
    await t.db.updateTable('articles').set({ tagged_with: 'rules-v1' }).execute();
    await t.db.updateTable('feeds').set({ lease_owner: OWNER }).execute();
    expect(await store(f, [item(1, { title: 'Corrected headline' })])).toEqual({ new: 0, updated: 1, unchanged: 0 });
    const rows = await t.db.selectFrom('articles').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: 'Corrected headline', tagged_with: null });
  });

  it('puts one story carried by three feeds into one cluster with three sources and the best tier', async () => {
    const feeds = [
      await feed('https://a.example/rss', 3),
      await feed('https://b.example/rss', 1),
      await feed('https://c.example/rss', 2),
    ];
    const clusters = await loadClusterIndex(t.db, now);
    const story = {
      title: 'Envoys arrive in Geneva for talks on revised peace framework',
      summary:
        'US and Ukrainian delegations met in Geneva on Sunday to discuss a revised 19-point framework, officials said.',
    };
    for (const [i, f] of feeds.entries()) {
      const copy = i === 1 ? { ...story, summary: `GENEVA (Reuters) - ${story.summary}` } : story;
      await store(f, [item(10 + i, { ...copy, link: `https://${i}.example/story` }), item(100 + i)], { clusters });
    }
    const cl = await t.db.selectFrom('story_clusters').selectAll().orderBy('source_count', 'desc').execute();
    expect(cl[0]).toMatchObject({ source_count: 3, best_tier: 1 });
    expect(cl).toHaveLength(4);
  });

  it('commits nothing when the lease was lost, and forgets the clusters it made', async () => {
    const f = await feed('https://news.example/feed');
    const clusters = await loadClusterIndex(t.db, now);
    await expect(store(f, [item(1), item(2)], { clusters, leaseOwner: 'someone-else' })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect(await t.db.selectFrom('articles').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('story_clusters').select('id').execute()).toEqual([]);
    expect(clusters.size).toBe(0);
    expect(await store(f, [item(1), item(2)], { clusters })).toEqual({ new: 2, updated: 0, unchanged: 0 });
  });
});
