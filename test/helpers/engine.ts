// Builders for engine tests and benchmarks: a small pack and evidence items.
import { packSchema, type Pack } from '../../src/pack/schema.ts';
import type { EvidenceItem } from '../../src/scenarios/engine/types.ts';

export function testPack(overrides: Record<string, unknown> = {}): Pack {
  return packSchema.parse({
    id: 'test',
    title: 'Test',
    question: 'Which?',
    horizon: '2027-01-31',
    scenarios: [
      { id: 'a', name: 'A', prior: 0.5, resolution: 'a' },
      { id: 'b', name: 'B', prior: 0.5, resolution: 'b' },
    ],
    indicators: [
      {
        id: 'diag',
        name: 'Diagnostic',
        half_life_days: 7,
        likelihoods: { a: 3, b: 1 },
        when: { cancelled: { a: 1, b: 4 } },
      },
      { id: 'flat', name: 'Flat', likelihoods: { a: 2, b: 2 } },
      { id: 'neg', name: 'With negated table', likelihoods: { a: 2, b: 1 }, when: { negated: { a: 1, b: 5 } } },
      {
        id: 'level',
        name: 'Level',
        kind: 'level',
        half_life_days: 5,
        likelihoods: { a: 1, b: 1 },
        numbers: { units: { drones: ['drone*'], missiles: ['missile*'] } },
        level: {
          units: ['drones', 'missiles'],
          baseline_days: 28,
          min_baseline_days: 7,
          bands: [
            { above_z: 2, label: 'surge', likelihoods: { a: 1, b: 2 } },
            { below_z: -1, label: 'lull', likelihoods: { a: 2, b: 1 } },
          ],
        },
      },
    ],
    ...overrides,
  });
}

let nextTag = 1;

export function item(over: Partial<EvidenceItem> = {}): EvidenceItem {
  const tagId = over.tagId ?? nextTag++;
  return {
    tagId,
    articleId: tagId,
    clusterId: null,
    feedId: tagId,
    contentHash: `h${tagId}`,
    indicatorId: 'diag',
    polarity: 'affirmed',
    modality: null,
    confidence: 1,
    tier: 1,
    publishedAt: '2026-11-20T12:00:00.000Z',
    numbers: null,
    ...over,
  };
}
