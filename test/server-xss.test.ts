// XSS in a real browser: every feedparser sanitize fixture stored raw as articles, tags and contributions.
/// <reference lib="dom" />
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import {
  insertArticle,
  insertCluster,
  insertFeed,
  insertTag,
  openTestDb,
  type TestDb,
  testDeps,
} from './helpers/seed.ts';

const DIR = path.resolve(import.meta.dirname, 'fixtures/feedparser/tests/wellformed/sanitize');
const MARKER = 'XSS-MARKER';
const now = new Date('2026-11-21T18:00:00Z');
const EXTRA = [
  `<script>console.log('${MARKER}')</script>`,
  `<img src=x onerror="console.log('${MARKER}')">`,
  `"><svg onload="console.log('${MARKER}')">`,
  `<a href="javascript:console.log('${MARKER}')">x</a>`,
  `&lt;script&gt;console.log('${MARKER}')&lt;/script&gt;`,
];

let t: TestDb;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let snapshotIds: number[] = [];
let files = 0;

/** Every string rss-parser gives for a fixture (raw, not cleaned): the worst case for the views. */
async function payloads(file: string): Promise<{ title: string; summary: string; text: string; link: string | null }> {
  const xml = readFileSync(path.join(DIR, file), 'utf8');
  try {
    const feed = await new Parser().parseString(xml);
    const item = feed.items[0] ?? {};
    const s = (v: unknown) => (typeof v === 'string' ? v : v ? JSON.stringify(v) : '');
    const strings = [
      s(item.title),
      s(item.content),
      s(item.summary),
      s(feed.title),
      s(feed.description),
      s((item as Record<string, unknown>)['content:encoded']),
    ].filter(Boolean);
    return {
      title: `${file}: ${strings[0] ?? xml}`,
      summary: strings.join(' ') || xml,
      text: strings.join('\n') || xml,
      link: item.link ?? feed.link ?? null,
    };
  } catch {
    return { title: `${file}: ${xml}`, summary: xml, text: xml, link: null };
  }
}

beforeAll(async () => {
  t = await openTestDb();
  const pack = t.pack.pack;
  const at = now.toISOString();
  const feed = insertFeed(t.sqlite, {
    url: 'https://feeds.example.org/x.xml',
    name: `<b onmouseover="console.log('${MARKER}')">Feed</b>`,
    at,
  });
  const names = readdirSync(DIR)
    .filter((f) => f.endsWith('.xml'))
    .sort();
  const all = [
    ...(await Promise.all(names.map(payloads))),
    ...EXTRA.map((x) => ({ title: x, summary: x, text: x, link: `javascript:console.log('${MARKER}')` })),
  ];
  files = all.length;
  const insertSnap = t.sqlite.prepare(
    'INSERT INTO snapshots (pack_id, at, probabilities, reason, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertContrib = t.sqlite.prepare(
    'INSERT INTO evidence_contributions (snapshot_id, cluster_id, article_id, indicator_id, polarity, modality, weight, log_odds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  t.sqlite.transaction(() => {
    let snap = 0;
    all.forEach((p, i) => {
      const published = new Date(now.getTime() - (all.length - i) * 60_000).toISOString();
      const cluster = insertCluster(t.sqlite, p.title, published, 1 + (i % 4));
      const id = insertArticle(t.sqlite, {
        feedId: feed,
        clusterId: cluster,
        title: p.title,
        summary: p.summary,
        text: p.text,
        url: p.link,
        publishedAt: published,
      });
      insertTag(t.sqlite, {
        articleId: id,
        packId: pack.id,
        indicatorId: pack.indicators[i % pack.indicators.length]!.id,
        snippet: p.summary,
        at: published,
        modality: i % 2 ? 'held' : null,
      });
      // 20 contributions per snapshot: 10 for and 10 against "deal", so each shows on a scenario page.
      if (i % 20 === 0) {
        const sAt = new Date(now.getTime() - (all.length - i) * 60_000 + 30_000).toISOString();
        snap = Number(
          insertSnap.run(pack.id, sAt, JSON.stringify({ deal: 0.3, frozen: 0.3, collapse: 0.4 }), 'test', sAt)
            .lastInsertRowid,
        );
        snapshotIds.push(snap);
      }
      const c = (i % 2 ? -1 : 1) * (0.1 + (i % 20) * 0.01);
      insertContrib.run(
        snap,
        cluster,
        id,
        pack.indicators[0]!.id,
        'affirmed',
        null,
        1,
        JSON.stringify({ deal: c, frozen: 0, collapse: 0 }),
      );
    });
  })();
  await t.commitSeed();
  snapshotIds = [...new Set(snapshotIds)];
  server = await serveApp(createApp(testDeps(t, { now: () => now, streamIntervalMs: 60_000 })));
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

async function inspect(page: Page, url: string, problems: string[]): Promise<number> {
  await page.goto(url);
  const found = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) bad.push(`${el.tagName} ${a.name}`);
        if (/^\s*(javascript|vbscript|data):/i.test(a.value) && !(el.tagName === 'LINK' && a.value === 'data:,'))
          bad.push(`${el.tagName} ${a.name}=${a.value.slice(0, 40)}`);
      }
    }
    for (const s of Array.from(document.scripts))
      if (s.getAttribute('src') !== '/static/live.js') bad.push(`script ${s.outerHTML.slice(0, 60)}`);
    for (const tag of [
      'iframe',
      'object',
      'embed',
      'img',
      'form[action^="javascript"]',
      'style',
      'base',
      'meta[http-equiv]',
    ]) {
      if (document.querySelector(tag)) bad.push(`element ${tag}`);
    }
    return { bad, stories: document.querySelectorAll('.story, tbody tr').length };
  });
  problems.push(...found.bad.map((b) => `${url}: ${b}`));
  return found.stories;
}

describe('untrusted feed text in Chromium', () => {
  it('runs no script from any sanitize fixture on the evidence stream', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes(MARKER) || m.type() === 'error') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    let seen = 0;
    let url: string | null = `${server.url}/evidence`;
    while (url) {
      seen += await inspect(page, url, problems);
      const next: string | null = (await (await page.$('a[rel=next]'))?.getAttribute('href')) ?? null;
      url = next ? `${server.url}${next}` : null;
    }
    expect(files).toBeGreaterThan(700);
    expect(seen).toBe(files);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs no script on the scenario pages that list every fixture as a contribution', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes(MARKER) || m.type() === 'error') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    let rows = 0;
    for (const id of snapshotIds) rows += await inspect(page, `${server.url}/scenarios/deal?snapshot=${id}`, problems);
    for (const path of ['/feeds', '/', '/indicators']) await inspect(page, `${server.url}${path}`, problems);
    expect(rows).toBeGreaterThanOrEqual(files);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the server HTML itself carries no injected script or handler', async () => {
    const html = await (await fetch(`${server.url}/evidence`)).text();
    expect(html).not.toMatch(/<script(?![^>]*src="\/static\/live\.js")/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/href="\s*javascript:/i);
  });
});
