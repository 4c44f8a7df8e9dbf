// A short run of the offline demo, end to end through the real pipeline (feeds over HTTP, SMTP sink).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRun, DEMO_SUBSCRIBER, runDemo } from '../src/demo/run-demo.ts';
import { summariseHistory } from '../src/demo/summary.ts';
import { silentLogger } from '../src/logger.ts';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
let run: DemoRun;

beforeAll(async () => {
  run = await runDemo({
    root,
    dbFile: path.join(tempDir(), 'demo.db'),
    from: '2025-11-01',
    until: '2025-12-05',
    baseUrl: 'http://localhost:8080',
    log: silentLogger,
  });
}, 120_000);
afterAll(async () => {
  await run.close();
  await run.handle.close();
});

const snapshots = () => run.handle.db.selectFrom('snapshots').select(['at', 'probabilities']).orderBy('at').execute();

describe('npm run demo (short run)', () => {
  it('ingests the corpus over HTTP, Cyrillic included, with syndicated copies clustered', async () => {
    expect(run.days).toBe(35);
    const titles = (await run.handle.db.selectFrom('articles').select('title').execute()).map((r) => r.title);
    expect(titles.some((t) => /[а-яё]/i.test(t) && !t.includes('\uFFFD'))).toBe(true);
    const shared = await run.handle.db
      .selectFrom('story_clusters')
      .select('id')
      .where('source_count', '>=', 2)
      .execute();
    expect(shared.length).toBeGreaterThan(0);
  });

  it('writes a snapshot for every simulated day', async () => {
    const days = new Set((await snapshots()).map((s) => s.at.slice(0, 10)));
    for (let t = Date.parse('2025-11-01'); t <= Date.parse('2025-12-05'); t += 86_400_000) {
      expect(days.has(new Date(t).toISOString().slice(0, 10))).toBe(true);
    }
  });

  it('spends the deal scenario once its 2025-11-27 deadline has passed', async () => {
    const after = (await snapshots()).filter((s) => s.at >= '2025-11-28');
    expect(after.length).toBeGreaterThan(0);
    for (const s of after) expect(JSON.parse(s.probabilities).deal).toBe(0);
    const before = (await snapshots()).find((s) => s.at.startsWith('2025-11-20'))!;
    expect(JSON.parse(before.probabilities).deal).toBeGreaterThan(0);
  });

  it('delivers alerts to the local SMTP sink, each recorded as sent', async () => {
    expect(run.sink.messages.length).toBeGreaterThan(0);
    expect(run.sink.messages.every((m) => m.to.includes(DEMO_SUBSCRIBER))).toBe(true);
    const sent = await run.handle.db.selectFrom('outbox').select('message_id').where('status', '=', 'sent').execute();
    expect(new Set(run.sink.messages.map((m) => m.messageId))).toEqual(new Set(sent.map((r) => r.message_id)));
  });

  it('explains the largest move with real stories from the corpus', async () => {
    const summary = await summariseHistory(run.handle.db, run.pack.pack);
    const largest = [...summary.moves].sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from))[0]!;
    expect(largest.stories.length).toBeGreaterThan(0);
    const dir = path.join(root, 'demo/corpus');
    const corpus = readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => iconv.decode(readFileSync(path.join(dir, f)), f.startsWith('volga') ? 'windows-1251' : 'utf8'))
      .join('\n');
    const unescape = (s: string) =>
      s
        .replace(/&quot;/g, '"')
        .replace(/&#39;|&apos;/g, "'")
        .replace(/&amp;/g, '&');
    for (const title of largest.stories) expect(unescape(corpus)).toContain(title);
    expect(summary.paragraph).toContain(largest.stories[0]!);
  });
});

describe('npm run demo is deterministic', () => {
  it('a second run over the same days stores the same stories in the same clusters and prints the same figures', async () => {
    const daily = (r: DemoRun) =>
      r.handle.db.selectFrom('snapshots').select(['at', 'probabilities']).orderBy('at').orderBy('id').execute();
    // Each cluster as the titles in it, in id order: the same only when items were stored in the same order.
    const clusters = async (r: DemoRun) =>
      (
        await r.handle.db
          .selectFrom('articles')
          .select(['cluster_id', 'title'])
          .orderBy('cluster_id')
          .orderBy('id')
          .execute()
      ).map((a) => `${a.cluster_id} ${a.title}`);
    const again = await runDemo({
      root,
      dbFile: path.join(tempDir(), 'demo-again.db'),
      from: '2025-11-01',
      until: '2025-12-05',
      baseUrl: 'http://localhost:8080',
      log: silentLogger,
    });
    try {
      expect(await clusters(again)).toEqual(await clusters(run));
      expect(await daily(again)).toEqual(await daily(run));
      const printed = async (r: DemoRun) => (await summariseHistory(r.handle.db, r.pack.pack)).paragraph;
      expect(await printed(again)).toBe(await printed(run));
    } finally {
      await again.close();
      await again.handle.close();
    }
  }, 120_000);
});
