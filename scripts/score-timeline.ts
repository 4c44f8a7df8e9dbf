// Scores the real labelled timeline (corpora/labelled/) through the 2025 pack, resolved as history went
// (no deal by 27 Nov 2025, no frozen ceasefire by 31 Jan 2026, so collapse), twice: with the pack's tagger and
// with the labels themselves (perfect tags: what the engine would do if the tagger were right).
// Usage: npx tsx scripts/score-timeline.ts [--corpus DIR] [--pack FILE]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { readCorpus } from '../src/pipeline/corpus.ts';
import { replayCorpus } from '../src/pipeline/replay.ts';
import { recordResolution } from '../src/scenarios/resolutions.ts';
import { scorePack } from '../src/scenarios/score.ts';
import type { TagDraft, TagInput } from '../src/tagging/index.ts';
import { readFileSync, readdirSync } from 'node:fs';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const corpusDir = arg('--corpus', 'corpora/labelled');
const packFile = arg('--pack', 'packs/ukraine-peace-2025.yaml');
const RESOLUTIONS = [
  { scenarioId: 'deal', outcome: 'no', at: '2025-11-27T23:59:59Z' },
  { scenarioId: 'frozen', outcome: 'no', at: '2026-01-31T00:00:00Z' },
  { scenarioId: 'collapse', outcome: 'yes', at: '2026-01-31T00:00:00Z' },
] as const;

interface Label {
  indicator: string;
  polarity: 'affirmed' | 'negated';
  modality: string | null;
}
const labels = new Map<string, Label[]>();
for (const f of readdirSync(corpusDir).filter((f) => f.endsWith('.jsonl')))
  for (const line of readFileSync(path.join(corpusDir, f), 'utf8').split('\n'))
    if (line.trim()) {
      const it = JSON.parse(line) as { title: string; labels: Label[] };
      labels.set(it.title, it.labels);
    }
const gold = (a: TagInput): TagDraft[] =>
  (labels.get(a.title) ?? []).map((l) => ({
    indicatorId: l.indicator,
    polarity: l.polarity,
    modality: (l.modality ?? null) as TagDraft['modality'],
    confidence: 1,
    field: 'title',
    snippet: a.title,
    numbers: null,
    ruleId: 'gold',
  }));

async function run(name: string, tag?: (a: TagInput) => TagDraft[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bw-timeline-'));
  const rt = await openRuntime({ packFile, databaseUrl: path.join(dir, 'timeline.db') });
  try {
    const items = await readCorpus(corpusDir);
    await replayCorpus({ db: rt.db, loadedPack: rt.pack, items, ...(tag ? { tag } : {}) });
    for (const r of RESOLUTIONS)
      await recordResolution(
        rt.db,
        rt.pack.pack,
        { scenarioId: r.scenarioId, outcome: r.outcome, resolvedAt: new Date(r.at), resolvedBy: 'script', note: null },
        new Date(r.at),
      );
    const score = await scorePack(rt.db, rt.pack.pack);
    const { prior, uniform } = score.baselines;
    console.log(
      `${name}: ${score.days} days; Brier ${score.brier.toFixed(3)} (priors ${prior.brier.toFixed(3)}, uniform ${uniform.brier.toFixed(3)}); log ${score.logScore.toFixed(3)} (priors ${prior.logScore.toFixed(3)})`,
    );
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await run('tagger (the pack as shipped)');
await run('perfect tags (the labels)', gold);
