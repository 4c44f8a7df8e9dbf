// Real-browser tests (Debian Chromium via playwright-core): overview, navigation, live updates, screenshot.
/// <reference lib="dom" />
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 120, perDay: 30 }));
  server = await serveApp(createApp(testDeps(t, { now: () => now, streamIntervalMs: 200 })));
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

describe('dashboard in Chromium', () => {
  it('overview shows the probabilities and the chart; a scenario explanation is one click away', async () => {
    const page = await browser.context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/`);
    const latest = JSON.parse(
      (await t.get<{ probabilities: string }>('SELECT probabilities FROM snapshots ORDER BY at DESC LIMIT 1'))!
        .probabilities,
    ) as Record<string, number>;
    for (const [id, p] of Object.entries(latest)) {
      await expect
        .poll(() => page.locator(`[data-scenario="${id}"] .prob`).textContent())
        .toBe(`${(p * 100).toFixed(1)}%`);
    }
    expect(await page.locator('svg.chart-svg.wide polyline.line').count()).toBe(3);
    const box = await page.locator('svg.chart-svg.wide').boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    expect(await page.locator('svg.chart-svg.wide a.move').count()).toBeGreaterThan(0);
    const shot = path.join(t.dir, 'overview.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    const committed = path.resolve(import.meta.dirname, '../docs/screenshot-overview.png');
    if (process.env.UPDATE_SCREENSHOT === '1' || !existsSync(committed)) copyFileSync(shot, committed);

    await page.click('[data-scenario="collapse"] h3 a');
    await page.waitForURL(/\/scenarios\/collapse$/);
    expect(await page.locator('h1').textContent()).toBe('Collapse');
    expect(await page.locator('caption', { hasText: 'Stories for' }).count()).toBe(1);
    expect(await page.locator('td.num', { hasText: '%' }).count()).toBeGreaterThan(0);
    await page.goBack();
    await page.locator('svg.chart-svg.wide a.move').first().click();
    await page.waitForURL(/\/days\/\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('h1', { hasText: 'What changed on' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works with the keyboard and on a phone-sized screen', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    const problems = watch(page);
    await page.goto(`${server.url}/evidence`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.selectOption('#indicator', 'strike_volume');
    await page.click('button[type=submit]');
    await page.waitForURL(/indicator=strike_volume/);
    expect(await page.locator('.story').count()).toBeGreaterThan(0);
    expect(await page.locator('.story .tag').allTextContents()).toContain('Missile and drone strike volume · affirmed');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works with JavaScript off: pages render and the filter form submits', async () => {
    const off = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await off.context.newPage();
      const problems = watch(page);
      await page.goto(`${server.url}/scenarios/collapse`);
      expect(await page.locator('table caption', { hasText: 'Stories against' }).count()).toBe(1);
      await page.goto(`${server.url}/evidence`);
      await page.selectOption('#indicator', 'envoy_talks');
      await page.click('button[type=submit]');
      await page.waitForURL(/indicator=envoy_talks/);
      expect(await page.locator('.story').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await off.close();
    }
  });

  it('a new snapshot appears without a reload (server-sent events)', async () => {
    const page = await browser.context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator('#live-status').textContent()).toBe('Live');
    const at = '2026-11-21T17:30:00.000Z';
    await t.seed((db) =>
      db
        .prepare('INSERT INTO snapshots (pack_id, at, probabilities, reason, created_at) VALUES (?, ?, ?, ?, ?)')
        .run('ukraine-peace', at, JSON.stringify({ deal: 0.123, frozen: 0.377, collapse: 0.5 }), 'test', at),
    );
    await expect
      .poll(() => page.locator('[data-scenario="deal"] .prob').textContent(), { timeout: 10_000 })
      .toBe('12.3%');
    expect(problems).toEqual([]);
    await page.close();
  });
});
