// Ingest end to end against real local HTTP servers and real SQLite files (RELIABILITY.md 10, 15,
// 16, 17, 20, 25, 26, 41 and syndication into one story cluster).
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { MAX_BACKOFF_MS } from '../src/ingest/backoff.ts';
import { addFeed, ingestJob, listFeeds, runIngest } from '../src/ingest/index.ts';
import { silentLogger } from '../src/logger.ts';
import { startScheduler } from '../src/scheduler/jobs.ts';
import { useFeedServerAndDb } from './helpers/ingest-db.ts';
import { numberedItems, rss, testDeps } from './helpers/ingest-feeds.ts';

const t0 = new Date('2026-11-21T12:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const ctx = useFeedServerAndDb();

const xml = { 'content-type': 'application/rss+xml; charset=utf-8' };
async function add(path: string, tier = 2): Promise<string> {
  const url = ctx.server.url(path);
  await addFeed(ctx.t.db, { url, tier }, t0, true);
  return url;
}
const feedRow = (url: string) =>
  ctx.t.db.selectFrom('feeds').selectAll().where('original_url', '=', url).executeTakeFirstOrThrow();
const articleCount = async () => (await ctx.t.db.selectFrom('articles').select('id').execute()).length;

describe('identity (scenario 10)', () => {
  it('stores each item once across duplicates, re-fetches and an item that disappears and reappears', async () => {
    const items = [
      { guid: 'a', link: 'https://n.example/a', title: 'Alpha story' },
      { guid: 'a', link: 'https://n.example/a', title: 'Alpha story' },
      { guid: null, link: null, title: 'No guid no link' },
      { guid: 'b', link: 'https://n.example/b', title: 'Beta story' },
    ];
    const seq = [rss(items), rss(items.slice(0, 3)), rss(items), rss(items)];
    let call = 0;
    ctx.server.route('/id.xml', (_q, res) => void res.writeHead(200, xml).end(seq[Math.min(call++, seq.length - 1)]));
    await add('/id.xml');
    const r1 = await runIngest(testDeps(ctx.t.db), { now: t0, all: true });
    expect(r1.feeds[0]).toMatchObject({ status: 'ok', new: 3, updated: 0, unchanged: 0, error: null });
    for (let i = 0; i < 3; i++) {
      const r = await runIngest(testDeps(ctx.t.db), { now: minutes(20 * (i + 1)), all: true });
      expect(r.feeds[0]).toMatchObject({ status: 'ok', new: 0 });
    }
    expect(await articleCount()).toBe(3);
    expect(
      await ctx.t.db.selectFrom('articles').select('tagged_with').where('tagged_with', 'is not', null).execute(),
    ).toEqual([]);
  });
});

describe('redirects and gone (scenario 15)', () => {
  it('301 moves the stored URL only once the target parses; 302 keeps it; 410 stops polling', async () => {
    let targetBody = '<html><body>not a feed</body></html>';
    ctx.server.route('/old.xml', { status: 301, headers: { location: '/new.xml' } });
    ctx.server.route(
      '/new.xml',
      (_q, res) =>
        void res
          .writeHead(200, { 'content-type': targetBody.startsWith('<html') ? 'text/html' : 'application/rss+xml' })
          .end(targetBody),
    );
    ctx.server.route('/temp.xml', { status: 302, headers: { location: '/new.xml' } });
    ctx.server.route('/gone.xml', { status: 410 });
    const old = await add('/old.xml');
    const temp = await add('/temp.xml');
    const gone = await add('/gone.xml');

    const r1 = await runIngest(testDeps(ctx.t.db), { now: t0, all: true });
    expect(r1.feeds.find((f) => f.url === old)).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^not_a_feed/),
    });
    expect((await feedRow(old)).url).toBe(old);
    expect(r1.feeds.find((f) => f.url === gone)).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^gone/),
    });
    expect(await feedRow(gone)).toMatchObject({ status: 'gone', last_error_code: 'gone', last_http_status: 410 });

    targetBody = rss([{ guid: 'x', link: 'https://n.example/x', title: 'Moved story' }]);
    const r2 = await runIngest(testDeps(ctx.t.db), { now: minutes(30), all: true });
    expect(r2.feeds.map((f) => f.status)).toEqual(['ok', 'ok']);
    expect((await feedRow(old)).url).toBe(ctx.server.url('/new.xml'));
    expect((await feedRow(temp)).url).toBe(temp);
    const goneHits = ctx.server.hits('/gone.xml');
    await runIngest(testDeps(ctx.t.db), { now: minutes(60), all: true });
    expect(ctx.server.hits('/gone.xml')).toBe(goneHits);
    expect((await listFeeds(ctx.t.db)).find((f) => f.url === gone)?.status).toBe('gone');
  });
  it('a redirect loop or more than 5 hops is an error, recorded on the feed', async () => {
    for (let i = 0; i < 7; i++) ctx.server.route(`/hop${i}`, { status: 301, headers: { location: `/hop${i + 1}` } });
    ctx.server.route('/loop', { status: 302, headers: { location: '/loop' } });
    const hops = await add('/hop0');
    const loop = await add('/loop');
    await runIngest(testDeps(ctx.t.db), { now: t0, all: true });
    expect(await feedRow(hops)).toMatchObject({ last_error_code: 'redirect', url: hops, consecutive_failures: 1 });
    expect(await feedRow(loop)).toMatchObject({ last_error_code: 'redirect', url: loop });
  });
});

describe('Retry-After per feed (scenario 16)', () => {
  it.each([
    ['seconds', () => '3600'],
    ['HTTP-date', () => minutes(60).toUTCString()],
  ])('a 429 with Retry-After in %s holds that feed back, not its siblings on the same host', async (_kind, value) => {
    ctx.server.route('/limited.xml', (_q, res) => void res.writeHead(429, { 'retry-after': value() }).end());
    ctx.server.route('/sibling.xml', { status: 200, headers: xml, body: rss(numberedItems(1, 2)) });
    const limited = await add('/limited.xml');
    await add('/sibling.xml');
    const r1 = await runIngest(testDeps(ctx.t.db), { now: t0 });
    expect(r1.feeds.map((f) => f.status).sort()).toEqual(['error', 'ok']);
    expect(await feedRow(limited)).toMatchObject({ last_error_code: 'rate_limited', last_http_status: 429 });
    expect((await feedRow(limited)).next_check_at >= minutes(60).toISOString()).toBe(true);
    for (const at of [20, 40, 59]) await runIngest(testDeps(ctx.t.db), { now: minutes(at) });
    expect(ctx.server.hits('/limited.xml')).toBe(1);
    expect(ctx.server.hits('/sibling.xml')).toBeGreaterThanOrEqual(3);
    await runIngest(testDeps(ctx.t.db), { now: minutes(61) });
    expect(ctx.server.hits('/limited.xml')).toBe(2);
  });
});

describe('conditional GET (scenario 17)', () => {
  it('a 304 costs no parse and no writes, keeps the stored validators, and they survive a restart', async () => {
    const seen: Array<{ inm?: string; ims?: string }> = [];
    ctx.server.route('/cond.xml', (req, res) => {
      seen.push({
        inm: req.headers['if-none-match'] as string | undefined,
        ims: req.headers['if-modified-since'] as string | undefined,
      });
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v2-different"' }).end();
      else
        res
          .writeHead(200, { ...xml, etag: '"v1"', 'last-modified': 'Sat, 21 Nov 2026 09:00:00 GMT' })
          .end(rss(numberedItems(2, 3)));
    });
    const url = await add('/cond.xml');
    expect((await runIngest(testDeps(ctx.t.db), { now: t0, all: true })).feeds[0]).toMatchObject({
      status: 'ok',
      new: 3,
    });
    const before = await ctx.t.db.selectFrom('articles').selectAll().orderBy('id').execute();
    const r2 = await runIngest(testDeps(ctx.t.db), { now: minutes(20), all: true });
    expect(r2.feeds[0]).toEqual({ url, status: 'not_modified', new: 0, updated: 0, unchanged: 0, error: null });
    expect(await ctx.t.db.selectFrom('articles').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await feedRow(url)).toMatchObject({
      etag: '"v1"',
      last_modified: 'Sat, 21 Nov 2026 09:00:00 GMT',
      last_http_status: 304,
    });

    // Restart: a new connection to the same file.
    await ctx.t.close();
    const reopened = openDatabase(ctx.t.target);
    try {
      const r3 = await runIngest(testDeps(reopened.db), { now: minutes(40), all: true });
      expect(r3.feeds[0]?.status).toBe('not_modified');
    } finally {
      await reopened.close();
    }
    expect(seen).toEqual([
      {},
      { inm: '"v1"', ims: 'Sat, 21 Nov 2026 09:00:00 GMT' },
      { inm: '"v1"', ims: 'Sat, 21 Nov 2026 09:00:00 GMT' },
    ]);
    Object.assign(ctx.t, openDatabase(ctx.t.target));
  });
});

describe('backoff (scenario 20)', () => {
  it('backs off exponentially up to 24 h, never disables the feed, and resets on success', async () => {
    let healthy = false;
    ctx.server.route(
      '/flaky.xml',
      (_q, res) =>
        void (healthy ? res.writeHead(200, xml).end(rss(numberedItems(3, 1))) : res.writeHead(500).end('boom')),
    );
    const url = await add('/flaky.xml');
    let now = t0;
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await runIngest({ ...testDeps(ctx.t.db), random: () => 0.5 }, { now });
      expect(r.feeds).toHaveLength(1);
      const row = await feedRow(url);
      expect(row).toMatchObject({
        status: 'active',
        consecutive_failures: i + 1,
        last_error_code: 'http_status',
        failing_since: t0.toISOString(),
      });
      const next = new Date(row.next_check_at);
      delays.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(delays.slice(0, 4)).toEqual([15, 30, 60, 120].map((m) => m * 60_000));
    expect(Math.max(...delays)).toBe(MAX_BACKOFF_MS);
    expect(ctx.server.hits('/flaky.xml')).toBe(12);
    healthy = true;
    await runIngest({ ...testDeps(ctx.t.db), random: () => 0.5 }, { now });
    const row = await feedRow(url);
    expect(row).toMatchObject({
      consecutive_failures: 0,
      failing_since: null,
      last_error_code: null,
      last_success_at: now.toISOString(),
    });
    expect(new Date(row.next_check_at).getTime() - now.getTime()).toBe(15 * 60_000);
  });
});

describe('load (scenario 25)', () => {
  it('500 feeds on 25 hosts: in flight ≤ 8 in total and ≤ 2 per host as the server counts them; healthy feeds all ingested', async () => {
    ctx.server.route('/', () => undefined);
    const body = rss(numberedItems(9, 2));
    for (let i = 0; i < 500; i++) {
      const delay = (i * 37) % 51;
      ctx.server.route(
        `/load/${i}.xml`,
        i % 20 === 7
          ? { status: 500, delayMs: delay }
          : { status: 200, headers: xml, body: body.replaceAll('feed9-', `feed${i}-`), delayMs: delay },
      );
    }
    const origin = new URL(ctx.server.origin);
    await ctx.t.db
      .insertInto('feeds')
      .values(
        Array.from({ length: 500 }, (_, i) => ({
          url: `http://host${i % 25}.test:${origin.port}/load/${i}.xml`,
          original_url: null,
          tier: 3,
          poll_interval_minutes: 15,
          full_text: 0,
          origin: 'cli' as const,
          status: 'active' as const,
          consecutive_failures: 0,
          next_check_at: t0.toISOString(),
          created_at: t0.toISOString(),
        })),
      )
      .execute();
    const r = await runIngest(testDeps(ctx.t.db), { now: t0 });
    expect(r.feeds).toHaveLength(500);
    expect(r.feeds.filter((f) => f.status === 'error')).toHaveLength(25);
    expect(r.feeds.filter((f) => f.status === 'ok' && f.new === 2)).toHaveLength(475);
    expect(ctx.server.maxInFlight()).toBeLessThanOrEqual(8);
    expect(ctx.server.maxInFlight()).toBeGreaterThanOrEqual(6);
    for (let h = 0; h < 25; h++)
      expect(ctx.server.maxInFlightPerHost(`host${h}.test:${origin.port}`)).toBeLessThanOrEqual(2);
    expect(await articleCount()).toBe(950);
  });
});

describe('no overlapping runs (scenario 26) and catch-up after downtime (41)', () => {
  it('two concurrent runs (two connections, as two processes) fetch each feed once, claimed by one of them', async () => {
    for (let i = 0; i < 6; i++)
      ctx.server.route(`/slow${i}.xml`, { status: 200, headers: xml, body: rss(numberedItems(i, 5)), delayMs: 150 });
    for (let i = 0; i < 6; i++) await add(`/slow${i}.xml`);
    const other = openDatabase(ctx.t.target);
    try {
      const [a, b] = await Promise.all([
        runIngest(testDeps(ctx.t.db), { now: t0 }),
        runIngest(testDeps(other.db), { now: t0 }),
      ]);
      const all = [...a.feeds, ...b.feeds];
      // Due feeds are claimed in batches: a feed claimed by one run is not even listed by the other.
      expect(all.filter((f) => f.status === 'ok')).toHaveLength(6);
      expect(all).toHaveLength(6);
      for (let i = 0; i < 6; i++) expect(ctx.server.hits(`/slow${i}.xml`)).toBe(1);
      expect(await articleCount()).toBe(30);
    } finally {
      await other.close();
    }
  });
  it('a feed missed for three intervals while down runs exactly once on start, and its due time moves on', async () => {
    ctx.server.route('/missed.xml', { status: 200, headers: xml, body: rss(numberedItems(5, 1)) });
    const url = await add('/missed.xml');
    const restart = minutes(3 * 15 + 1);
    const first = await runIngest(testDeps(ctx.t.db), { now: restart });
    const second = await runIngest(testDeps(ctx.t.db), { now: restart });
    expect(first.feeds).toHaveLength(1);
    expect(second.feeds).toHaveLength(0);
    expect(ctx.server.hits('/missed.xml')).toBe(1);
    expect((await feedRow(url)).next_check_at > restart.toISOString()).toBe(true);
  });
});

describe('syndication', () => {
  it('the same story in three feeds makes one cluster with three sources and the best tier', async () => {
    const story = {
      title: 'Ukraine and US agree revised 19-point framework after Geneva talks',
      description:
        'Delegations from Kyiv and Washington said on Sunday they had narrowed differences over a revised framework to end the war.',
    };
    const pubDate = 'Sat, 21 Nov 2026 11:00:00 GMT';
    ctx.server.route('/wire1.xml', {
      status: 200,
      headers: xml,
      body: rss([{ ...story, guid: 'w1', link: 'https://one.example/s', pubDate }, ...numberedItems(21, 2)]),
    });
    ctx.server.route('/wire2.xml', {
      status: 200,
      headers: xml,
      body: rss([
        {
          ...story,
          description: `GENEVA (AP) — ${story.description}`,
          guid: 'w2',
          link: 'https://two.example/s?utm_medium=feed',
          pubDate,
        },
        ...numberedItems(22, 2),
      ]),
    });
    ctx.server.route('/wire3.xml', {
      status: 200,
      headers: xml,
      body: rss([
        { ...story, title: `${story.title} | World`, guid: 'w3', link: 'https://three.example/s', pubDate },
        ...numberedItems(23, 2),
      ]),
    });
    await add('/wire1.xml', 3);
    await add('/wire2.xml', 1);
    await add('/wire3.xml', 2);
    await runIngest(testDeps(ctx.t.db), { now: t0 });
    const clusters = await ctx.t.db.selectFrom('story_clusters').selectAll().orderBy('source_count', 'desc').execute();
    expect(clusters[0]).toMatchObject({ source_count: 3, best_tier: 1 });
    expect(clusters.slice(1).every((c) => c.source_count === 1)).toBe(true);
    expect(clusters).toHaveLength(7);
    const members = await ctx.t.db
      .selectFrom('articles')
      .select('feed_id')
      .where('cluster_id', '=', clusters[0]!.id)
      .execute();
    expect(new Set(members.map((m) => m.feed_id)).size).toBe(3);
  });
});

describe('full text and the scheduler job', () => {
  it('a full_text feed stores the article body extracted from the linked page, for new items only', async () => {
    const page = (body: string) =>
      `<html><head><title>x</title></head><body><nav>Home | World</nav><article><h1>Talks</h1>${body}</article><footer>© Site</footer></body></html>`;
    const long =
      '<p>Negotiators met for nine hours in Geneva and agreed to keep talking about the revised framework next week.</p>'.repeat(
        3,
      );
    ctx.server.route('/article/1', {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: page(long),
    });
    ctx.server.route('/full.xml', {
      status: 200,
      headers: xml,
      body: rss([
        { guid: 'f1', link: ctx.server.url('/article/1'), title: 'Geneva talks', description: 'Short teaser.' },
      ]),
    });
    const url = await add('/full.xml');
    await ctx.t.db.updateTable('feeds').set({ full_text: 1 }).where('url', '=', url).execute();
    await runIngest(testDeps(ctx.t.db), { now: t0, all: true });
    const a = await ctx.t.db.selectFrom('articles').select(['summary', 'text']).executeTakeFirstOrThrow();
    expect(a.summary).toBe('Short teaser.');
    expect(a.text).toMatch(/^Talks\nNegotiators met for nine hours/);
    expect(a.text).not.toMatch(/Home \| World|© Site/);
    await runIngest(testDeps(ctx.t.db), { now: minutes(20), all: true });
    expect(ctx.server.hits('/article/1')).toBe(1);
  });

  it('ingestJob runs the due feeds on a scheduler tick, in every process (no job lease: feeds are claimed)', async () => {
    ctx.server.route('/job.xml', { status: 200, headers: xml, body: rss(numberedItems(31, 3)) });
    await add('/job.xml');
    const summaries: number[] = [];
    const scheduler = startScheduler({
      db: ctx.t.db,
      log: silentLogger,
      tickCron: '0 0 1 1 *',
      clock: () => t0,
      jobs: [ingestJob({ ...testDeps(ctx.t.db), onRun: (s) => void summaries.push(s.feeds.length) })],
    });
    await scheduler.tick(t0);
    await scheduler.stop();
    expect(summaries).toContain(1);
    expect(await articleCount()).toBe(3);
    expect(await ctx.t.db.selectFrom('job_leases').select(['name', 'owner']).execute()).toEqual([]);
  });
});
