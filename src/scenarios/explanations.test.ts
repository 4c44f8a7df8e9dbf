// The explanation module: stories for/against with exact leave-one-story-out, diffs, story moves.
import { describe, expect, it } from 'vitest';
import { leaveOneOut } from './explain.ts';
import {
  diffContributions,
  explainScenario,
  leaveOneStoryOut,
  type StoredContribution,
  storyMoves,
} from './explanations.ts';

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
  publishedAt: null,
  feedName: null,
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

  it('ranks stories for and against a scenario by their log-odds push', () => {
    const a = explainScenario(p, contributions, 'a');
    expect(a.for.map((x) => x.articleId)).toEqual([1]);
    expect(a.against.map((x) => x.articleId)).toEqual([2]);
    expect(a.for[0]!.shift).toBeCloseTo(Math.log(3), 12);
    expect(explainScenario(p, contributions, 'b').for.map((x) => x.articleId)).toEqual([2]);
  });

  it('shows a story with five tags as one row with the exact leave-one-story-out figure', () => {
    // One cluster, five tags of different indicators (the 16 December case): one row, not five.
    const tags = [0.3, 0.2, 0.1, -0.05, 0.25].map((v, i) =>
      c({
        clusterId: 9,
        articleId: 10 + i,
        indicatorId: `i${i}`,
        title: i === 0 ? 'Truce rejected' : null,
        logOdds: { a: v, b: -v },
      }),
    );
    const all = [...contributions, ...tags];
    const e = explainScenario(p, all, 'a');
    const rows = [...e.for, ...e.against].filter((r) => r.story === 'c9');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.title).toBe('Truce rejected');
    expect(row.tags.map((t) => t.indicatorId).sort()).toEqual(['i0', 'i1', 'i2', 'i3', 'i4']);
    const sum = { a: 0.8, b: -0.8 };
    expect(row.without).toBeCloseTo(leaveOneOut(p, sum).a!, 12);
    expect(row.push).toBeCloseTo(0.6 - leaveOneOut(p, sum).a!, 12);
    expect(e.stories).toBe(3);
    expect(e.contributions).toBe(7);
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

  it('groups a day’s movers by story with their exact push in probability', () => {
    const after = { a: 0.7, b: 0.3 };
    const movers = diffContributions(
      [],
      [
        c({ articleId: 5, logOdds: { a: 0.4, b: -0.4 } }),
        c({ articleId: 5, indicatorId: 'y', logOdds: { a: 0.1, b: -0.1 } }),
        c({ articleId: 6, logOdds: { a: -0.05, b: 0.05 } }),
      ],
    );
    const stories = storyMoves(after, movers);
    expect(stories.map((s) => s.story)).toEqual(['a5', 'a6']);
    expect(stories[0]!.movers).toHaveLength(2);
    expect(stories[0]!.push.a).toBeCloseTo(0.7 - leaveOneOut(after, { a: 0.5, b: -0.5 }).a!, 12);
    expect(stories[1]!.push.a).toBeLessThan(0);
  });
});
