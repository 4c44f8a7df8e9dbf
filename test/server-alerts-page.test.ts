// The alerts page: compact, paged, human names, links to the stories; one alert's own page; the API's paging.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let app: ReturnType<typeof createApp>;
const KINDS = ['indicator_shift', 'level_crossing', 'probability_move', 'deadline_approaching', 'feed_failing'];

beforeAll(async () => {
  t = await openTestDb();
  const snap = t.sqlite
    .prepare('INSERT INTO snapshots (pack_id, at, probabilities, reason, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(
      'ukraine-peace',
      '2026-11-20T12:00:00.000Z',
      JSON.stringify({ deal: 0.2, frozen: 0.3, collapse: 0.5 }),
      't',
      'x',
    );
  const insert = t.sqlite.prepare(
    'INSERT INTO alerts (pack_id, kind, rule_key, title, body, data, snapshot_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (let i = 1; i <= 60; i++) {
    const at = new Date(Date.UTC(2026, 9, 1) + i * 3_600_000 * 12).toISOString();
    insert.run(
      'ukraine-peace',
      KINDS[i % KINDS.length],
      `rule:${i}`,
      `Alert number ${i}: Collapse rose 12 points`,
      `Body of alert ${i}.\n\nA second paragraph.`,
      JSON.stringify({
        probabilities: { deal: 0.2, frozen: 0.3, collapse: 0.5 },
        previous: null,
        scenarioNames: { deal: 'Deal', frozen: 'Frozen', collapse: 'Collapse' },
        scenarioId: 'collapse',
        shifted: [],
        stories: [
          { title: `Story A behind alert ${i}`, url: `https://news.example/a/${i}`, publishedAt: at },
          { title: `Story B behind alert ${i}`, url: 'javascript:alert(1)', publishedAt: at },
        ],
      }),
      i % 2 === 0 ? snap.lastInsertRowid : null,
      at,
    );
  }
  // Another pack's alert never shows here.
  insert.run('other-pack', 'indicator_shift', 'x', 'Foreign alert', 'b', '{}', null, now.toISOString());
  await t.commitSeed();
  app = createApp(testDeps(t, { now: () => now }));
});
afterAll(() => t.close());

const ids = (html: string) => [...html.matchAll(/<li id="alert-(\d+)"/g)].map((m) => Number(m[1]));

describe('alerts page', () => {
  it('pages 25 at a time, newest first, with no gap or repeat', async () => {
    const seen: number[] = [];
    let url: string | null = '/alerts';
    while (url) {
      const html: string = await (await app.request(url)).text();
      const page = ids(html);
      expect(page.length).toBeLessThanOrEqual(25);
      seen.push(...page);
      url = /<a rel="next" href="([^"]+)"/.exec(html)?.[1] ?? null;
    }
    expect(seen).toHaveLength(60);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect((await app.request('/alerts?before=abc')).status).toBe(404);
  });

  it('shows human names and links, never internal ids or unsafe links', async () => {
    const html = await (await app.request('/alerts')).text();
    expect(html).toContain('<span class="kind">Signal changed</span>');
    expect(html).toContain('<span class="kind">Probability moved</span>');
    expect(html).not.toMatch(/>[^<]*\b(indicator_shift|probability_move|level_crossing|feed_failing)\b[^<]*</);
    expect(html).toContain('href="https://news.example/a/60"');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('href="/days/2026-10-31"');
    expect(html).not.toContain('Foreign alert');
  });

  it('each alert has its own page (what the JSON Feed links to)', async () => {
    const res = await app.request('/alerts/60');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Alert number 60: Collapse rose 12 points</h1>');
    expect(html).toContain('A second paragraph.');
    expect((await app.request('/alerts/61')).status).toBe(404); // the other pack's
    expect((await app.request('/alerts/0')).status).toBe(404);
  });

  it('the API pages with nextBefore and names each kind', async () => {
    const first = (await (await app.request('/api/v1/alerts?limit=40')).json()) as {
      alerts: { id: number; kind: string; kindName: string }[];
      nextBefore: number | null;
    };
    expect(first.alerts).toHaveLength(40);
    expect(first.alerts[0]!.kindName).toBeTruthy();
    const second = (await (await app.request(`/api/v1/alerts?limit=40&before=${first.nextBefore}`)).json()) as {
      alerts: { id: number }[];
      nextBefore: number | null;
    };
    expect(second.alerts).toHaveLength(20);
    expect(second.nextBefore).toBeNull();
    expect((await app.request('/api/v1/alerts?before=x')).status).toBe(400);
  });

  it('is compact in Chromium: 25 alerts fit in a few screens at 1280 and 390 px', async () => {
    const server = await serveApp(app);
    const browser = await launchBrowser();
    try {
      for (const width of [1280, 390]) {
        const page = await browser.context.newPage();
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${server.url}/alerts`);
        const list = (await page.locator('ol.alerts').boundingBox())!;
        expect(list.height / 25).toBeLessThan(width === 1280 ? 110 : 190);
        const [title, h1] = await page.evaluate(() => [
          parseFloat(getComputedStyle(document.querySelector('.alert-title')!).fontSize),
          parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize),
        ]);
        expect(title).toBeLessThan(h1 * 0.75);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.click('a[rel=next]');
        await page.waitForURL(/before=\d+/);
        expect(await page.locator('ol.alerts > li').count()).toBe(25);
        await page.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
