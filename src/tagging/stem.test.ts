// Morphology: `~` terms match inflected English, Russian and Ukrainian forms by Snowball stem; `stem: true`; synonym groups.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PackError, parsePack } from '../pack/load.ts';
import { ruleSchema } from '../pack/rule-schema.ts';
import { type IndicatorInput, compileIndicators } from './compile.ts';
import { stemWord } from './stem.ts';
import { tagText } from './tag-text.ts';

const ev = (id: string, rules: Record<string, unknown>[]): IndicatorInput => ({
  id,
  kind: 'event',
  rules: rules.map((r) => ruleSchema.parse(r)),
  numbers: undefined,
});

const compiled = compileIndicators([
  ev('talks', [{ id: 'talks', any: ['~переговоры', '~переговори', '~talks'] }]),
  ev('peace_plan', [{ id: 'plan', any: ['~мирный ~план', '~мирний ~план'] }]),
  ev('world', [{ id: 'world', any: ['~мир'] }]),
  ev('sanctions', [{ id: 'sanctions', any: ['~санкції', '~policy'] }]),
  ev('truce', [{ id: 'truce', stem: true, any: ['перемирие'], none: ['Газа'] }]),
  ev('meeting', [{ id: 'meeting', all: [['Путин*'], ['~встреча']], none: ['~отмена'] }]),
]);

const ids = (title: string, language: string | null = null) =>
  tagText(compiled, { title, summary: '', text: '', language })
    .map((t) => t.indicatorId)
    .sort();

describe('stems', () => {
  it.each([
    ['переговорах', 'ru', 'переговор'],
    ['переговоров', 'ru', 'переговор'],
    ['мирный', 'ru', 'мирн'],
    ['мирного', 'ru', 'мирн'],
    ['переговорів', 'uk', 'переговор'],
    ['санкцій', 'uk', 'санкц'],
    ['санкціями', 'uk', 'санкц'],
    ['україною', 'uk', 'украін'],
    ['talks', 'en', 'talk'],
    ['policies', 'en', 'polici'],
  ] as const)('%s (%s) → %s', (word, lang, stem) => {
    expect(stemWord(word, lang)).toBe(stem);
  });
});

describe('~ terms', () => {
  it.each([
    ['Переговоры в Абу-Даби', ['talks']],
    ['Новый раунд переговоров в Женеве', ['talks']],
    ['О переговорах ничего не известно', ['talks']],
    ['Переговорів у Маямі не буде', ['talks']],
    ['Talking about talks', ['talks']],
    ['Обсуждение мирного плана', ['peace_plan']],
    ['Зеленський про мирний план', ['peace_plan']],
    ['Обговорення мирного плану', ['peace_plan']],
    ['США вводять нові санкції', ['sanctions']],
    ['Нових санкцій не буде', ['sanctions']],
    ['Санкціями не налякати', ['sanctions']],
    ['New policies on Russia', ['sanctions']],
    // Same first letters, another stem: not a match (a `мир*` prefix would take these).
    ['Мировой рынок нефти', []],
    ['Переговорщик прилетел', []],
    ['Мира не будет', ['world']],
  ])('%s → %j', (title, expected) => {
    expect(ids(title)).toEqual(expected);
  });

  it('stem: true stems every plain word of the rule, in `none` too', () => {
    expect(ids('Перемирия не будет')).toEqual(['truce']);
    expect(ids('О перемирии договорились')).toEqual(['truce']);
    expect(ids('Перемирие в Газе')).toEqual([]);
  });

  it('an exclusion by stem drops the sentence', () => {
    expect(ids('Встреча Путина и Трампа')).toEqual(['meeting']);
    expect(ids('Встречу Путина отменили: отмена встречи')).toEqual([]);
  });

  it('matches the same on decomposed text (the per-sentence path) as on composed text', () => {
    const composed = 'Новый раунд переговоров: мирного плана нет';
    expect(ids(composed.normalize('NFD').replace('н', 'н\u0301'))).toEqual(ids(composed));
  });

  it('rejects a ~ word that is also a prefix, and a ~ with no word', () => {
    expect(ruleSchema.safeParse({ id: 'x', any: ['~мир*'] }).success).toBe(false);
    expect(ruleSchema.safeParse({ id: 'x', any: ['~'] }).success).toBe(false);
    expect(ruleSchema.safeParse({ id: 'x', any: ['/~a/'] }).success).toBe(true);
  });
});

const pack = (extra: Record<string, unknown>, rules: Record<string, unknown>[]) =>
  stringify({
    id: 'syn',
    title: 'Synonyms',
    question: 'Which?',
    horizon: '2027-01-31',
    scenarios: [
      { id: 'a', name: 'A', prior: 0.5, resolution: 'a' },
      { id: 'b', name: 'B', prior: 0.5, resolution: 'b' },
    ],
    indicators: [
      { id: 'talks', name: 'Talks', likelihoods: { a: 2, b: 1 }, rules },
      {
        id: 'envoys',
        name: 'Envoys',
        likelihoods: { a: 1, b: 2 },
        rules: [{ id: 'e', all: [['Witkoff', 'Уиткофф*'], ['@talks']] }],
      },
    ],
    ...extra,
  });

describe('synonym groups', () => {
  it('a @group term stands for every term of the group, in every rule that names it', () => {
    const loaded = parsePack(
      pack({ synonyms: { talks: ['talks', '~переговоры'] } }, [{ id: 't', any: ['@talks', 'negotiations'] }]),
      'p.yaml',
    );
    expect(loaded.pack.indicators[0]!.rules[0]!.any).toEqual(['talks', '~переговоры', 'negotiations']);
    const c = compileIndicators(loaded.pack.indicators);
    const tags = (title: string) =>
      tagText(c, { title, summary: '', text: '', language: null })
        .map((t) => t.indicatorId)
        .sort();
    expect(tags('Уиткофф прибыл на переговорах в Москве')).toEqual(['envoys', 'talks']);
    expect(tags('Witkoff to hold talks')).toEqual(['envoys', 'talks']);
    expect(tags('Witkoff on Gaza')).toEqual([]);
  });

  it('changing a group changes the rules hash (stored tags go stale)', () => {
    const rules = [{ id: 't', any: ['@talks'] }];
    const a = parsePack(pack({ synonyms: { talks: ['talks'] } }, rules), 'p.yaml');
    const b = parsePack(pack({ synonyms: { talks: ['talks', 'negotiations'] } }, rules), 'p.yaml');
    expect(a.rulesHash).not.toBe(b.rulesHash);
  });

  it('reports an unknown group, a bad group name, an empty group and a group naming a group', () => {
    const problems = (text: string) => {
      try {
        parsePack(text, 'p.yaml');
      } catch (e) {
        return (e as PackError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      return [];
    };
    expect(problems(pack({ synonyms: { talks: ['talks'] } }, [{ id: 't', any: ['@talk'] }]))).toEqual([
      'indicators[0].rules[0].any[0]: unknown synonym group "@talk" (defined: talks)',
    ]);
    expect(problems(pack({}, [{ id: 't', any: ['talks'] }]))).toEqual([
      'indicators[1].rules[0].all[1][0]: unknown synonym group "@talks" (the pack defines no synonyms)',
    ]);
    const bad = problems(pack({ synonyms: { Talks: ['x'], talks: [], other: ['@talks'] } }, []));
    expect(bad.join('\n')).toContain('synonyms.Talks');
    expect(bad.join('\n')).toContain('synonyms.talks: a synonym group needs at least one term');
    expect(bad.join('\n')).toContain('synonyms.other[0]: a synonym group lists terms, not other groups');
  });
});
