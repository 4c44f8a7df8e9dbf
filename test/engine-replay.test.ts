// End to end: a fixture corpus replayed through a keyword tagger and the engine, resolved and scored,
// plus the resolve / score / status CLI verbs on the same database.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.ts';
import { explainAt, whatMoved } from '../src/scenarios/explanations.ts';
import { loadPack } from '../src/pack/load.ts';
import { type CorpusItem, replayCorpus } from '../src/pipeline/replay.ts';
import type { TagDraft, TagInput } from '../src/tagging/index.ts';
import { scorePack } from '../src/scenarios/score.ts';
import { tempDb, type TempDb } from './helpers/engine-db.ts';

const dir = path.join(import.meta.dirname, 'fixtures/engine');
const packFile = path.join(dir, 'pack.yaml');
const loaded = loadPack(packFile);
const corpus = readFileSync(path.join(dir, 'corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as CorpusItem);

/** A tiny keyword tagger standing in for the real one (injected, as the lead will inject src/tagging). */
function keywordTagger(a: TagInput): TagDraft[] {
  const t = a.title.toLowerCase();
  const draft = (indicatorId: string, over: Partial<TagDraft> = {}): TagDraft => ({
    indicatorId,
    polarity: 'affirmed',
    modality: null,
    confidence: 0.9,
    field: 'title',
    snippet: a.title,
    numbers: null,
    ruleId: `${indicatorId}.kw`,
    ...over,
  });
  const out: TagDraft[] = [];
  if (t.includes('meeting'))
    out.push(draft('principal_meeting', { modality: t.includes('cancelled') ? 'cancelled' : 'scheduled' }));
  if (t.includes('ceasefire') || t.includes('truce')) out.push(draft('ceasefire_signal'));
  if (t.includes('kremlin rejects')) out.push(draft('kremlin_rejection'));
  const drones = /(\d+) drones/.exec(t);
  if (drones) out.push(draft('strike_volume', { numbers: [{ value: Number(drones[1]), unit: 'drones' }] }));
  return out;
}

let t: TempDb;
// Vitest sets BASE_URL=/ (Vite's base path), which the config rightly rejects; the CLI under test
// must see the environment a user's shell would give it.
delete process.env.BASE_URL;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(async () => {
  await t.close();
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await runCli([...args, '--pack', packFile, '--db', t.file]);
    process.exitCode = undefined;
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}

describe('replay → resolve → score', () => {
  it('builds the daily history, spends the deal at its deadline, and scores better than the baselines', async () => {
    const progress: string[] = [];
    const r = await replayCorpus({
      db: t.db,
      loadedPack: loaded,
      items: corpus,
      tag: keywordTagger,
      onProgress: (p) => progress.push(p.day),
    });
    expect(r).toMatchObject({ articles: 18, skipped: 0, days: 14 });
    expect(progress[0]).toBe('2026-11-01');
    expect(progress.at(-1)).toBe('2026-11-14');
    const snaps = await t.db.selectFrom('snapshots').select(['at', 'probabilities']).orderBy('at').execute();
    expect(new Set(snaps.map((s) => s.at.slice(0, 10))).size).toBe(14);
    const p = (day: string) =>
      JSON.parse(snaps.filter((s) => s.at.startsWith(day)).at(-1)!.probabilities) as Record<string, number>;
    expect(p('2026-11-02').deal).toBeGreaterThan(0.2); // meeting scheduled, two sources
    expect(p('2026-11-07').collapse).toBeGreaterThan(p('2026-11-04').collapse!); // rejection, cancellation, surge
    expect(p('2026-11-13').deal).toBe(0); // deadline passed
    expect(p('2026-11-14').frozen).toBeGreaterThan(0.5);

    // Replaying the same corpus again stores nothing twice.
    expect(await replayCorpus({ db: t.db, loadedPack: loaded, items: corpus, tag: keywordTagger })).toMatchObject({
      articles: 0,
      skipped: 18,
    });

    const explanation = await explainAt(t.db, loaded.pack.id, '2026-11-07T23:59:59.999Z');
    const collapse = explanation!.scenarios.find((s) => s.scenarioId === 'collapse')!;
    expect(collapse.for.flatMap((c) => c.tags.map((g) => g.indicatorId))).toContain('strike_volume');
    expect(collapse.for[0]!.title).toBeTruthy();
    // The CLI prints the same explanation the dashboard and the API show (one module).
    const cliExplained = await cli(['explain', 'collapse', '--at', '2026-11-07T23:59:59.999Z', '--json']);
    expect(cliExplained.code).toBe(0);
    expect(JSON.parse(cliExplained.out)).toMatchObject({
      snapshot: { id: explanation!.snapshot.id },
      scenarioId: 'collapse',
      for: collapse.for.map((f) => ({ story: f.story, without: f.without })),
    });
    expect((await cli(['explain', 'nope'])).code).not.toBe(0);
    const moved = await whatMoved(t.db, loaded.pack.id, '2026-11-07T23:59:59.999Z');
    expect(moved!.movers.some((m) => m.status === 'new' && m.indicatorId === 'strike_volume')).toBe(true);

    const resolved = await cli(['resolve', 'frozen', '--outcome', 'yes', '--at', '2026-11-15']);
    expect(resolved.code).toBe(0);
    expect(resolved.out).toContain('frozen resolved yes at 2026-11-15T00:00:00.000Z');
    const score = await scorePack(t.db, loaded.pack);
    expect(score.days).toBe(14);
    expect(score.brier).toBeLessThan(score.baselines.prior.brier);
    expect(score.logScore).toBeGreaterThan(score.baselines.uniform.logScore);

    const json = await cli(['score', '--json']);
    expect(Object.keys(JSON.parse(json.out))).toEqual(['brier', 'logScore', 'days', 'baselines']);
    expect(JSON.parse(json.out).baselines.uniform.brier).toBeCloseTo(score.baselines.uniform.brier, 12);
    expect((await cli(['score'])).out).toContain('calibration');

    const status = JSON.parse((await cli(['status', '--at', '2026-11-07T23:00:00Z', '--json'])).out);
    expect(Object.keys(status)).toEqual(['at', 'scenarios', 'stories']);
    expect(status.scenarios.map((s: { id: string }) => s.id)).toEqual(['deal', 'frozen', 'collapse']);
    // Grouped by story: each story once, its tags inside, biggest push first.
    type Story = { story: string; title: string | null; push: Record<string, number>; tags: { indicator: string }[] };
    const stories = status.stories as Story[];
    expect(new Set(stories.map((s) => s.story)).size).toBe(stories.length);
    const drones = stories.find((s) => s.title?.includes('400 drones'))!;
    expect(drones.tags.map((g) => g.indicator)).toContain('strike_volume');
    const size = (s: Story) => Math.max(...Object.values(s.push).map(Math.abs));
    expect(stories.map(size)).toEqual([...stories.map(size)].sort((a, b) => b - a));
    const text = (await cli(['status', '--at', '2026-11-07T23:00:00Z'])).out;
    expect(text).toContain('by story');
    expect(text).toContain(drones.title);
  });

  it('rejects an unknown scenario or outcome with a clear message', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await cli(['resolve', 'nope', '--outcome', 'yes'])).code).toBe(2);
      expect(String(err.mock.calls.map((c) => c[0]).join(''))).toContain('unknown scenario "nope"');
      expect((await cli(['resolve', 'deal', '--outcome', 'maybe'])).code).toBe(2);
      expect((await cli(['score'])).code).toBe(3);
    } finally {
      err.mockRestore();
    }
  });
});
