// Issue 16's "done when": on the demo, the 16 December story ("Kremlin rejects Christmas truce") is one
// row on the scenario page, with its five tags inside and the exact leave-one-story-out probability.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRun, runDemo } from '../src/demo/run-demo.ts';
import { silentLogger } from '../src/logger.ts';
import { loadConfig } from '../src/config/index.ts';
import { leaveOneOut } from '../src/scenarios/explain.ts';
import { createApp } from '../src/server/app.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { launchBrowser, serveApp } from './helpers/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
let run: DemoRun;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  run = await runDemo({
    root,
    dbFile: path.join(dir, 'demo.db'),
    from: '2025-11-01',
    until: '2025-12-16',
    baseUrl: 'http://localhost:8080',
    log: silentLogger,
  });
}, 180_000);
afterAll(async () => {
  await run?.close();
  await run?.handle.close();
});

describe('the demo on 16 December 2025', () => {
  it('shows "Kremlin rejects Christmas truce" as one row with the exact leave-one-story-out figure', async () => {
    const db = run.handle.db;
    const snap = await db
      .selectFrom('snapshots')
      .select(['id', 'probabilities'])
      .where('at', '<=', '2025-12-16T23:59:59.999Z')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom('evidence_contributions as e')
      .innerJoin('articles as a', 'a.id', 'e.article_id')
      .select(['e.cluster_id', 'e.article_id', 'e.log_odds', 'a.title'])
      .where('e.snapshot_id', '=', snap.id)
      .execute();
    const story = rows.find((r) => r.title.startsWith('Kremlin rejects Christmas truce'))!;
    const key = story.cluster_id !== null ? `c${story.cluster_id}` : `a${story.article_id}`;
    const mine = rows.filter((r) =>
      story.cluster_id !== null ? r.cluster_id === story.cluster_id : r.article_id === story.article_id,
    );
    expect(mine.length).toBeGreaterThanOrEqual(5); // five tags: five rows before
    const sum: Record<string, number> = {};
    for (const r of mine)
      for (const [s, v] of Object.entries(JSON.parse(r.log_odds) as Record<string, number>)) sum[s] = (sum[s] ?? 0) + v;
    const expected = leaveOneOut(JSON.parse(snap.probabilities) as Record<string, number>, sum)['frozen']!;

    const config = loadConfig({ DATABASE_URL: path.join(dir, 'demo.db'), LOG_LEVEL: 'silent' }, root);
    const app = createApp({
      db,
      dbKind: 'sqlite',
      config,
      pack: run.pack,
      log: silentLogger,
      version: 'test',
      now: () => new Date('2025-12-17T00:00:00Z'),
    });
    const html = await (await app.request(`/scenarios/frozen?snapshot=${snap.id}`)).text();
    const shown = [...html.matchAll(new RegExp(`<tr data-story="${key}">.*?data-without="([\\d.e-]+)"`, 'gs'))];
    expect(shown).toHaveLength(1);
    expect(Number(shown[0]![1])).toBeCloseTo(expected, 12);
    expect(html).toContain(`${(expected * 100).toFixed(1)}%`);

    // The same in Chromium: one row for the story, its tags inside, the exact figure shown.
    const server = await serveApp(app);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/scenarios/frozen?snapshot=${snap.id}`);
      const row = page.locator(`table.stories tr[data-story="${key}"]`);
      expect(await row.count()).toBe(1);
      expect(await row.isVisible()).toBe(true);
      expect(await row.locator('td').first().textContent()).toContain('Kremlin rejects Christmas truce');
      expect(await row.locator('ul.story-tags li').count()).toBe(mine.length);
      const cell = row.locator('td[data-without]');
      expect(Number(await cell.getAttribute('data-without'))).toBeCloseTo(expected, 12);
      expect((await cell.textContent())!.trim()).toBe(`${(expected * 100).toFixed(1)}%`);
      // No other row anywhere on the page repeats the story's headline (five rows before the fix).
      expect(await page.locator('table.stories tbody tr', { hasText: 'Kremlin rejects Christmas truce' }).count()).toBe(
        1,
      );
    } finally {
      await browser.close();
      await server.close();
    }
  }, 120_000);
});
