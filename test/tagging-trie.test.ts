// The trie scan against the straightforward matcher (one global regex per term): same hits, same tags, on the labelled set, the bench's articles and random texts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeArticles } from '../bench/tagging-articles.ts';
import { loadPack } from '../src/pack/load.ts';
import { compileIndicators } from '../src/tagging/compile.ts';
import { parseLabelled } from '../src/tagging/evaluate.ts';
import { fold } from '../src/tagging/normalise.ts';
import { CUES } from '../src/tagging/polarity.ts';
import { type TagInput, tagText } from '../src/tagging/tag-text.ts';
import { type Span, type TermHits, TermTable, termSource } from '../src/tagging/terms.ts';

const PACKS = ['packs/ukraine-peace.yaml', 'packs/ukraine-peace-2025.yaml'];

/** What the matcher did before the trie: each term's own regex, scanned globally (leftmost, non-overlapping). */
const regexes = new WeakMap<TermTable, RegExp[]>();
function referenceHits(table: TermTable, folded: string): TermHits {
  let res = regexes.get(table);
  if (!res || res.length !== table.keys.length)
    regexes.set(table, (res = table.keys.map((key) => new RegExp(termSource(key), 'g'))));
  return res.map((re) => {
    re.lastIndex = 0;
    const spans: Span[] = [];
    for (let m = re.exec(folded); m !== null; m = re.exec(folded))
      spans.push({ start: m.index, end: m.index + m[0].length });
    return spans.length > 0 ? spans : undefined;
  });
}

function labelledDocs(): TagInput[] {
  const items = ['dev', 'heldout'].flatMap((part) => {
    const file = path.resolve(`test/fixtures/tagging/labelled-${part}.jsonl`);
    return parseLabelled(readFileSync(file, 'utf8'), file);
  });
  return items.flatMap((i) => [
    { title: i.title, summary: i.summary, text: '', language: i.language },
    // Unknown language (every rule), fields repeated in the text: more sentences, more rules in play.
    { title: i.title, summary: i.summary, text: `${i.summary}\n${i.title}. ${i.summary}`, language: null },
  ]);
}

/** Random texts woven from the terms' own pieces, separators and boundaries: where a hand-written matcher would slip. */
function randomTexts(terms: readonly string[], n: number): string[] {
  let s = 7;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const words = terms.flatMap((t) => t.replace(/\*/g, '').split(' '));
  const glue = [' ', '  ', '-', ' - ', "'", '.', ', ', 'x', 'ы', '1', '\u00a0', ''];
  const out: string[] = [
    'no no no no',
    'talks talk-talking talked',
    'a a a a a a a',
    "we'll 'll",
    'cease - fire, cease--fire',
  ];
  for (let i = 0; i < n; i += 1) {
    const parts: string[] = [];
    for (let k = 0, len = 2 + Math.floor(rand() * 12); k < len; k += 1) {
      const w = words[Math.floor(rand() * words.length)]!;
      parts.push(
        rand() < 0.3 ? w.slice(0, 1 + Math.floor(rand() * w.length)) : w,
        glue[Math.floor(rand() * glue.length)]!,
      );
    }
    out.push(parts.join(''));
  }
  return out;
}

const docs = [...labelledDocs(), ...makeArticles(300, 42), ...makeArticles(300, 7)];
const SLOW = { timeout: 180_000 };

describe('trie scan = one regex per term', () => {
  const cueTable = new TermTable();
  for (const list of Object.values(CUES)) for (const t of list) cueTable.intern(t);
  // Terms that overlap themselves, start with a non-letter, hold dots, hyphens, apostrophes, or are a single letter.
  const tricky = new TermTable();
  for (const t of [
    'no no',
    'talk* talk*',
    'a a a',
    "'ll",
    'cease fire',
    'u.s.',
    'kh-101',
    'мирн* план*',
    '20-point',
    'a',
    'x*',
    'е-',
    "don't",
    'b -c',
    'd*  e*',
  ])
    tricky.intern(t);
  const tables = [
    ...PACKS.map((p) => compileIndicators(loadPack(path.resolve(p)).pack.indicators).table),
    cueTable,
    tricky,
  ];

  it('keeps a term for its regex when the trie could not match it the same way', () => {
    expect(tricky.intern('b -c')).toBeNull();
    expect(tricky.intern('D*   E*')).toBe(tricky.intern('d* e*'));
  });

  it('finds the same matches of every term on the labelled set and the bench articles', SLOW, () => {
    for (const table of tables) {
      expect(table.terms).toBeGreaterThan(10);
      for (const d of docs) {
        const folded = fold(`${d.title}\n\n${d.summary}\n\n${d.text}`);
        expect(table.scan(folded)).toEqual(referenceHits(table, folded));
      }
    }
  });

  it('finds the same matches on random texts built from the terms themselves', SLOW, () => {
    for (const table of tables) {
      for (const text of randomTexts(table.keys, 1500)) {
        const folded = fold(text);
        expect(table.scan(folded), JSON.stringify(text)).toEqual(referenceHits(table, folded));
      }
    }
  });

  it('tags every document exactly as with the regex hits', SLOW, () => {
    for (const p of PACKS) {
      const fast = compileIndicators(loadPack(path.resolve(p)).pack.indicators);
      const slow = compileIndicators(loadPack(path.resolve(p)).pack.indicators);
      slow.table.scan = (folded: string) => referenceHits(slow.table, folded);
      let tags = 0;
      for (const d of docs) {
        const got = tagText(fast, d);
        expect(got).toEqual(tagText(slow, d));
        tags += got.length;
      }
      expect(tags).toBeGreaterThan(500);
    }
  });
});
