// Pure explanation helpers: ranking for/against, leave-one-story-out, contribution diffs.
import { describe, expect, it } from 'vitest';
import { diffContributions, leaveOneStoryOut, type StoredContribution, topContributions } from './explanations.ts';

const c = (over: Partial<StoredContribution>): StoredContribution => ({
  indicatorId: 'x',
  polarity: 'affirmed',
  modality: null,
  clusterId: null,
  articleId: 1,
  weight: 1,
  logOdds: { a: 0, b: 0 },
  title: null,
  url: null,
  sources: 1,
  ...over,
});
const L3 = Math.log(3) / 2;

describe('explanations', () => {
  // Two stories from even priors: one for a (3:1), one for b (2:1) → a:b = 3:2.
  const contributions = [
    c({ articleId: 1, logOdds: { a: L3, b: -L3 } }),
    c({ articleId: 2, indicatorId: 'y', logOdds: { a: -Math.log(2) / 2, b: Math.log(2) / 2 } }),
  ];
  const p = { a: 0.6, b: 0.4 };

  it('ranks contributions for and against each scenario by their log-odds push', () => {
    const [a, b] = topContributions(p, contributions);
    expect(a!.for.map((x) => x.articleId)).toEqual([1]);
    expect(a!.against.map((x) => x.articleId)).toEqual([2]);
    expect(a!.for[0]!.shift).toBeCloseTo(Math.log(3), 12);
    expect(b!.for.map((x) => x.articleId)).toEqual([2]);
  });

  it('removes a whole story exactly (all its indicators)', () => {
    const twoTags = [...contributions, c({ articleId: 1, indicatorId: 'z', logOdds: { a: 0.1, b: -0.1 } })];
    const effects = leaveOneStoryOut(p, twoTags);
    expect(effects).toHaveLength(2);
    const withoutFirst = effects.find((e) => e.articleId === 1)!.without;
    const expected = { a: 0.6 * Math.exp(-L3 - 0.1), b: 0.4 * Math.exp(L3 + 0.1) };
    expect(withoutFirst.a).toBeCloseTo(expected.a / (expected.a + expected.b), 12);
    expect(effects.find((e) => e.articleId === 2)!.without.a).toBeCloseTo(0.75, 12); // only the 3:1 story left
  });

  it('lists new, changed and gone contributions, ignoring mere decay', () => {
    const before = [
      c({ articleId: 1, logOdds: { a: 1, b: -1 } }),
      c({ articleId: 2, logOdds: { a: 1, b: -1 } }),
      c({ articleId: 3, logOdds: { a: 0.5, b: -0.5 } }),
    ];
    const after = [
      c({ articleId: 1, logOdds: { a: 0.9, b: -0.9 } }), // decayed only
      c({ articleId: 2, weight: 0.5, logOdds: { a: 2, b: -2 } }), // corroborated
      c({ articleId: 4, logOdds: { a: -0.3, b: 0.3 } }),
    ];
    const movers = diffContributions(before, after);
    expect(movers.map((m) => [m.articleId, m.status])).toEqual([
      [2, 'changed'],
      [3, 'gone'],
      [4, 'new'],
    ]);
    expect(movers[0]!.change.a).toBeCloseTo(1, 12);
  });
});
