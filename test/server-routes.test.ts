// Route tests through app.request against a real seeded SQLite database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveOneOut } from '../src/scenarios/explain.ts';
import { createApp } from '../src/server/app.ts';
import { insertArticle, insertTag, openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { TEST_DB_KIND } from './helpers/test-database.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 60, perDay: 30, weightScale: 0.3 })); // the calibrated pack moves less per story: enough weight for 10-point moves
  app = createApp(testDeps(t, { now: () => now }));
});
afterAll(() => t.close());

const latest = async () =>
  (await t.get<{ id: number; at: string; probabilities: string }>(
    'SELECT id, at, probabilities FROM snapshots ORDER BY at DESC, id DESC LIMIT 1',
  ))!;

describe('dashboard pages', () => {
  it('overview shows the question, each probability, the chart and countdowns', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Will the US-brokered push end');
    const p = JSON.parse((await latest()).probabilities) as Record<string, number>;
    for (const [id, v] of Object.entries(p)) {
      expect(html).toContain(`data-scenario="${id}"`);
      expect(html).toContain(`${(v * 100).toFixed(1)}%`);
    }
    expect(html.match(/<polyline class="line s\d"/g)).toHaveLength(6); // the wide and the phone drawing
    expect(html).toMatch(/<a href="\/days\/\d{4}-\d{2}-\d{2}" class="move m0"/);
    expect(html).toContain('Deadline 2026-11-26');
    expect(html).toContain('5 d 5 h left');
  });

  it('every HTML page carries the security headers and a CSP without inline script', async () => {
    for (const path of ['/', '/scenarios/deal', '/indicators', '/evidence', '/feeds', '/alerts', '/nope']) {
      const res = await app.request(path);
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
      expect(await res.text()).not.toMatch(/<script(?![^>]*src="\/static\/live\.js")/);
    }
  });

  it('scenario page shows one row per story with the exact leave-one-story-out value', async () => {
    const snap = await latest();
    const p = JSON.parse(snap.probabilities) as Record<string, number>;
    const rows = await t.all<{ cluster_id: number | null; article_id: number | null; log_odds: string }>(
      'SELECT cluster_id, article_id, log_odds FROM evidence_contributions WHERE snapshot_id = ?',
      snap.id,
    );
    // Sum each story's contributions (all its tags), then remove the whole story.
    const sums = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const k = r.cluster_id !== null ? `c${r.cluster_id}` : `a${r.article_id}`;
      const sum = sums.get(k) ?? {};
      for (const [s, v] of Object.entries(JSON.parse(r.log_odds) as Record<string, number>)) sum[s] = (sum[s] ?? 0) + v;
      sums.set(k, sum);
    }
    const html = await (await app.request('/scenarios/collapse')).text();
    expect(html).toContain('Stories for');
    expect(html).toContain('Stories against');
    const shown = [...html.matchAll(/<tr data-story="(\w+)">.*?data-without="([\d.e-]+)"/gs)].map(
      (m) => [m[1]!, Number(m[2])] as const,
    );
    expect(shown.length).toBeGreaterThan(3);
    expect(new Set(shown.map(([k]) => k)).size).toBe(shown.length); // one row per story
    for (const [k, without] of shown) expect(without).toBeCloseTo(leaveOneOut(p, sums.get(k)!)['collapse']!, 12);
    expect((await app.request('/scenarios/nope')).status).toBe(404);
  });

  it('a move marker opens what changed that day: the stories with their exact push', async () => {
    const html = await (await app.request('/')).text();
    const day = /<a href="\/days\/(\d{4}-\d{2}-\d{2})" class="move m0"/.exec(html)![1]!;
    const page = await (await app.request(`/days/${day}`)).text();
    expect(page).toContain('What changed on');
    expect(page).toContain('Stories that moved it');
    const api = (await (await app.request(`/api/v1/days/${day}`)).json()) as {
      to: { probabilities: Record<string, number> };
      stories: { story: string; push: Record<string, number> }[];
    };
    expect(api.stories.length).toBeGreaterThan(0);
    const first = api.stories[0]!;
    expect(page).toContain(`data-story="${first.story}"`);
    for (const [s, v] of Object.entries(first.push)) expect(page).toContain(`data-scenario="${s}" data-push="${v}"`);
    expect((await app.request('/days/2026-02-31x')).status).toBe(404);
    expect(await (await app.request('/days/1999-01-01')).text()).toContain('No forecast was made on this day.');
  });

  it('a past snapshot shows the time left as it was then', async () => {
    const first = t.sqlite.prepare('SELECT id, at FROM snapshots ORDER BY at LIMIT 1 OFFSET 40').get() as {
      id: number;
      at: string;
    };
    const html = await (await app.request(`/scenarios/deal?snapshot=${first.id}`)).text();
    expect(html).toContain('Explaining the snapshot of');
    expect(html).toMatch(/Deadline 2026-11-26:.*?\d+ d \d+ h left at the time of this snapshot/s);
    expect(html).not.toContain('under a minute');
  });

  it('indicators page shows states, sparklines and the strike-volume level against its baseline', async () => {
    const html = await (await app.request('/indicators')).text();
    expect(html).toMatch(/class="state (active|quiet)"/);
    expect(html.match(/class="spark"/g)!.length).toBeGreaterThanOrEqual(15);
    expect(html).toContain('Missile and drone strike volume: daily level against its baseline');
    expect(html).toMatch(/against a baseline median of \d+ \(robust z = -?\d/);
  });

  it('evidence stream filters by indicator with a plain GET form', async () => {
    const html = await (await app.request('/evidence?indicator=envoy_talks')).text();
    expect(html).toContain('<label for="indicator">');
    expect(html).toContain('<option value="envoy_talks" selected="">');
    const titles = [...html.matchAll(/<h2 class="story-title">(?:<a [^>]+>)?([^<]+)/g)].map((m) => m[1]);
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toMatch(/Witkoff|Abu Dhabi/);
    expect(html).toMatch(/\d sources?/);
  });

  it('feeds and alerts pages list health and alerts', async () => {
    const feeds = await (await app.request('/feeds')).text();
    expect(feeds).toContain('class="state failing"');
    expect(feeds).toContain('HTTP 503 Service Unavailable');
    expect(await (await app.request('/alerts')).text()).toContain('Envoy talks resumed');
  });
});

describe('JSON API', () => {
  it('scenarios: fields, ETag, 304, CORS', async () => {
    const res = await app.request('/api/v1/scenarios', { headers: { Origin: 'https://other.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const body = (await res.json()) as {
      asOf: string;
      scenarios: { id: string; probability: number; change24h: number | null }[];
    };
    expect(body.asOf).toBe((await latest()).at);
    expect(body.scenarios.map((s) => s.id)).toEqual(['deal', 'frozen', 'collapse']);
    expect(body.scenarios.reduce((a, s) => a + s.probability, 0)).toBeCloseTo(1, 9);
    const etag = res.headers.get('ETag')!;
    expect(res.headers.get('Cache-Control')).toContain('max-age=0');
    expect((await app.request('/api/v1/scenarios', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it('a new snapshot invalidates the cached scenarios', async () => {
    const before = (await (await app.request('/api/v1/scenarios')).json()) as { asOf: string };
    const at = '2026-11-21T17:00:00.000Z';
    await t.seed((db) =>
      db
        .prepare('INSERT INTO snapshots (pack_id, at, probabilities, reason, created_at) VALUES (?, ?, ?, ?, ?)')
        .run('ukraine-peace', at, JSON.stringify({ deal: 0.2, frozen: 0.3, collapse: 0.5 }), 'test', at),
    );
    const after = (await (await app.request('/api/v1/scenarios')).json()) as {
      asOf: string;
      scenarios: { probability: number }[];
    };
    expect(before.asOf).not.toBe(at);
    expect(after.asOf).toBe(at);
    expect(after.scenarios[0]!.probability).toBe(0.2);
  });

  it('conditional GET works on uncached endpoints too (hashed ETag)', async () => {
    const res = await app.request('/api/v1/feeds');
    const etag = res.headers.get('ETag');
    expect(etag).toBeTruthy();
    expect((await app.request('/api/v1/feeds', { headers: { 'If-None-Match': etag! } })).status).toBe(304);
  });

  it('indicators: a new tag shows at once (the cached rows are keyed on the newest tag)', async () => {
    type Body = { indicators: { id: string; lastSignal: string | null; state: string }[] };
    const before = ((await (await app.request('/api/v1/indicators')).json()) as Body).indicators.find(
      (i) => i.id === 'sanctions_relief',
    )!;
    const at = '2026-11-21T17:45:00.000Z';
    await t.seed((db) => {
      const id = insertArticle(db, { feedId: null, title: 'US offers to waive sanctions', publishedAt: at });
      insertTag(db, {
        articleId: id,
        packId: 'ukraine-peace',
        indicatorId: 'sanctions_relief',
        snippet: 'offers to waive sanctions',
        at,
      });
    });
    const after = ((await (await app.request('/api/v1/indicators')).json()) as Body).indicators.find(
      (i) => i.id === 'sanctions_relief',
    )!;
    expect(before.lastSignal).not.toBe(at);
    expect(after).toMatchObject({ lastSignal: at, state: 'active' });
  });

  it('history honours from and to', async () => {
    const body = (await (
      await app.request('/api/v1/history?from=2026-11-01T00:00:00Z&to=2026-11-10T23:59:59Z')
    ).json()) as { points: { t: string }[] };
    expect(body.points).toHaveLength(10);
    expect(body.points[0]!.t).toBe('2026-11-01T12:00:00.000Z');
    expect((await app.request('/api/v1/history?from=yesterday')).status).toBe(400);
  });

  it('evidence paginates with a cursor without gaps or repeats', async () => {
    const total = (await t.get<{ n: number }>(
      "SELECT COUNT(DISTINCT article_id) AS n FROM tags WHERE indicator_id = 'envoy_talks'",
    ))!.n;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/evidence?indicator=envoy_talks&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await app.request(url)).json()) as {
        items: { articleId: number }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((i) => i.articleId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect((await app.request('/api/v1/evidence?cursor=zzz')).status).toBe(400);
    expect((await app.request('/api/v1/evidence?limit=1000')).status).toBe(400);
    expect((await app.request('/api/v1/evidence?indicator=nope')).status).toBe(400);
  });
});

describe('JSON Feed, metrics, limits', () => {
  it('serves JSON Feed 1.1 with stable ids, sanitised HTML and the probabilities', async () => {
    const res = await app.request('/feed.json');
    expect(res.headers.get('Content-Type')).toContain('application/feed+json');
    const feed = (await res.json()) as {
      version: string;
      items: {
        id: string;
        content_html: string;
        content_text: string;
        date_published: string;
        _bellwether: { probabilities: unknown };
      }[];
    };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.length).toBeGreaterThan(0);
    expect(feed.items.some((i) => i.id.includes('/alerts/'))).toBe(true);
    for (const i of feed.items) {
      expect(i.content_html).not.toMatch(/<script|on\w+=/i);
      expect(i.date_published).toMatch(/Z$/);
    }
    const again = (await (await app.request('/feed.json')).json()) as { items: { id: string }[] };
    expect(again.items.map((i) => i.id)).toEqual(feed.items.map((i) => i.id));
    expect((await app.request('/feed.json', { headers: { 'If-None-Match': res.headers.get('ETag')! } })).status).toBe(
      304,
    );
  });

  it('exposes Prometheus metrics', async () => {
    await app.request('/');
    const text = await (await app.request('/metrics')).text();
    for (const name of [
      'bellwether_feeds_polled 5',
      'bellwether_feeds_failing 1',
      'bellwether_articles 1',
      'bellwether_tags ',
      'bellwether_snapshot_age_seconds 3600',
      'bellwether_http_request_duration_seconds_bucket{le="+Inf",route="/"}',
      'bellwether_outbox_messages{status="pending"} 0',
      // Node's process metrics, from prom-client.
      'process_resident_memory_bytes ',
      'nodejs_heap_size_used_bytes ',
      'nodejs_eventloop_lag_seconds ',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('rejects bodies over 2 MB with 413, with Content-Length and chunked', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024 + 10);
    expect(
      (
        await app.request('/api/v1/admin/feeds', {
          method: 'POST',
          body: big,
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(big.length) },
        })
      ).status,
    ).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const res = await app.request('/api/v1/admin/feeds', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('/healthz stays cheap and answers without touching tables', async () => {
    const res = await app.request('/healthz');
    expect(await res.json()).toEqual({ status: 'ok', version: 'test', database: TEST_DB_KIND });
  });

  it('/healthz carries the same security headers as every other response (issue 18, 10)', async () => {
    const [health, page] = await Promise.all([app.request('/healthz'), app.request('/')]);
    for (const name of [
      'Content-Security-Policy',
      'X-Content-Type-Options',
      'X-Frame-Options',
      'Referrer-Policy',
      'Strict-Transport-Security',
    ]) {
      expect(health.headers.get(name), name).toBeTruthy();
      expect(health.headers.get(name), name).toBe(page.headers.get(name));
    }
  });
});
