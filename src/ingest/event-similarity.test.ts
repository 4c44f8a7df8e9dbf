// Event-level similarity and the index lookup built on it: rewrites of one event join, different
// events with the same actors on the same day stay apart, other languages and later days too.
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from './cluster-index.ts';
import { EVENT_SIMILARITY, EVENT_WINDOW_MS, eventSimilarity, eventTokens, packTokens } from './event-similarity.ts';

const HOUR = 3_600_000;
const t0 = Date.parse('2025-11-23T12:00:00Z');
const uniform = () => 1;

const geneva = [
  [
    'Geneva talks yield refined peace framework, US and Ukraine say',
    'US and Ukrainian delegations said after talks in Geneva that they had drawn up an updated and refined peace framework, with Rubio calling the day the most productive so far.',
  ],
  [
    'US and Ukraine draw up updated and refined peace framework in Geneva',
    'American and Ukrainian negotiators meeting in Geneva said they had produced an updated and refined framework for peace and would keep working on the remaining points.',
  ],
] as const;
const phoneCall = [
  'Trump and Putin spoke by phone about the war in Ukraine',
  'Donald Trump and Vladimir Putin held a phone call on Tuesday about ending the war in Ukraine, the Kremlin said, and agreed their advisers would stay in contact.',
] as const;
const sanctions = [
  'Trump threatens sanctions on Russian oil buyers',
  'Donald Trump said he would impose sanctions and tariffs on countries buying Russian oil unless Vladimir Putin agreed to end the war in Ukraine.',
] as const;

/** An index holding a few unrelated stories too, so IDF has something to count. */
function indexWith(
  docs: Array<{ id: number; text: readonly [string, string]; lang?: string | null; at?: number }>,
): ClusterIndex {
  const index = new ClusterIndex();
  const filler: Array<readonly [string, string]> = [
    [
      'Russia launches 120 drones at Ukraine overnight',
      'The air force said Russia launched 120 drones at Ukraine overnight and most were shot down.',
    ],
    [
      'EU prepares new sanctions package against Russia',
      'The European Union is preparing a new package of sanctions against Russia over the war in Ukraine.',
    ],
    [
      'Zelensky meets Macron in Paris to discuss the US plan',
      'Volodymyr Zelensky met Emmanuel Macron in Paris on Monday to discuss the US peace plan for Ukraine.',
    ],
  ];
  filler.forEach((f, k) => {
    index.add(900 + k, '0000000000000000', t0 - 30 * HOUR, t0 - 30 * HOUR);
    index.addDoc(900 + k, eventTokens(...f), 'en', t0 - 30 * HOUR);
  });
  for (const d of docs) {
    const at = d.at ?? t0;
    index.add(d.id, 'ffffffffffffffff', at, at);
    index.addDoc(d.id, eventTokens(...d.text), d.lang === undefined ? 'en' : d.lang, at);
  }
  return index;
}

describe('eventTokens / eventSimilarity', () => {
  it('stems, folds case and drops stopwords; identical texts score 1, disjoint 0', () => {
    const tokens = eventTokens('Ukraine and Ukrainian TALKS', 'The talks, 653 drones');
    expect([...tokens.keys()].sort()).toEqual(['653', 'drones', 'talks', 'ukrain']);
    const a = eventTokens(...geneva[0]);
    expect(eventSimilarity(a, a, uniform)).toBeCloseTo(1, 10);
    expect(eventSimilarity(a, eventTokens('Heavy rain floods Venice', 'High tide in the lagoon city.'), uniform)).toBe(
      0,
    );
  });

  it('scores two rewrites of one event above the threshold even with every word weighted alike', () => {
    expect(eventSimilarity(eventTokens(...geneva[0]), eventTokens(...geneva[1]), uniform)).toBeGreaterThanOrEqual(
      EVENT_SIMILARITY,
    );
  });

  it('scores 0 when both headlines quote figures and share none', () => {
    const a = eventTokens(
      'Russia fires 458 drones and 45 missiles at Ukraine',
      'The air force counted the drones and missiles overnight.',
    );
    const b = eventTokens(
      'Russia fires 430 drones and 19 missiles at Ukraine',
      'The air force counted the drones and missiles overnight.',
    );
    expect(eventSimilarity(a, b, uniform)).toBe(0);
    expect(
      eventSimilarity(a, eventTokens('Massive strike: 458 drones', 'Thermal plants stopped.'), uniform),
    ).toBeGreaterThan(0);
  });
});

describe('ClusterIndex.findEvent', () => {
  it('finds the cluster of a rewrite of the same event the same day', () => {
    const index = indexWith([{ id: 1, text: geneva[0] }]);
    expect(index.findEvent(eventTokens(...geneva[1]), 'en', t0 + 2 * HOUR)).toBe(1);
  });

  it('keeps apart two events with the same actors on the same day (hard negative)', () => {
    const index = indexWith([{ id: 1, text: phoneCall }]);
    expect(index.findEvent(eventTokens(...sanctions), 'en', t0 + HOUR)).toBeNull();
    const reverse = indexWith([{ id: 2, text: sanctions }]);
    expect(reverse.findEvent(eventTokens(...phoneCall), 'en', t0 + HOUR)).toBeNull();
  });

  it('does not join across languages or beyond the event window', () => {
    expect(
      indexWith([{ id: 1, text: geneva[0], lang: 'ru' }]).findEvent(eventTokens(...geneva[1]), 'en', t0),
    ).toBeNull();
    expect(
      indexWith([{ id: 1, text: geneva[0] }]).findEvent(eventTokens(...geneva[1]), 'en', t0 + EVENT_WINDOW_MS + HOUR),
    ).toBeNull();
  });

  it('prefers the better match, ties going to the older cluster, and forgets docs on rollback', async () => {
    const index = indexWith([
      { id: 5, text: geneva[0] },
      { id: 3, text: geneva[0] },
      { id: 4, text: phoneCall },
    ]);
    expect(index.findEvent(eventTokens(...geneva[1]), 'en', t0)).toBe(3);
    await expect(
      index.transactional(async () => {
        index.add(7, '0f0f0f0f0f0f0f0f', t0, t0);
        index.addDoc(7, eventTokens(...sanctions), 'en', t0);
        expect(index.findEvent(eventTokens(...sanctions), 'en', t0)).toBe(7);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(index.findEvent(eventTokens(...sanctions), 'en', t0)).toBeNull();
  });
});

describe('packTokens', () => {
  const idf = (t: string) => 1 + (t.charCodeAt(0) % 7) / 3;
  it('answers like the map it packs, in the same order, with bit-identical scores', () => {
    const a = eventTokens(...geneva[0]!);
    const b = eventTokens(...geneva[1]!);
    const packed = packTokens(b, (t) => t);
    expect([...packed]).toEqual([...b]);
    for (const t of [...a.keys(), ...b.keys(), 'absent']) {
      expect(packed.get(t)).toBe(b.get(t));
      expect(packed.has(t)).toBe(b.has(t));
    }
    expect(eventSimilarity(a, packed, idf)).toBe(eventSimilarity(a, b, idf));
  });
  it('keeps a map whose weights are not title-then-lede as a map', () => {
    const odd = new Map([
      ['lede', 1],
      ['title', 3],
    ]);
    const kept = packTokens(odd, (t) => t);
    expect(kept).toBeInstanceOf(Map);
    expect([...kept]).toEqual([...odd]);
  });
});
