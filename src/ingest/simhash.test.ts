import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEAR_DUPLICATE_BITS, bands, hammingDistance, simhash, stripSiteSuffix, words } from './simhash.ts';

const title = 'Witkoff and Kushner arrive in Moscow for talks on the 28-point peace plan';
const lede =
  'US envoys Steve Witkoff and Jared Kushner landed in Moscow on Tuesday for talks with Vladimir Putin on a revised plan to end the war in Ukraine, officials said.';

describe('simhash', () => {
  it('is 16 hex digits and deterministic', () => {
    const h = simhash(title, lede);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(title, lede)).toBe(h);
  });

  it('puts syndicated copies a few bits apart and unrelated stories far apart', () => {
    const base = simhash(title, lede);
    const copy = simhash(`${title} `, `MOSCOW (Reuters) - ${lede}`);
    const edited = simhash(
      title.replace('arrive', 'arrives'),
      lede.replace('officials said.', 'officials told reporters.'),
    );
    const other = simhash(
      'Heavy rain floods Venice as tide peaks',
      'The lagoon city saw its highest tide in six years on Sunday, flooding St Mark’s Square.',
    );
    const sameActorsOtherEvent = simhash(
      'Witkoff and Kushner to meet Zelensky in Kyiv on Friday',
      'US envoys Steve Witkoff and Jared Kushner will travel to Kyiv on Friday for talks with Volodymyr Zelensky on the revised plan, officials said.',
    );
    expect(hammingDistance(base, copy)).toBeLessThanOrEqual(3);
    expect(hammingDistance(base, edited)).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    expect(hammingDistance(base, sameActorsOtherEvent)).toBeGreaterThan(NEAR_DUPLICATE_BITS);
    expect(hammingDistance(base, other)).toBeGreaterThan(16);
  });

  it('ignores a short outlet or section suffix on the title', () => {
    expect(stripSiteSuffix(`${title} | World`)).toBe(title);
    expect(stripSiteSuffix(`${title} - BBC News`)).toBe(title);
    expect(stripSiteSuffix('Putin - Trump call')).toBe('Putin - Trump call');
    expect(
      stripSiteSuffix('Live | Russia says talks in Abu Dhabi made progress on prisoner exchange and energy truce'),
    ).toBe('Live | Russia says talks in Abu Dhabi made progress on prisoner exchange and energy truce');
    expect(hammingDistance(simhash(title, lede), simhash(`${title} | World`, lede))).toBe(0);
  });

  it('reads Cyrillic words', () => {
    expect(words('Переговоры в Женеве: 19 пунктов')).toEqual(['переговоры', 'в', 'женеве', '19', 'пунктов']);
  });
});

describe('hammingDistance and bands', () => {
  const hex = fc.stringMatching(/^[0-9a-f]{16}$/);
  it('is a metric: zero on itself, symmetric, at most 64', () => {
    fc.assert(
      fc.property(hex, hex, (a, b) => {
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a));
        expect(hammingDistance(a, b)).toBeLessThanOrEqual(64);
      }),
    );
  });
  it('counts bits exactly', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000000000001', '8000000000000000')).toBe(2);
  });
  it('two hashes within count-1 bits share a band (pigeonhole)', () => {
    fc.assert(
      fc.property(hex, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 5 }), (a, flips) => {
        let bits = BigInt(`0x${a}`);
        for (const f of flips) bits ^= 1n << BigInt(f);
        const b = bits.toString(16).padStart(16, '0');
        const shared = bands(a, 6).filter((x) => bands(b, 6).includes(x));
        expect(shared.length).toBeGreaterThan(0);
      }),
    );
  });
});
