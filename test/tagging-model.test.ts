// Integration: `train tags` → `eval tags` → `retag` with the learned model, on a real SQLite file and the CLI.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import type { NewArticle } from '../src/db/schema.ts';
import { evidencePage } from '../src/server/queries/evidence.ts';
import { hashItems, splitByDate } from '../src/tagging/labelled.ts';
import { loadLabelled } from '../src/pipeline/labelled-files.ts';

const FIXTURE = path.resolve('test/fixtures/tagging-model');
/** Each test spawns the CLI two to four times: a few seconds each on a quiet machine, many more on a busy one. */
const SLOW = { timeout: 180_000 };

function cli(args: string[]) {
  // Vitest puts Vite's BASE_URL=/ in the environment; the CLI would read it as its own setting.
  const { BASE_URL: _vite, ...env } = process.env;
  return spawnSync(process.execPath, ['bin/bellwether.js', ...args], {
    encoding: 'utf8',
    env: { ...env, LOG_LEVEL: 'silent' },
  });
}

let dir: string;
let pack: string;
let data: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bw-model-'));
  pack = path.join(dir, 'pack.yaml');
  copyFileSync(path.join(FIXTURE, 'pack.yaml'), pack);
  // A directory of labelled files: train and eval read every .jsonl in it.
  data = path.join(dir, 'labelled');
  mkdirSync(data);
  const lines = readFileSync(path.join(FIXTURE, 'labelled.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(path.join(data, 'a.jsonl'), `${lines.slice(0, 30).join('\n')}\n`);
  writeFileSync(path.join(data, 'b.jsonl'), `${lines.slice(30).join('\n')}\n`);
  model = path.join(dir, 'models', 'pack.model.json');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train tags', SLOW, () => {
  it('refuses to tag with a pack whose model file is missing, naming the field', () => {
    const r = cli(['pack', 'validate', pack]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('model: cannot read the model file');
  });

  it('writes the model the pack names, from the training split only, byte-identical on a second run', () => {
    const r = cli(['train', 'tags', '--pack', pack, data]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^trained on 56 items dated before 2026-03-01 \(12 later items left out\)/);
    expect(r.stdout).toContain(`wrote ${path.relative(process.cwd(), model)}`);
    const first = readFileSync(model);
    const train = splitByDate(loadLabelled([data]).items, '2026-03-01').train;
    const m = JSON.parse(first.toString()) as {
      training: { sha256: string; items: number };
      indicators: string[];
      models: Record<string, { threshold: number | null }>;
    };
    expect(m.training).toMatchObject({ sha256: hashItems(train), items: 56 });
    expect(m.indicators).toEqual(['truce', 'envoy_talks', 'rejection']);
    expect(Object.values(m.models).some((x) => x.threshold !== null)).toBe(true);
    expect(cli(['train', 'tags', '--pack', pack, data]).status).toBe(0);
    expect(readFileSync(model).equals(first)).toBe(true);
  });

  it('rejects labels the pack does not know, and a split with nothing before it', () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      '{"id":"x1","date":"2026-01-05","title":"t","summary":"","language":"en","labels":[{"indicator":"nope","polarity":"affirmed","modality":null}]}\n',
    );
    const r = cli(['train', 'tags', '--pack', pack, bad, '--out', path.join(dir, 'x.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('indicator "nope" is not in the pack (items x1)');
    const early = cli([
      'train',
      'tags',
      '--pack',
      pack,
      data,
      '--split-date',
      '2020-01-01',
      '--out',
      path.join(dir, 'x.json'),
    ]);
    expect(early.status).toBe(2);
    expect(early.stderr).toContain('no labelled item is dated before 2020-01-01');
  });
});

describe('eval tags', SLOW, () => {
  it('reports both splits and the whole set in --json, with the model it used; pack validate accepts the model', () => {
    expect(cli(['pack', 'validate', pack]).status).toBe(0);
    const r = cli(['eval', 'tags', '--pack', pack, '--data', data, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & {
      train: { items: number; inSample: boolean; macroF1: number };
      after: { items: number; indicators: Record<string, unknown>; confusions: unknown[] };
      tagger: { model: { file: string } | null };
    };
    expect(Object.keys(out).slice(0, 3)).toEqual(['macroF1', 'polarityAccuracy', 'indicators']);
    expect(out).toMatchObject({ items: 68, splitDate: '2026-03-01' });
    expect(out.train).toMatchObject({ items: 56, inSample: true });
    expect(out.after.items).toBe(12);
    expect(Object.keys(out.after.indicators).sort()).toEqual(['envoy_talks', 'rejection', 'truce']);
    expect(out.tagger.model?.file).toBe(path.relative(process.cwd(), model));
    const rules = JSON.parse(cli(['eval', 'tags', '--pack', pack, data, '--json', '--rules-only']).stdout) as {
      after: { macroF1: number };
      tagger: { model: unknown };
    };
    expect(rules.tagger.model).toBeNull();
    // The fixture's rules are deliberately narrow: the model is what finds most of it.
    expect((out as unknown as { after: { macroF1: number } }).after.macroF1).toBeGreaterThan(rules.after.macroF1);
  });

  it('prints the splits as text', () => {
    const r = cli(['eval', 'tags', '--pack', pack, data]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('== train split: dated before 2026-03-01 (56 items)');
    expect(r.stdout).toContain('== after split: dated 2026-03-01 or later (12 items) ==');
    expect(r.stdout).toMatch(/macro-F1: \d\.\d{3} \(over 3 indicators with support\)/);
  });
});

describe('retag with the model', SLOW, () => {
  it('applies the model to stored articles: model tags carry their features to the evidence query', async () => {
    const file = path.join(dir, 'db.sqlite');
    const handle = openDatabase({ kind: 'sqlite', file });
    await migrateOrThrow(handle.db);
    const at = new Date(Date.now() - 3600_000).toISOString();
    const article = (i: number, title: string, summary: string, language: string): NewArticle => ({
      guid_hash: `g${i}`,
      content_hash: `c${i}`,
      title,
      summary,
      text: '',
      language,
      published_at: at,
      fetched_at: at,
      updated_at: at,
      simhash: '0000000000000000',
      tagged_with: null,
    });
    await handle.db
      .insertInto('articles')
      .values([
        article(1, 'Стороны обсуждают перемирие на Пасху', 'Перемирие может начаться в полночь.', 'ru'),
        article(2, 'A ceasefire is announced', '', 'en'),
        article(3, 'Local bakery wins a national prize', 'The jury praised its rye bread.', 'en'),
      ])
      .execute();
    await handle.close();
    const r = cli(['retag', '--pack', pack, '--db', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^retagged 3 articles: 2 tags/);
    const again = openDatabase({ kind: 'sqlite', file });
    try {
      const tags = await again.db.selectFrom('tags').selectAll().orderBy('article_id').execute();
      expect(tags.map((t) => [t.article_id, t.indicator_id, t.rule_id])).toEqual([
        [1, 'truce', 'model'],
        [2, 'truce', 'truce.word'],
      ]);
      const features = JSON.parse(tags[0]!.features!) as { feature: string; weight: number }[];
      expect(features.length).toBeGreaterThan(0);
      expect(features.map((f) => f.feature)).toContain('word:перемир');
      expect(tags[1]!.features).toBeNull();
      const page = await evidencePage(again.db, 'model-fixture', { limit: 10 });
      const shown = page.items.find((i) => i.articleId === 1)!.tags[0]!;
      expect(shown).toMatchObject({ indicatorId: 'truce', ruleId: 'model' });
      expect(shown.features).toEqual(features);
    } finally {
      await again.close();
    }
  });
});
