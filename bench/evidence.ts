// Synthetic evidence for the engine benchmarks: reproducible (a seeded LCG), spread over a year.
import type { Pack } from '../src/pack/schema.ts';
import type { EvidenceItem } from '../src/scenarios/engine/index.ts';

const DAY = 86_400_000;
const modalities = [null, null, null, 'held', 'scheduled', 'proposed', 'cancelled'] as const;

/** A seeded random source and an evidence maker drawing from it (`start`: the year's first ms). */
export function evidenceSource(pack: Pack, seed: number, start: number) {
  let state = seed;
  const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const makeEvidence = (n: number, firstTag = 1): EvidenceItem[] =>
    Array.from({ length: n }, (_, i) => {
      const ind = pick(pack.indicators);
      return {
        tagId: firstTag + i,
        articleId: firstTag + i,
        clusterId: rand() < 0.8 ? Math.floor(rand() * 40_000) : null,
        feedId: 1 + Math.floor(rand() * 60),
        contentHash: `h${Math.floor(rand() * 90_000)}`,
        indicatorId: ind.id,
        polarity: rand() < 0.2 ? 'negated' : 'affirmed',
        modality: pick(modalities),
        confidence: 0.5 + rand() / 2,
        tier: 1 + Math.floor(rand() * 5),
        publishedAt: new Date(start + Math.floor(rand() * 365 * DAY)).toISOString(),
        numbers: ind.kind === 'level' ? [{ value: Math.floor(rand() * 500), unit: 'drones' }] : null,
      };
    });
  return { rand, pick, makeEvidence };
}
