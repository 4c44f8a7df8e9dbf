// `bellwether score` with a market baseline: a small corpus replayed, the pack's recorded market series and
// a polled point beside it, resolved, and scored in text and JSON.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.ts';
import { storeMarketPoint } from '../src/ingest/index.ts';
import { loadPack } from '../src/pack/load.ts';
import { type CorpusItem, replayCorpus } from '../src/pipeline/replay.ts';
import { marketForecasts, scorePack } from '../src/scenarios/score.ts';
import type { TagDraft, TagInput } from '../src/tagging/index.ts';
import { tempDb, type TempDb } from './helpers/engine-db.ts';

const packFile = path.join(import.meta.dirname, 'fixtures/market/pack.yaml');
const loaded = loadPack(packFile);
const corpus = readFileSync(path.join(import.meta.dirname, 'fixtures/engine/corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as CorpusItem);

/** A few keywords standing in for the tagger (the fixture pack has no rules). */
function tagger(a: TagInput): TagDraft[] {
  const t = a.title.toLowerCase();
  const tag = (indicatorId: string, modality: TagDraft['modality'] = null): TagDraft => ({
    indicatorId,
    polarity: 'affirmed',
    modality,
    confidence: 0.9,
    field: 'title',
    snippet: a.title,
    numbers: null,
    ruleId: `${indicatorId}.kw`,
  });
  const out: TagDraft[] = [];
  if (t.includes('meeting')) out.push(tag('principal_meeting', t.includes('cancelled') ? 'cancelled' : 'scheduled'));
  if (t.includes('ceasefire') || t.includes('truce')) out.push(tag('ceasefire_signal'));
  if (t.includes('kremlin rejects')) out.push(tag('kremlin_rejection'));
  return out;
}

let t: TempDb;
delete process.env.BASE_URL; // Vitest sets BASE_URL=/ (Vite's base path); a user's shell would not
beforeEach(async () => {
  t = await tempDb();
});
afterEach(async () => {
  await t.close();
});

async function cli(args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    expect(await runCli([...args, '--pack', packFile, '--db', t.file])).toBe(0);
    return out;
  } finally {
    process.exitCode = undefined;
    spy.mockRestore();
  }
}

describe('score with a market baseline', () => {
  it('scores the market on the days it has a point, carried forward, and says so', async () => {
    await replayCorpus({ db: t.db, loadedPack: loaded, items: corpus, tag: tagger });
    // A polled point on the 12th, after the deal's deadline.
    await storeMarketPoint(
      t.db,
      {
        packId: loaded.pack.id,
        scenarioId: 'frozen',
        source: 'polymarket:ceasefire-by-november-30',
        at: '2026-11-12T12:00:00.000Z',
        probability: 0.7,
        url: 'https://polymarket.com/market/ceasefire-by-november-30',
      },
      new Date('2026-11-12T12:00:00.000Z'),
    );
    await cli(['resolve', 'frozen', '--outcome', 'yes', '--at', '2026-11-15']);

    const r = await scorePack(t.db, loaded.pack);
    expect(r.days).toBe(14);
    const m = r.baselines.market!;
    expect(m).toMatchObject({ days: 10, from: '2026-11-05', to: '2026-11-14' });
    // Recompute by hand from the same rule: 5 days at frozen .35, 2 days at .55 (deal .05), 3 days at .70.
    const days = Array.from({ length: 10 }, (_, k) => `2026-11-${String(5 + k).padStart(2, '0')}`);
    const f = marketForecasts(
      days,
      [
        { at: '2026-11-05T00:00:00.000Z', scenario: 'frozen', probability: 0.35 },
        { at: '2026-11-10T00:00:00.000Z', scenario: 'frozen', probability: 0.55 },
        { at: '2026-11-10T00:00:00.000Z', scenario: 'deal', probability: 0.05 },
        { at: '2026-11-12T12:00:00.000Z', scenario: 'frozen', probability: 0.7 },
      ],
      { deal: 0.2, frozen: 0.3, collapse: 0.5 },
      '2026-11-15T00:00:00.000Z',
    );
    expect(f.map((x) => x!.frozen)).toEqual([0.35, 0.35, 0.35, 0.35, 0.35, 0.55, 0.55, 0.7, 0.7, 0.7]);
    const brier = f.reduce((a, x) => a + (x!.deal! ** 2 + (x!.frozen! - 1) ** 2 + x!.collapse! ** 2), 0) / 10;
    expect(m.brier).toBeCloseTo(brier, 12);
    expect(m.logScore).toBeCloseTo(f.reduce((a, x) => a + Math.log(x!.frozen!), 0) / 10, 12);
    // The market, updated from the same news, beats the static priors on its days.
    expect(m.brier).toBeLessThan(m.prior.brier);

    const json = JSON.parse(await cli(['score', '--json'])) as { baselines: Record<string, unknown> };
    expect(Object.keys(json.baselines)).toEqual(['uniform', 'prior', 'market']);
    expect(json.baselines.market).toMatchObject({ days: 10, from: '2026-11-05', to: '2026-11-14' });
    expect((json.baselines.market as { brier: number }).brier).toBeCloseTo(m.brier, 12);

    const text = await cli(['score']);
    expect(text).toContain(
      'market baseline: 10 of 14 days (2026-11-05 to 2026-11-14), scored only on days with a market point, the latest point carried forward',
    );
    expect(text).toMatch(/^market {10}\d\.\d{4}/m);
    expect(text).toMatch(/^pack, same days \d\.\d{4}/m);
  });

  it('says when there is no market series', async () => {
    const plain = path.join(import.meta.dirname, 'fixtures/engine/pack.yaml');
    await replayCorpus({ db: t.db, loadedPack: loadPack(plain), items: corpus, tag: tagger });
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      await runCli(['resolve', 'frozen', '--outcome', 'yes', '--at', '2026-11-15', '--pack', plain, '--db', t.file]);
      await runCli(['score', '--json', '--pack', plain, '--db', t.file]);
      expect(JSON.parse(out.slice(out.indexOf('{'))).baselines.market).toBeNull();
    } finally {
      process.exitCode = undefined;
      spy.mockRestore();
    }
  });
});
