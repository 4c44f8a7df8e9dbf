import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempDb, openTempDb } from '../../test/helpers/ingest-db.ts';
import { FeedError, addFeed, listFeeds, removeFeed, syncPackFeeds, validateFeedUrl } from './feeds.ts';
import { exportOpml, importOpml, parseOpml } from './opml.ts';

const now = new Date('2026-11-21T12:00:00.000Z');
let t: TempDb;
beforeEach(async () => (t = await openTempDb()));
afterEach(async () => t.dispose());

describe('validateFeedUrl', () => {
  it.each([
    'http://127.0.0.1/feed',
    'http://[::1]/',
    'http://169.254.169.254/latest',
    'http://10.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost:8080/',
  ])('refuses the private address %s', (url) => {
    expect(() => validateFeedUrl(url, false)).toThrow(expect.objectContaining({ code: 'blocked_address' }));
  });
  it.each([
    'file:///etc/passwd',
    'gopher://example.org/',
    'ftp://example.org/feed',
    'not a url',
    'https://user:pw@example.org/feed',
  ])('refuses %s', (url) => {
    expect(() => validateFeedUrl(url, false)).toThrow(expect.objectContaining({ code: 'bad_url' }));
  });
  it('allows private addresses when ALLOW_PRIVATE_FEEDS is set, and public hosts always', () => {
    expect(validateFeedUrl('http://127.0.0.1:9/feed', true)).toBe('http://127.0.0.1:9/feed');
    expect(validateFeedUrl('https://example.org/rss#x', false)).toBe('https://example.org/rss');
  });
});

describe('syncPackFeeds', () => {
  const pack = [
    { url: 'https://a.example/rss', name: 'A', tier: 1, language: 'en', full_text: false },
    { url: 'https://b.example/rss', tier: 3, interval_minutes: 60, full_text: true },
  ];
  it('adds the pack feeds due now, updates them on the next sync, never resurrects a removed one', async () => {
    expect(await syncPackFeeds(t.db, pack, now)).toEqual({ added: 2, updated: 0, keptRemoved: 0 });
    const rows = await t.db.selectFrom('feeds').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.url, r.tier, r.poll_interval_minutes, r.full_text, r.next_check_at, r.origin])).toEqual([
      ['https://a.example/rss', 1, 15, 0, now.toISOString(), 'pack'],
      ['https://b.example/rss', 3, 60, 1, now.toISOString(), 'pack'],
    ]);
    await removeFeed(t.db, 'https://a.example/rss');
    expect(await syncPackFeeds(t.db, [{ ...pack[0]!, tier: 2 }, pack[1]!], now, { intervalMinutes: 30 })).toEqual({
      added: 0,
      updated: 1,
      keptRemoved: 1,
    });
    const a = await t.db
      .selectFrom('feeds')
      .selectAll()
      .where('url', '=', 'https://a.example/rss')
      .executeTakeFirstOrThrow();
    expect(a.status).toBe('removed');
    expect(a.tier).toBe(1);
  });
  it('recognises a feed whose stored URL moved with a 301 by the URL it was added with', async () => {
    await syncPackFeeds(t.db, pack, now);
    await t.db
      .updateTable('feeds')
      .set({ url: 'https://a2.example/rss' })
      .where('url', '=', 'https://a.example/rss')
      .execute();
    expect((await syncPackFeeds(t.db, pack, now)).added).toBe(0);
    expect(await t.db.selectFrom('feeds').select('url').execute()).toHaveLength(2);
  });
});

describe('add, remove, list', () => {
  it('adds, refuses duplicates, lists health and item counts, removes', async () => {
    await addFeed(t.db, { url: 'https://x.example/feed', tier: 2, name: 'X', language: 'uk' }, now, false);
    await expect(addFeed(t.db, { url: 'https://x.example/feed', tier: 2 }, now, false)).rejects.toBeInstanceOf(
      FeedError,
    );
    await expect(addFeed(t.db, { url: 'https://y.example/feed', tier: 9 }, now, false)).rejects.toThrow(/tier/);
    await t.db
      .updateTable('feeds')
      .set({
        consecutive_failures: 2,
        last_error_code: 'timeout',
        last_error_message: 'no answer in 30 s',
        failing_since: now.toISOString(),
      })
      .execute();
    const [h] = await listFeeds(t.db);
    expect(h).toMatchObject({
      url: 'https://x.example/feed',
      name: 'X',
      tier: 2,
      status: 'failing',
      lastError: 'timeout: no answer in 30 s',
      itemCount: 0,
      nextCheckAt: now.toISOString(),
    });
    await removeFeed(t.db, 'https://x.example/feed');
    expect(await listFeeds(t.db)).toEqual([]);
    expect((await listFeeds(t.db, { includeRemoved: true }))[0]?.status).toBe('removed');
    await expect(removeFeed(t.db, 'https://x.example/feed')).rejects.toThrow(/no such feed/);
    expect((await addFeed(t.db, { url: 'https://x.example/feed', tier: 1 }, now, false)).reactivated).toBe(true);
    await t.db.updateTable('feeds').set({ status: 'gone' }).execute();
    expect((await addFeed(t.db, { url: 'https://x.example/feed', tier: 1 }, now, false)).reactivated).toBe(true);
    expect((await listFeeds(t.db))[0]).toMatchObject({ status: 'active', consecutiveFailures: 0 });
  });
});

describe('remove normalises like add (issue 18, 10)', () => {
  it('finds a feed by any spelling of its IPv6 literal or host, and by its URL with a fragment', async () => {
    await addFeed(t.db, { url: 'http://[2001:DB8:0:0::1]/feed', tier: 3 }, now, false);
    await addFeed(t.db, { url: 'https://News.Example/rss', tier: 3 }, now, false);
    expect((await removeFeed(t.db, ' http://[2001:db8::0:1]/feed#x ')).url).toBe('http://[2001:db8::1]/feed');
    expect((await removeFeed(t.db, 'HTTPS://NEWS.EXAMPLE/rss')).url).toBe('https://news.example/rss');
    await expect(removeFeed(t.db, 'not a url')).rejects.toThrow(/no such feed: not a url/);
  });
});

describe('OPML', () => {
  const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
    <outline text="News"><outline text="Kyiv &amp; Co" xmlUrl="https://k.example/rss" language="uk" tier="2"/></outline>
    <outline title="Bad" xmlUrl="file:///etc/passwd"/>
    <outline text="Plain" type="rss" xmlUrl="https://p.example/atom"/>
    <outline text="Wire" xmlUrl="https://w.example/rss" schedule="*/5 * * * *"/>
    <outline text="Bad schedule" xmlUrl="https://b.example/rss" schedule="0 25 * * *"/>
  </body></opml>`;
  it('parses nested outlines', () => {
    expect(parseOpml(opml)).toEqual([
      {
        url: 'https://k.example/rss',
        name: 'Kyiv & Co',
        tier: 2,
        language: 'uk',
        intervalMinutes: null,
        schedule: null,
      },
      { url: 'file:///etc/passwd', name: 'Bad', tier: null, language: null, intervalMinutes: null, schedule: null },
      {
        url: 'https://p.example/atom',
        name: 'Plain',
        tier: null,
        language: null,
        intervalMinutes: null,
        schedule: null,
      },
      {
        url: 'https://w.example/rss',
        name: 'Wire',
        tier: null,
        language: null,
        intervalMinutes: null,
        schedule: '*/5 * * * *',
      },
      {
        url: 'https://b.example/rss',
        name: 'Bad schedule',
        tier: null,
        language: null,
        intervalMinutes: null,
        schedule: '0 25 * * *',
      },
    ]);
    expect(() => parseOpml('<rss/>')).toThrow(/not an OPML/);
  });
  it('imports what it can, skips the rest with a reason, and round-trips through export', async () => {
    const r = await importOpml(t.db, opml, { now, allowPrivate: false, defaultTier: 3 });
    expect(r.added).toEqual(['https://k.example/rss', 'https://p.example/atom', 'https://w.example/rss']);
    expect(r.skipped).toEqual([
      { url: 'file:///etc/passwd', reason: expect.stringContaining('unsupported scheme') },
      {
        url: 'https://b.example/rss',
        reason: expect.stringMatching(/^not a usable cron expression "0 25 \* \* \*": hour/),
      },
    ]);
    const out = await exportOpml(t.db, now);
    expect(parseOpml(out)).toEqual([
      { url: 'https://k.example/rss', name: 'Kyiv & Co', tier: 2, language: 'uk', intervalMinutes: 15, schedule: null },
      { url: 'https://p.example/atom', name: 'Plain', tier: 3, language: null, intervalMinutes: 15, schedule: null },
      {
        url: 'https://w.example/rss',
        name: 'Wire',
        tier: 3,
        language: null,
        intervalMinutes: 15,
        schedule: '*/5 * * * *',
      },
    ]);
  });
});
