// Tests for folding and sentence splitting: case, diacritics, Cyrillic letters, offsets.
import { describe, expect, it } from 'vitest';
import { fold } from './normalise.ts';
import { splitSentences } from './sentences.ts';

describe('fold', () => {
  it.each([
    ['Путина', 'путина'],
    ['ЁЛКА', 'елка'],
    ['Zürich Café', 'zurich cafe'],
    ['Київ, Україна', 'киів, украіна'],
    ['Зеленський', 'зеленськии'],
    ['won\u2019t', "won't"],
    ['a\u00a0b\tc', 'a b c'],
    ['Cafe\u0301', 'cafe'],
  ])('%s → %s', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('keeps the length of precomposed text, so sentence offsets carry over', () => {
    const s = 'Élysée: Путин, Зеленський і Трамп. Ёж.';
    expect(fold(s)).toHaveLength(s.length);
  });
});

describe('splitSentences', () => {
  it.each([
    [
      'en',
      'Trump met Putin. Talks go on! Will they end? Yes.',
      ['Trump met Putin.', 'Talks go on!', 'Will they end?', 'Yes.'],
    ],
    [
      'ru',
      'Путин встретился с Трампом. Переговоры продолжатся.',
      ['Путин встретился с Трампом.', 'Переговоры продолжатся.'],
    ],
    ['uk', 'Зустріч відбулася. Переговори триватимуть.', ['Зустріч відбулася.', 'Переговори триватимуть.']],
    ['en', 'Line one\nLine two', ['Line one', 'Line two']],
    [
      'en',
      'The U.S. President met Putin. Mr. Witkoff flew to St. Petersburg. J. D. Vance spoke.',
      ['The U.S. President met Putin.', 'Mr. Witkoff flew to St. Petersburg.', 'J. D. Vance spoke.'],
    ],
    ['en', 'He said "talks are over." Then he left.', ['He said "talks are over."', 'Then he left.']],
    ['en', 'Talks e.g. in Geneva went on. next', ['Talks e.g. in Geneva went on. next']],
    [
      'ru',
      'В 2025 г. Путин встретился с Трампом. Ст. 5 НАТО обсуждалась.',
      ['В 2025 г. Путин встретился с Трампом.', 'Ст. 5 НАТО обсуждалась.'],
    ],
  ])('%s: %s', (lang, text, expected) => {
    expect(splitSentences(text, lang).map((s) => s.text)).toEqual(expected);
  });

  it('folds each sentence, whether or not the caller folded the text', () => {
    const text = 'Cafe\u0301 talks. ЁЖ.';
    const a = splitSentences(text, 'en');
    const b = splitSentences(text, 'en', fold(text));
    expect(a.map((s) => s.folded)).toEqual(['cafe talks.', 'еж.']);
    expect(b).toEqual(a);
  });
});
