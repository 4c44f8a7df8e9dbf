// Checks the bundled demo corpus (demo/corpus/): it decodes, parses, stays in its dates and exercises clustering and strike volume.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../demo/corpus/', import.meta.url));
const FIRST = Date.parse('2025-11-01T00:00:00Z');
const END = Date.parse('2026-02-01T00:00:00Z'); // exclusive: 31 January 2026 is the last day

interface Outlet {
  file: string;
  name: string;
  tier: number;
  language: string;
  encoding: string;
}
interface Item {
  outlet: string;
  language: string;
  title: string;
  link: string;
  guid: string;
  iso: string;
  day: string;
  text: string;
}

const outlets = JSON.parse(readFileSync(DIR + 'outlets.json', 'utf8')) as Outlet[];
const rawByFile = new Map<string, Buffer>();
const items: Item[] = [];

/** Words that carry meaning in a headline: letters or digits, lower-cased, short function words dropped. */
const STOP = new Set([
  'says',
  'said',
  'after',
  'with',
  'from',
  'that',
  'this',
  'than',
  'into',
  'over',
  'will',
  'have',
  'their',
  'what',
  'when',
]);
function words(title: string): Set<string> {
  const all = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(all.filter((w) => (/^\p{N}+$/u.test(w) || w.length >= 4) && !STOP.has(w)));
}
function similar(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  const shared = [...wa].filter((w) => wb.has(w)).length;
  return shared >= 3 || shared / (wa.size + wb.size - shared) >= 0.3;
}

// A count next to a drone or missile unit, in either order ("653 drones", "51 ракету", "ракет — 51").
const UNIT = String.raw`(?:drones?|missiles?|дрон\p{L}*|ракет\p{L}*|беспилотник\p{L}*)`;
const COUNT_FIRST = new RegExp(String.raw`(?<![\p{L}\p{N}])\d+\s+${UNIT}(?![\p{L}])`, 'iu');
const UNIT_FIRST = new RegExp(String.raw`(?<![\p{L}])${UNIT}\s*[—–:-]\s*\d+`, 'iu');
const hasStrikeCount = (text: string): boolean => COUNT_FIRST.test(text) || UNIT_FIRST.test(text);

beforeAll(async () => {
  const parser = new Parser();
  for (const o of outlets) {
    const bytes = readFileSync(DIR + o.file);
    rawByFile.set(o.file, bytes);
    const xml = iconv.decode(bytes, o.encoding);
    const feed = await parser.parseString(xml);
    for (const it of feed.items) {
      const iso = it.isoDate ?? '';
      items.push({
        outlet: o.file,
        language: o.language,
        title: it.title ?? '',
        link: it.link ?? '',
        guid: it.guid ?? '',
        iso,
        day: iso.slice(0, 10),
        text: `${it.title ?? ''} ${it.content ?? ''}`,
      });
    }
  }
});

describe('demo corpus', () => {
  it('lists every corpus file in outlets.json and every listed outlet exists', () => {
    const onDisk = readdirSync(DIR)
      .filter((f) => f.endsWith('.xml'))
      .sort();
    expect(outlets.map((o) => o.file).sort()).toEqual(onDisk);
    expect(outlets.length).toBeGreaterThanOrEqual(6);
    for (const o of outlets) {
      expect(o.tier).toBeGreaterThanOrEqual(1);
      expect(o.tier).toBeLessThanOrEqual(5);
      expect(o.name.length).toBeGreaterThan(0);
      expect(['en', 'ru', 'uk']).toContain(o.language);
      const declaration = rawByFile.get(o.file)!.subarray(0, 100).toString('latin1');
      expect(declaration).toContain(`encoding="${o.encoding}"`);
      expect(items.filter((i) => i.outlet === o.file).length).toBeGreaterThanOrEqual(15);
    }
  });

  it('holds at least 160 complete items, each dated 2025-11-01..2026-01-31 with a fictional .example link', () => {
    expect(items.length).toBeGreaterThanOrEqual(160);
    for (const i of items) {
      const t = Date.parse(i.iso);
      expect(Number.isNaN(t), `${i.outlet}: ${i.title}`).toBe(false);
      expect(t, `${i.outlet}: ${i.title} ${i.iso}`).toBeGreaterThanOrEqual(FIRST);
      expect(t, `${i.outlet}: ${i.title} ${i.iso}`).toBeLessThan(END);
      expect(i.title.length).toBeGreaterThan(10);
      expect(i.link).toMatch(/^https:\/\/[a-z-]+\.example\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9-]+$/);
      expect(i.guid.length).toBeGreaterThan(0);
      const sentences = i.text.split(/[.!?]\s/).length;
      expect(sentences, i.title).toBeGreaterThanOrEqual(2);
    }
  });

  it('has unique guids and links within each file', () => {
    for (const o of outlets) {
      const mine = items.filter((i) => i.outlet === o.file);
      expect(new Set(mine.map((i) => i.guid)).size).toBe(mine.length);
      expect(new Set(mine.map((i) => i.link)).size).toBe(mine.length);
    }
  });

  it('has at least 30 items in Russian or Ukrainian, written in Cyrillic', () => {
    const nonEnglish = items.filter((i) => i.language !== 'en');
    expect(nonEnglish.length).toBeGreaterThanOrEqual(30);
    for (const i of nonEnglish) expect(i.title, i.title).toMatch(/\p{Script=Cyrillic}{3,}/u);
    expect(new Set(nonEnglish.map((i) => i.language))).toEqual(new Set(['ru', 'uk']));
  });

  it('stores the windows-1251 outlet as real cp1251 bytes that decode to correct Cyrillic', () => {
    const cp = outlets.filter((o) => o.encoding === 'windows-1251');
    expect(cp.length).toBeGreaterThanOrEqual(1);
    for (const o of cp) {
      const bytes = rawByFile.get(o.file)!;
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // not UTF-8 in disguise
      const text = iconv.decode(bytes, 'windows-1251');
      expect(text).not.toContain('\uFFFD');
      for (const word of ['Песков', 'Ушаков', 'Кремл', 'Анкоридж', 'переговор', 'ракет']) expect(text).toContain(word);
      const titles = items.filter((i) => i.outlet === o.file).map((i) => i.title);
      expect(titles).toContain('Песков: нам нужен мир, а не перемирие на Рождество');
    }
  });

  it('syndicates at least 10 stories across two or more outlets on the same day with similar titles', () => {
    const stories: Set<string>[] = []; // each story = the outlets carrying it
    const byDay = new Map<string, Item[]>();
    for (const i of items) byDay.set(i.day, [...(byDay.get(i.day) ?? []), i]);
    for (const dayItems of byDay.values()) {
      const seen = new Set<Item>();
      for (const a of dayItems) {
        if (seen.has(a)) continue;
        const group = dayItems.filter(
          (b) => b === a || (b.outlet !== a.outlet && !seen.has(b) && similar(a.title, b.title)),
        );
        group.forEach((g) => seen.add(g));
        const carriers = new Set(group.map((g) => g.outlet));
        if (carriers.size >= 2) stories.push(carriers);
      }
    }
    expect(stories.length).toBeGreaterThanOrEqual(10);
    expect(stories.some((s) => s.size >= 3)).toBe(true);
  });

  it('gives drone or missile counts on at least 20 distinct days, in all three languages', () => {
    const counted = items.filter((i) => hasStrikeCount(i.text));
    expect(new Set(counted.map((i) => i.day)).size).toBeGreaterThanOrEqual(20);
    expect(new Set(counted.map((i) => i.language))).toEqual(new Set(['en', 'ru', 'uk']));
    expect(counted.some((i) => /653 drones and 51 missiles/.test(i.text))).toBe(true);
    expect(counted.some((i) => /ракет — 51/.test(i.text))).toBe(true);
    expect(counted.some((i) => /\d+ дронів/.test(i.text))).toBe(true);
  });

  it('reports as it happened: no deal by Thanksgiving and no ceasefire announced by the end of January', () => {
    const byThanksgiving = items.filter((i) => i.iso < '2025-11-28');
    expect(byThanksgiving.some((i) => /without a deal|no deal/i.test(i.text))).toBe(true);
    expect(items.some((i) => i.day >= '2026-01-29' && /no broader ceasefire/i.test(i.text))).toBe(true);
    expect(
      items.filter((i) =>
        /ceasefire (?:was|has been|is) (?:agreed|signed)|peace (?:deal|agreement) (?:was |has been )?signed/i.test(
          i.text,
        ),
      ),
    ).toEqual([]);
  });
});
