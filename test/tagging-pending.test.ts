// Integration: tagPending and `bellwether retag` / `eval tags` on a real SQLite file, with the fixture pack.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/connect.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import type { NewArticle } from '../src/db/schema.ts';
import { type LoadedPack, loadPack, parsePack } from '../src/pack/load.ts';
import { markAllStale, tagPending } from '../src/tagging/index.ts';

const FIXTURE = path.resolve('test/fixtures/tagging-matcher/pack.yaml');
const NOW = new Date('2025-11-25T12:00:00Z');

let dir: string;
let database: TestDatabase;
let handle: DatabaseHandle;
let pack: LoadedPack;

function article(i: number, title: string, extra: Partial<NewArticle> = {}): NewArticle {
  const t = '2025-11-25T10:00:00.000Z';
  return {
    guid_hash: `g${i}`,
    content_hash: `c${i}`,
    title,
    summary: '',
    text: '',
    language: 'en',
    published_at: t,
    fetched_at: t,
    updated_at: t,
    simhash: '0000000000000000',
    tagged_with: null,
    ...extra,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bw-tagging-'));
  database = await createTestDatabase(dir, 'db.sqlite');
  handle = openDatabase(database.target);
  await migrateOrThrow(handle.db);
  pack = loadPack(FIXTURE);
});

afterEach(async () => {
  await handle.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tagPending', () => {
  it('tags stale articles once, with explainable rows, and skips them next time', async () => {
    const feed = await handle.db
      .insertInto('feeds')
      .values({
        url: 'https://example.org/ru.xml',
        tier: 2,
        language: 'ru',
        poll_interval_minutes: 15,
        full_text: 0,
        origin: 'pack',
        status: 'active',
        consecutive_failures: 0,
        next_check_at: NOW.toISOString(),
        created_at: NOW.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto('articles')
      .values([
        article(1, 'Trump says he will meet Putin next week'),
        article(2, 'Weather in Kyiv'),
        article(3, 'Ночная атака', {
          text: 'Россия выпустила 653 беспилотника и 51 ракету.',
          language: null,
          feed_id: feed.id,
        }),
      ])
      .execute();
    const progress: [number, number][] = [];
    const first = await tagPending(handle.db, pack, NOW, (d, t) => progress.push([d, t]), { batchSize: 2 });
    expect(first).toEqual({ articles: 3, tags: 2 });
    expect(progress).toEqual([
      [2, 3],
      [3, 3],
    ]);
    const tags = await handle.db.selectFrom('tags').selectAll().orderBy('article_id').execute();
    expect(tags.map((t) => [t.article_id, t.indicator_id, t.polarity, t.modality, t.field, t.rule_id])).toEqual([
      [1, 'principal_meeting', 'affirmed', 'scheduled', 'title', 'pm.en'],
      [3, 'strike_volume', 'affirmed', null, 'text', 'numbers'],
    ]);
    expect(JSON.parse(tags[1]!.numbers!)).toEqual([
      { value: 653, unit: 'drones' },
      { value: 51, unit: 'missiles' },
    ]);
    expect(tags[0]).toMatchObject({
      pack_id: 'tagging-fixture',
      snippet: 'Trump says he will meet Putin next week',
      created_at: NOW.toISOString(),
      confidence: 1,
    });
    const marked = await handle.db.selectFrom('articles').select('tagged_with').execute();
    expect(marked.every((a) => a.tagged_with === pack.rulesHash)).toBe(true);
    expect(await tagPending(handle.db, pack, NOW)).toEqual({ articles: 0, tags: 0 });
  });

  it('replaces an article’s tags when the rules change, and retag re-reads everything', async () => {
    await handle.db
      .insertInto('articles')
      .values([article(1, 'Trump will meet Putin'), article(2, 'A ceasefire is announced')])
      .execute();
    await tagPending(handle.db, pack, NOW);
    expect(await handle.db.selectFrom('tags').select('indicator_id').orderBy('indicator_id').execute()).toEqual([
      { indicator_id: 'ceasefire_signal' },
      { indicator_id: 'principal_meeting' },
    ]);
    const text = readFileSync(FIXTURE, 'utf8').replace(
      'any: [ceasefire, cease-fire, truce,',
      'any: [cease-fire, truce,',
    );
    const changed = parsePack(text, FIXTURE);
    expect(changed.rulesHash).not.toBe(pack.rulesHash);
    expect(await tagPending(handle.db, changed, NOW)).toEqual({ articles: 2, tags: 1 });
    expect(await handle.db.selectFrom('tags').select('indicator_id').execute()).toEqual([
      { indicator_id: 'principal_meeting' },
    ]);
    expect(await markAllStale(handle.db)).toBe(2);
    expect(await tagPending(handle.db, changed, NOW)).toEqual({ articles: 2, tags: 1 });
    expect(
      await handle.db
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 1 });
  });
});

function cli(args: string[]) {
  // Vitest puts Vite's BASE_URL=/ in the environment; the CLI would read it as its own setting.
  const { BASE_URL: _vite, ...env } = process.env;
  return spawnSync(process.execPath, ['bin/bellwether.js', ...args], {
    encoding: 'utf8',
    env: { ...env, LOG_LEVEL: 'silent' },
  });
}

describe('CLI', () => {
  it('retag re-tags every stored article and reports counts', async () => {
    await handle.db
      .insertInto('articles')
      .values([article(1, 'Trump will meet Putin'), article(2, 'Nothing here')])
      .execute();
    await handle.close();
    const r = cli(['retag', '--pack', FIXTURE, '--db', database.url]);
    expect(r.stderr).toContain('2/2');
    expect(r.stdout).toMatch(/^retagged 2 articles: 1 tags \(pack tagging-fixture, rules [0-9a-f]{16}\)/);
    expect(r.status).toBe(0);
    handle = openDatabase(database.target);
  });

  it('eval tags --json prints the documented object: the whole set first, then the splits', () => {
    const r = cli(['eval', 'tags', '--pack', FIXTURE, 'test/fixtures/tagging-matcher/labelled.jsonl', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([
      'macroF1',
      'polarityAccuracy',
      'indicators',
      'items',
      'polarityPairs',
      'unsupported',
      'confusions',
      'splitDate',
      'tagger',
      'train',
      'after',
    ]);
    expect(out.polarityAccuracy).toBe(1);
    expect((out.indicators as Record<string, unknown>).envoy_talks).toEqual({
      precision: 1,
      recall: 0.5,
      f1: 0.6667,
      support: 2,
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
    });
    expect(out.confusions).toContainEqual({ labelled: 'envoy_talks', tagged: null, count: 1 });
    // Every item of this set is dated before the split.
    expect(out.after).toBeNull();
    expect((out.train as { items: number }).items).toBe(out.items);
  });

  it('eval tags reports a broken labelled file with its line number', () => {
    const bad = path.join(dir, 'bad.jsonl');
    spawnSync('sh', ['-c', `printf '{"id":"a","title":"t","indicators":[]}\\n{oops\\n' > ${bad}`]);
    const r = cli(['eval', 'tags', '--pack', FIXTURE, bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: line 2: not JSON`);
  });
});
