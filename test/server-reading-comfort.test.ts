// Reading comfort in Chromium: a dark theme under prefers-color-scheme, and times in the reader's zone
// with UTC on hover (UTC without JavaScript).
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let server: Awaited<ReturnType<typeof serveApp>>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 30, perDay: 10 }));
  server = await serveApp(createApp(testDeps(t, { now: () => now })));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
});

/** WCAG contrast ratio of two computed rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((v) => {
        const x = Number(v) / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('reading comfort', () => {
  it('dark theme: dark background, readable text, the chart redrawn in light-on-dark colours', async () => {
    const light = await launchBrowser();
    const dark = await launchBrowser({ colorScheme: 'dark' });
    try {
      const read = async (b: typeof light) => {
        const page = await b.context.newPage();
        await page.goto(`${server.url}/`);
        const r = await page.evaluate(() => {
          const css = (el: Element) => getComputedStyle(el);
          const line = document.querySelector('svg.chart-svg.wide polyline.line')!;
          return {
            bg: css(document.documentElement).backgroundColor,
            fg: css(document.querySelector('h1')!).color,
            muted: css(document.querySelector('.updated')!).color,
            link: css(document.querySelector('.card h3 a')!).color,
            line: css(line).stroke,
          };
        });
        await page.close();
        return r;
      };
      const [l, d] = [await read(light), await read(dark)];
      expect(d.bg).not.toBe(l.bg);
      expect(contrast(d.bg, 'rgb(0, 0, 0)')).toBeLessThan(2); // dark
      for (const c of [d.fg, d.muted, d.link]) expect(contrast(c, d.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(d.line, d.bg)).toBeGreaterThanOrEqual(3);
      expect(d.line).not.toBe(l.line);
    } finally {
      await dark.close();
      await light.close();
    }
  });

  it("times show in the reader's zone with UTC on hover; without JavaScript they stay UTC", async () => {
    const tokyo = await launchBrowser({ timezoneId: 'Asia/Tokyo' });
    const off = await launchBrowser({ javaScriptEnabled: false, timezoneId: 'Asia/Tokyo' });
    try {
      const page = await tokyo.context.newPage();
      await page.goto(`${server.url}/evidence`);
      const first = page.locator('.story time').first();
      const iso = (await first.getAttribute('datetime'))!;
      const utc = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
      expect(await first.getAttribute('title')).toBe(utc);
      const tokyoTime = new Date(Date.parse(iso) + 9 * 3_600_000);
      const hhmm = `${String(tokyoTime.getUTCHours()).padStart(2, '0')}:${String(tokyoTime.getUTCMinutes()).padStart(2, '0')}`;
      expect(await first.textContent()).toContain(hhmm);
      expect(await first.textContent()).not.toContain('UTC');
      const plain = await off.context.newPage();
      await plain.goto(`${server.url}/evidence`);
      expect(await plain.locator('.story time').first().textContent()).toBe(utc);
    } finally {
      await off.close();
      await tokyo.close();
    }
  });
});
