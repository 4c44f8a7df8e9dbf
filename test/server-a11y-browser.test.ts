// Accessibility and the chart's extras in real Chromium: axe-core over every page, light and dark (no
// serious or critical violation); the market or crowd line with its legend, with and without JavaScript;
// "what to watch" on the overview and a scenario page.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TOKEN = 'a11y-unsubscribe-token-0123456789abcdef';
/** Market points of "deal": two polled inside the chart's span, one recorded in the pack. */
const POLLED = [
  ['2026-11-10T12:00:00.000Z', 0.14],
  ['2026-11-20T12:00:00.000Z', 0.21],
] as const;
const market = [
  {
    date: '2026-11-15',
    probability: 0.18,
    scenario: 'deal',
    source: 'Polymarket, as reported',
    url: 'https://example.org/report',
  },
];

let t: TestDb;
let empty: TestDb;
let server: Awaited<ReturnType<typeof serveApp>>;
let emptyServer: Awaited<ReturnType<typeof serveApp>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let noJs: Awaited<ReturnType<typeof launchBrowser>>;
let alertId: number;
let day: string;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => {
    seedRealistic(db, t.pack.pack, { now, days: 60, perDay: 15 });
    const insert = db.prepare(
      `INSERT INTO market_points (pack_id, scenario_id, source, at, probability, url, created_at)
       VALUES (?, 'deal', 'polymarket:peace-deal', ?, ?, 'https://polymarket.com/market/peace-deal', ?)`,
    );
    for (const [at, p] of POLLED) insert.run(t.pack.pack.id, at, p, now.toISOString());
    db.prepare(
      `INSERT INTO subscribers (email, token, rules, digest, is_admin, created_at) VALUES (?, ?, NULL, NULL, 0, ?)`,
    ).run('reader@example.org', TOKEN, now.toISOString());
  });
  alertId = (await t.get<{ id: number }>('SELECT id FROM alerts ORDER BY id DESC LIMIT 1'))!.id;
  day = (await t.get<{ at: string }>('SELECT at FROM snapshots ORDER BY at DESC LIMIT 1'))!.at.slice(0, 10);
  const pack = { ...t.pack, pack: { ...t.pack.pack, market } };
  server = await serveApp(createApp(testDeps(t, { now: () => now, pack })));
  empty = await openTestDb();
  emptyServer = await serveApp(createApp(testDeps(empty, { now: () => now })));
  browser = await launchBrowser({ colorScheme: 'light' });
  noJs = await launchBrowser({ javaScriptEnabled: false });
}, 600_000);
afterAll(async () => {
  await noJs?.close();
  await browser?.close();
  await emptyServer?.close();
  await server?.close();
  await empty?.close();
  await t?.close();
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page (evaluated over the DevTools protocol, so the page's CSP does not block it). */
async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: unknown[] }> } }).axe.run(
      document,
      { resultTypes: ['violations'] },
    ),
  );
  return result.violations as AxeViolation[];
}

const pages = () => [
  `${server.url}/`,
  `${server.url}/scenarios/deal`,
  `${server.url}/scenarios/frozen`,
  `${server.url}/scenarios/collapse`,
  `${server.url}/days/${day}`,
  `${server.url}/indicators`,
  `${server.url}/evidence`,
  `${server.url}/feeds`,
  `${server.url}/alerts`,
  `${server.url}/alerts/${alertId}`,
  `${server.url}/about/feed-extension`,
  `${server.url}/unsubscribe/${TOKEN}`,
  `${emptyServer.url}/`,
  `${emptyServer.url}/feeds`,
];

describe('axe-core in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`finds no serious or critical violation on any page (${scheme})`, async () => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const found: string[] = [];
      let checked = 0;
      for (const url of pages()) {
        const res = await page.goto(url);
        expect(res?.status(), url).toBe(200);
        const violations = await axe(page);
        checked += 1;
        for (const v of violations)
          if (v.impact === 'serious' || v.impact === 'critical')
            found.push(
              `${url} [${v.impact}] ${v.id}: ${v.help}\n  ${v.nodes
                .slice(0, 3)
                .map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
                .join('\n  ')}`,
            );
      }
      // At phone width the narrow drawing of the chart is the one shown: check the pages that have one.
      await page.setViewportSize({ width: 390, height: 844 });
      for (const url of [`${server.url}/`, `${server.url}/scenarios/deal`]) {
        await page.goto(url);
        expect(await page.locator('svg.chart-svg.narrow').isVisible()).toBe(true);
        for (const v of await axe(page))
          if (v.impact === 'serious' || v.impact === 'critical') found.push(`${url} at 390 px [${v.impact}] ${v.id}`);
        checked += 1;
      }
      await page.close();
      expect(checked).toBe(pages().length + 2);
      expect(found, found.join('\n')).toEqual([]);
    }, 240_000);
  }

  it('does report a violation it should (the check can fail)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    // An image without a text alternative and an unlabelled input: both are serious or critical in axe.
    await page.evaluate(() => {
      document
        .querySelector('main')!
        .insertAdjacentHTML('beforeend', '<img src="/static/icon.png"><input type="text">');
    });
    const ids = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label']));
    await page.close();
  });
});

describe('the market or crowd line', () => {
  for (const [name, ctx] of [
    ['with JavaScript', () => browser],
    ['without JavaScript', () => noJs],
  ] as const) {
    it(`is drawn beside "deal" with its legend (${name})`, async () => {
      const page = await ctx().context.newPage();
      for (const path of ['/', '/scenarios/deal']) {
        await page.goto(`${server.url}${path}`);
        const wide = page.locator('svg.chart-svg.wide');
        // Two sources: the polled points (one line) and the pack's recorded point.
        expect(await wide.locator('g.market[data-scenario="deal"]').count()).toBe(2);
        expect(await wide.locator('g.market[data-source="polymarket:peace-deal"] rect.market-point').count()).toBe(2);
        expect(await wide.locator('g.market[data-source="polymarket:peace-deal"] polyline').count()).toBe(1);
        expect(await wide.locator('g.market[data-source="Polymarket, as reported"] rect.market-point').count()).toBe(1);
        expect(await page.locator('g.market:not([data-scenario="deal"])').count()).toBe(0);
        // The 21% point sits where the 21% of the axis is.
        const svg = await wide.evaluate((el) => ({ y0: Number(el.dataset.y0), y1: Number(el.dataset.y1) }));
        const last = await wide
          .locator('g.market[data-source="polymarket:peace-deal"] rect.market-point')
          .last()
          .evaluate((r) => Number(r.getAttribute('y')) + Number(r.getAttribute('height')) / 2);
        expect(last).toBeCloseTo(svg.y1 - 0.21 * (svg.y1 - svg.y0), 0);
        const legend = page.locator('.legend-market');
        expect(await legend.count()).toBe(2);
        expect(await legend.first().textContent()).toContain('market or crowd');
        expect((await legend.allTextContents()).join(' ')).toContain('latest 21.0%');
        expect(await legend.first().isVisible()).toBe(true);
      }
      await page.close();
    });
  }

  it('is absent where the pack has no market points', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/scenarios/collapse`);
    expect(await page.locator('g.market').count()).toBe(0);
    expect(await page.locator('.legend-market').count()).toBe(0);
    await page.close();
  });
});

describe('what to watch in Chromium', () => {
  it('the overview and a scenario page list the probes, largest first, matching the API', async () => {
    const page = await browser.context.newPage();
    const api = (await (await fetch(`${server.url}/api/v1/watch?scenario=frozen`)).json()) as {
      rows: { indicatorId: string; polarity: string; change: Record<string, number> }[];
    };
    await page.goto(`${server.url}/scenarios/frozen`);
    const items = page.locator('ol.watch-list li');
    expect(await items.count()).toBe(api.rows.length);
    const changes = await items.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.change)));
    expect(changes).toEqual(api.rows.map((r) => r.change['frozen']));
    expect(await items.first().isVisible()).toBe(true);
    await page.goto(`${server.url}/`);
    expect(await page.locator('table.watch-table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#watch-h').textContent()).toBe('What to watch');
    await page.close();
  });
});
