// `bellwether replay` as a forecaster runs it: a folder of feeds or a labelled JSONL file, through the real tagger.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.ts';
import { readCorpus } from '../src/pipeline/corpus.ts';
import { openDatabase } from '../src/db/connect.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase } from './helpers/test-database.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('readCorpus', () => {
  it('reads a folder of feeds with the ingestion decoder (windows-1251 included)', async () => {
    const items = await readCorpus(path.join(root, 'demo/corpus'));
    expect(items).toHaveLength(182);
    expect(
      items.some((i) => i.source.includes('Волжский') && /[а-я]/.test(i.title) && !i.title.includes('\uFFFD')),
    ).toBe(true);
    expect(items.every((i) => i.date >= '2025-11-01' && i.date < '2026-02-01')).toBe(true);
  });

  it('reads labelled JSONL and names a broken line', async () => {
    expect((await readCorpus(path.join(root, 'test/fixtures/tagging/labelled-dev.jsonl'))).length).toBeGreaterThan(200);
    const bad = path.join(tempDir(), 'bad.jsonl');
    writeFileSync(
      bad,
      '{"id":"a","date":"2025-11-20","title":"t","source":"s"}\n{"id":"b","date":"someday","title":"t","source":"s"}\n',
    );
    await expect(readCorpus(bad)).rejects.toThrow(`${bad}: line 2: date is not a date (got "someday")`);
  });

  it('reads a folder of labelled files whose items name their outlet', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'b.jsonl'),
      '{"id":"b1","date":"2026-01-02","outlet":"Kyiv Independent","title":"Talks in Miami","labels":[]}\n',
    );
    writeFileSync(path.join(dir, 'a.jsonl'), '{"id":"a1","date":"2026-01-01","outlet":"TASS","title":"Peskov"}\n');
    writeFileSync(path.join(dir, 'notes.md'), 'not a corpus file\n');
    const items = await readCorpus(dir);
    expect(items.map((i) => [i.id, i.source])).toEqual([
      ['a1', 'TASS'],
      ['b1', 'Kyiv Independent'],
    ]);
  });
});

describe('bellwether replay', () => {
  it('builds a daily snapshot history from the demo corpus', async () => {
    const database = await createTestDatabase(tempDir(), 'replay.db');
    const stdout: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (stdout.push(String(c)), true));
    const code = await runCli([
      'replay',
      '--pack',
      path.join(root, 'packs/ukraine-peace-2025.yaml'),
      '--corpus',
      path.join(root, 'demo/corpus'),
      '--db',
      database.url,
      '--json',
    ]).finally(() => spy.mockRestore());
    expect(code).toBe(0);
    // --json: one document on stdout (the progress bar is on stderr).
    expect(JSON.parse(stdout.join(''))).toEqual({
      articles: 182,
      skipped: 0,
      tags: expect.any(Number),
      days: 93,
      snapshots: expect.any(Number),
      seconds: expect.any(Number),
    });
    const h = openDatabase(database.target);
    try {
      const snapshots = await h.db.selectFrom('snapshots').select(['at', 'probabilities']).orderBy('at').execute();
      expect(new Set(snapshots.map((s) => s.at.slice(0, 10))).size).toBeGreaterThanOrEqual(92);
      const deal = snapshots.find((s) => s.at > '2025-11-28')!;
      expect(JSON.parse(deal.probabilities).deal).toBe(0);
    } finally {
      await h.close();
      await database.drop();
    }
  });
});
