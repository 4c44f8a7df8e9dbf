// Behind a reverse proxy under a path: BASE_URL=https://example.org/bellwether/. Every link, asset, form
// action and redirect of the pages carries the prefix, each of them answers when followed through the
// prefix, the JSON Feed's URLs are absolute under it, and a proxy that strips the prefix is served too.
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { prefixLinks } from '../src/server/http/path-prefix.ts';
import { Hono } from 'hono';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 20, perDay: 10, weightScale: 0.3 }));
  app = createApp(testDeps(t, { now: () => now, env: { BASE_URL: 'https://example.org/bellwether/' } }));
});
afterAll(() => t.close());

/** Every URL-bearing attribute of a page: links, assets, form actions, the chart's day links. */
function urlsOf(html: string): string[] {
  const $ = load(html);
  const out: string[] = [];
  $('[href], [src], [action], [formaction], [data-day-href]').each((_, el) => {
    for (const name of ['href', 'src', 'action', 'formaction', 'data-day-href']) {
      const v = $(el).attr(name);
      if (v !== undefined) out.push(v);
    }
  });
  return out;
}

describe('a path prefix from BASE_URL', () => {
  it('every local link, asset and form action of every page starts with the prefix, and answers through it', async () => {
    const pages = ['/', '/scenarios/deal', '/indicators', '/evidence', '/feeds', '/alerts'];
    const seen = new Set<string>();
    for (const page of pages) {
      const res = await app.request(`/bellwether${page}`);
      expect(res.status, page).toBe(200);
      const urls = urlsOf(await res.text());
      expect(urls.length, page).toBeGreaterThan(0);
      for (const u of urls) {
        if (/^(https?:|mailto:|#)/.test(u)) continue; // external, or on the page itself
        expect(u, `${page}: ${u}`).toMatch(/^\/bellwether\//);
        seen.add(u.replace(/#.*$/, ''));
      }
    }
    // The stylesheet, the script, the icon, day pages, scenario pages, the evidence filter's action...
    expect([...seen]).toEqual(
      expect.arrayContaining(['/bellwether/static/style.css', '/bellwether/static/live.js', '/bellwether/evidence']),
    );
    expect([...seen].some((u) => u.startsWith('/bellwether/days/'))).toBe(true);
    for (const u of seen) {
      if (u.endsWith('/')) continue; // the overview, fetched above
      const res = await app.request(u);
      expect(res.status, u).toBeLessThan(400);
    }
  });

  it('the live script finds the stream beside itself under the prefix', async () => {
    const js = await (await app.request('/bellwether/static/live.js')).text();
    expect(js).toContain("new URL('..', script.src).pathname");
    expect(js).not.toContain("EventSource('/api");
  });

  it('the JSON Feed and the API answer under the prefix with absolute URLs that include it', async () => {
    const feed = (await (await app.request('/bellwether/feed.json')).json()) as {
      home_page_url: string;
      feed_url: string;
      items: { url: string }[];
    };
    expect(feed.home_page_url).toBe('https://example.org/bellwether/');
    expect(feed.feed_url).toBe('https://example.org/bellwether/feed.json');
    for (const i of feed.items) expect(i.url).toMatch(/^https:\/\/example\.org\/bellwether\//);
    expect((await app.request('/bellwether/api/v1/scenarios')).status).toBe(200);
    expect((await app.request('/bellwether/readyz')).status).toBe(200);
  });

  it('a proxy that strips the prefix is served the same pages, still linking under the prefix', async () => {
    const stripped = await (await app.request('/scenarios/deal')).text();
    const full = await (await app.request('/bellwether/scenarios/deal')).text();
    expect(stripped).toBe(full);
  });

  it('a root-relative redirect gets the prefix; an absolute or protocol-relative one is left alone', async () => {
    const demo = new Hono();
    demo.use('*', prefixLinks('/bellwether'));
    demo.get('/old', (c) => c.redirect('/alerts', 303));
    demo.get('/away', (c) => c.redirect('https://elsewhere.example/x', 302));
    demo.get('/proto', (c) => c.redirect('//elsewhere.example/x', 302));
    expect((await demo.request('/old')).headers.get('Location')).toBe('/bellwether/alerts');
    expect((await demo.request('/away')).headers.get('Location')).toBe('https://elsewhere.example/x');
    expect((await demo.request('/proto')).headers.get('Location')).toBe('//elsewhere.example/x');
  });

  it('at the root (BASE_URL without a path) nothing is rewritten', async () => {
    const root = createApp(testDeps(t, { now: () => now, env: { BASE_URL: 'https://example.org' } }));
    const html = await (await root.request('/')).text();
    expect(html).toContain('href="/static/style.css"');
    expect((await root.request('/bellwether/')).status).toBe(404);
  });
});
