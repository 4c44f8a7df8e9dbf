// Honest states on a first run: no feeds, every feed failing, no story yet, the question closed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataNotices } from '../src/server/model/notices.ts';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import { insertArticle, insertFeed, openTestDb, type TestDb, testDeps } from './helpers/seed.ts';

const now = new Date('2026-11-21T18:00:00Z');
const at = '2026-11-21T17:00:00.000Z';
let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(() => t.close());

const overview = async () => (await createApp(testDeps(t, { now: () => now })).request('/')).text();
const banners = (html: string) => [...html.matchAll(/<p class="banner" role="status">(.*?)<\/p>/g)].map((m) => m[1]!);

describe('first-run banners', () => {
  it('no feeds at all', async () => {
    expect(banners(await overview())[0]).toContain('No feeds are polled yet');
  });

  it('every feed failing, and no story yet', async () => {
    await t.seed((db) => {
      insertFeed(db, { url: 'https://a.example/rss', name: 'A', at, failing: true });
      insertFeed(db, { url: 'https://b.example/rss', name: 'B', at, failing: true });
    });
    const b = banners(await overview());
    expect(b[0]).toContain('Every feed is failing (2 of 2, since 2026-11-21 17:00 UTC)');
    expect(b[1]).toContain('No story has arrived yet.');
    const feeds = await (await createApp(testDeps(t, { now: () => now })).request('/feeds')).text();
    expect(banners(feeds)[0]).toContain('Every feed is failing');
  });

  it('one feed works: no failing banner; the first story removes the last banner', async () => {
    const ok = await t.seed((db) => {
      insertFeed(db, { url: 'https://a.example/rss', name: 'A', at, failing: true });
      return insertFeed(db, { url: 'https://b.example/rss', name: 'B', at });
    });
    const b = banners(await overview());
    expect(b).toHaveLength(1);
    expect(b[0]).toContain('No story has arrived yet: the next poll is due 2026-11-21 17:00 UTC');
    await t.seed((db) => insertArticle(db, { feedId: ok, title: 'First story', publishedAt: at }));
    expect(banners(await overview())).toEqual([]);
  });

  it('the question closed: says who resolved it', async () => {
    await t.seed((db) => {
      const ok = insertFeed(db, { url: 'https://b.example/rss', name: 'B', at });
      insertArticle(db, { feedId: ok, title: 'First story', publishedAt: at });
      db.prepare(
        'INSERT INTO resolutions (pack_id, scenario_id, outcome, resolved_at, note, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run('ukraine-peace', 'collapse', 'yes', '2026-11-20T00:00:00.000Z', null, at);
    });
    expect(banners(await overview())[0]).toContain(
      'This question has closed: &quot;Collapse&quot; resolved yes on 2026-11-20 00:00 UTC',
    );
  });

  it('shows the banner in Chromium on a phone, above the scenarios', async () => {
    await t.seed((db) => insertFeed(db, { url: 'https://a.example/rss', name: 'A', at, failing: true }));
    const server = await serveApp(createApp(testDeps(t, { now: () => now })));
    const browser = await launchBrowser({ touch: true });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/`);
      const banner = page.locator('.banner').first();
      expect(await banner.textContent()).toContain('Every feed is failing');
      const [b, cards] = [await banner.boundingBox(), await page.locator('.cards').boundingBox()];
      expect(b!.y).toBeLessThan(cards!.y);
      expect(b!.width).toBeLessThanOrEqual(390);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('dataNotices names the missing feeds', () => {
    expect(dataNotices([], true)[0]).toContain('No feeds');
  });
});
