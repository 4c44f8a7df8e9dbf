// The probability chart in real Chromium at 1280 and 390 px: readable text and markers, labelled moves
// with their headline on hover, focus and tap, a click opens what changed that day, one colour per
// scenario everywhere, no overlapping ticks, the one-snapshot and empty states, the hover crosshair.
/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let one: TestDb;
let server: Awaited<ReturnType<typeof serveApp>>;
let oneServer: Awaited<ReturnType<typeof serveApp>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let phone: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 120, perDay: 30 }));
  server = await serveApp(createApp(testDeps(t, { now: () => now })));
  one = await openTestDb();
  await one.seed((db) =>
    db
      .prepare('INSERT INTO snapshots (pack_id, at, probabilities, reason, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(
        'ukraine-peace',
        '2026-11-21T12:00:00.000Z',
        JSON.stringify({ deal: 0.2, frozen: 0.3, collapse: 0.5 }),
        't',
        '2026-11-21T12:00:00.000Z',
      ),
  );
  oneServer = await serveApp(createApp(testDeps(one, { now: () => now })));
  browser = await launchBrowser();
  phone = await launchBrowser({ touch: true });
}, 600_000);
afterAll(async () => {
  await phone?.close();
  await browser?.close();
  await oneServer?.close();
  await server?.close();
  await one?.close();
  await t?.close();
});

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** Rendered size in CSS pixels of the visible chart's axis text and move markers, and tick overlaps. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const svg = [...document.querySelectorAll<SVGSVGElement>('svg.chart-svg')].find(
      (s) => getComputedStyle(s).display !== 'none',
    )!;
    const scale = svg.getScreenCTM()!.a;
    const fonts = [...svg.querySelectorAll('.grid text, .tick text, .move-label')].map(
      (el) => Number(el.getAttribute('font-size')) * scale,
    );
    const marks = [...svg.querySelectorAll('.move .mark')].map((c) => c.getBoundingClientRect().width);
    const hits = [...svg.querySelectorAll('.move .hit')].map((c) => c.getBoundingClientRect().width);
    const ticks = [...svg.querySelectorAll('.tick text')].map((el) => el.getBoundingClientRect());
    const overlaps = ticks.some((a, i) => ticks.some((b, j) => j > i && a.right > b.left && b.right > a.left));
    return {
      kind: svg.classList.contains('wide') ? 'wide' : 'narrow',
      fonts,
      marks,
      hits,
      ticks: ticks.length,
      overlaps,
    };
  });
}

describe('probability chart in Chromium', () => {
  it.each([
    [1280, 'wide', 11, 12],
    [390, 'narrow', 11, 19],
  ] as const)(
    'at %i px: the %s drawing, text ≥ 11 px, markers readable, ticks apart',
    async (width, kind, font, mark) => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      const problems = watch(page);
      await page.goto(`${server.url}/`);
      const m = await measure(page);
      expect(m.kind).toBe(kind);
      expect(Math.min(...m.fonts)).toBeGreaterThanOrEqual(font);
      expect(m.marks.length).toBeGreaterThanOrEqual(3);
      expect(Math.min(...m.marks)).toBeGreaterThanOrEqual(mark);
      if (width === 390) expect(Math.min(...m.hits)).toBeGreaterThanOrEqual(40); // a thumb-sized target
      expect(m.ticks).toBeGreaterThanOrEqual(3);
      expect(m.overlaps).toBe(false);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      // Dated axis: "26 Jul"-style labels.
      const ticks = await page.locator(`svg.chart-svg.${kind} .tick text`).allTextContents();
      for (const tick of ticks) expect(tick).toMatch(/^\d{1,2} [A-Z][a-z]{2}( \d{4})?$/);
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('labels the largest moves; hover and keyboard focus show the story headline; a click opens the day', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const problems = watch(page);
    await page.goto(`${server.url}/`);
    const labels = await page.locator('svg.chart-svg.wide .move-label').allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(3);
    for (const l of labels) expect(l).toMatch(/^[+−±]\d+\.\d$/);
    const move = page.locator('svg.chart-svg.wide a.move.m0');
    const day = (await move.getAttribute('data-day'))!;
    const api = (await (await fetch(`${server.url}/api/v1/days/${day}`)).json()) as {
      stories: { title: string | null }[];
    };
    const tip = page.locator('svg.chart-svg.wide .tips .t0');
    expect(await tip.evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
    await move.hover();
    expect(await tip.evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    const tipText = (await tip.textContent())!;
    expect(api.stories.some((s) => s.title && tipText.includes(s.title.slice(0, 30)))).toBe(true);
    // Keyboard: tab onto the first move marker, its headline shows.
    await page.mouse.move(5, 5);
    await move.focus();
    expect(await tip.evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    await move.click();
    await page.waitForURL(new RegExp(`/days/${day}$`));
    expect(await page.locator('.day-stories > li').count()).toBeGreaterThan(0);
    expect(await page.locator('.push li').first().textContent()).toMatch(/pts$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('on a touch phone the first tap shows the headline and the second opens the day', async () => {
    const page = await phone.context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/`);
    const move = page.locator('svg.chart-svg.narrow a.move.m0');
    await move.scrollIntoViewIfNeeded();
    const box = (await move.locator('.mark').boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.touchscreen.tap(cx, cy);
    const tip = page.locator('svg.chart-svg.narrow .tips .t0');
    expect(await tip.evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    expect(page.url()).toBe(`${server.url}/`);
    const day = (await move.getAttribute('data-day'))!;
    await page.touchscreen.tap(cx, cy);
    await page.waitForURL(new RegExp(`/days/${day}$`));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('one colour per scenario on the overview, the scenario page and the bars', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    const colours = async (sel: string) =>
      page.locator(sel).evaluateAll((els) => els.map((e) => getComputedStyle(e).stroke || getComputedStyle(e).fill));
    const lines = await page
      .locator('svg.chart-svg.wide polyline.line')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-scenario'), getComputedStyle(e).stroke]));
    const bars = await page
      .locator('.card')
      .evaluateAll((cards) =>
        cards.map((c) => [c.getAttribute('data-scenario'), getComputedStyle(c.querySelectorAll('.bar rect')[1]!).fill]),
      );
    expect(new Set(lines.map(([, c]) => c)).size).toBe(3);
    expect(Object.fromEntries(bars)).toEqual(Object.fromEntries(lines));
    for (const [id, colour] of lines) {
      await page.goto(`${server.url}/scenarios/${id}`);
      expect(await colours('svg.chart-svg.wide polyline.line')).toEqual([colour]);
      await page.goto(`${server.url}/`);
    }
    await page.close();
  });

  it('a click anywhere on the plot opens what changed on that day', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/`);
    const svg = page.locator('svg.chart-svg.wide');
    const box = (await svg.boundingBox())!;
    const [x, y] = [box.x + box.width * 0.3, box.y + box.height * 0.1];
    const expected = await svg.evaluate(
      (el, [cx, cy]) => {
        const m = (el as SVGSVGElement).getScreenCTM()!.inverse();
        const p = new DOMPoint(cx, cy).matrixTransform(m);
        const n = (a: string) => Number(el.getAttribute(a));
        const t = n('data-t0') + ((p.x - n('data-x0')) / (n('data-x1') - n('data-x0'))) * (n('data-t1') - n('data-t0'));
        return new Date(t).toISOString().slice(0, 10);
      },
      [x, y],
    );
    await page.mouse.click(x, y);
    await page.waitForURL(new RegExp(`/days/${expected}$`));
    await page.close();
  });

  it('the hover crosshair reads the values under the pointer', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/`);
    const box = (await page.locator('svg.chart-svg.wide').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    const text = await page.locator('.readout').textContent();
    expect(text).toMatch(
      /^\d{1,2} [A-Z][a-z]{2} \d{4}: Deal by Thanksgiving \d+\.\d% · Frozen ceasefire \d+\.\d% · Collapse \d+\.\d%$/,
    );
    expect(await page.locator('svg.chart-svg.wide .crosshair').getAttribute('visibility')).toBe('visible');
    await page.close();
  });

  it.each([1280, 390])('one snapshot reads as such at %i px: one tick, no line, a note', async (width) => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${oneServer.url}/`);
    const m = await measure(page);
    expect(m.ticks).toBe(1);
    expect(m.overlaps).toBe(false);
    expect(await page.locator('figure.chart figcaption .empty').textContent()).toContain('One snapshot so far');
    expect(await page.locator(`svg.chart-svg.${m.kind} circle.point`).count()).toBe(3);
    await page.close();
  });

  it('no snapshot at all: the chart says so', async () => {
    const empty = await openTestDb();
    const s = await serveApp(createApp(testDeps(empty, { now: () => now })));
    try {
      const page = await browser.context.newPage();
      await page.goto(`${s.url}/`);
      expect(await page.locator('.chart-empty').textContent()).toContain('No snapshots yet');
      await page.close();
    } finally {
      await s.close();
      await empty.close();
    }
  });

  it('works without JavaScript: the move markers are links to the day', async () => {
    const off = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await off.context.newPage();
      await page.goto(`${server.url}/`);
      await page.locator('svg.chart-svg.wide a.move.m0').click();
      await page.waitForURL(/\/days\/\d{4}-\d{2}-\d{2}$/);
      expect(await page.locator('.day-stories > li').count()).toBeGreaterThan(0);
      await page.close();
    } finally {
      await off.close();
    }
  });
});
