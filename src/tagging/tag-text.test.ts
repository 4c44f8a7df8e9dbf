// Table-driven matcher tests: every rule feature, boundaries, inflections, polarity and modality in en/ru/uk.
import { describe, expect, it } from 'vitest';
import { ruleSchema } from '../pack/rule-schema.ts';
import { type IndicatorInput, compileIndicators } from './compile.ts';
import { type TagDraft, tagText } from './tag-text.ts';

const rule = (r: Record<string, unknown>) => ruleSchema.parse(r);
const ev = (id: string, rules: Record<string, unknown>[]): IndicatorInput => ({
  id,
  kind: 'event',
  rules: rules.map(rule),
  numbers: undefined,
});

const ACTORS_US = ['Trump', 'US president', 'Трамп*'];
const ACTORS_RU = ['Putin*', 'Путин*'];
const EVENT = ['meet*', 'met', 'summit*', 'talks', 'встреч*', 'встрет*', 'саммит*', 'зустр*', 'переговор*'];

const compiled = compileIndicators([
  ev('principal_meeting', [{ id: 'pm.trump-putin', all: [ACTORS_US, ACTORS_RU, EVENT] }]),
  ev('near', [{ id: 'near.within', all: [['Witkoff'], ['Dmitriev']], within: 3 }]),
  ev('iran', [{ id: 'iran.any', any: ['Iran'] }]),
  ev('excl', [{ id: 'excl.none', any: ['sanction*'], none: ['Venezuela', 'Iran*'] }]),
  ev('ru_only', [{ id: 'ru.lang', lang: ['ru'], any: ['мирн* план*'] }]),
  ev('phrase', [{ id: 'phrase.cotw', any: ['coalition of the willing'] }]),
  ev('diacritic', [{ id: 'dia.zurich', any: ['Zürich', 'ёлка'] }]),
  ev('regex', [{ id: 'regex.points', any: ['/(?<![\\p{L}\\p{N}])(19|20|28)[ -]point/'] }]),
  ev('rejection', [
    {
      id: 'rej.terms',
      all: [
        ['Kremlin', 'Moscow'],
        ['reject*', 'dismiss*'],
      ],
    },
  ]),
]);

const tag = (title: string, language: string | null = 'en', text = ''): TagDraft[] =>
  tagText(compiled, { title, summary: '', text, language });
const ids = (title: string, language: string | null = 'en') =>
  tag(title, language)
    .map((t) => t.indicatorId)
    .sort();

describe('rule features', () => {
  it.each([
    ['all: every group in one sentence', 'Trump will meet Putin in Budapest', ['principal_meeting']],
    ['all: a group missing does not fire', 'Trump says Putin wants the war to go on', []],
    ['all: groups split across sentences do not fire', 'Trump spoke in Florida. Putin held a summit with Xi.', []],
    ['within: close enough', 'Witkoff and Dmitriev spoke', ['near']],
    ['within: too far apart', 'Witkoff flew to Moscow on Tuesday where he later saw Dmitriev', []],
    ['any: one term', 'Talks with Iran', ['iran']],
    ['none: excluded by a prefix term', 'New sanctions on Iranian oil', []],
    ['boundaries: Iran is not inside Ukraine', 'Ukraine rejects the plan', []],
    ['none: excluded term in the sentence', 'US sanctions Venezuela oil', []],
    ['none: only excludes its own sentence', 'US sanctions Rosneft. Venezuela is elsewhere.', ['excl']],
    ['phrase with hyphen and spaces', 'The coalition-of-the   willing meets in Paris', ['phrase']],
    ['diacritics folded', 'Talks in ZURICH', ['diacritic']],
    ['ё matches е', 'Новогодняя елка', ['diacritic']],
    ['regex term', 'A new 20-point plan', ['regex']],
  ])('%s', (_name, title, expected) => {
    expect(ids(title as string)).toEqual(expected);
  });

  it.each([
    ['ru', ['ru_only']],
    ['uk', []],
    ['en', []],
    [null, ['ru_only']],
  ])('lang: a ru rule (prefix on every word of a phrase) on an article in %s', (language, expected) => {
    expect(ids('Новый мирный план США', language as string | null)).toEqual(expected);
  });
});

describe('Cyrillic inflections and boundaries', () => {
  it.each([
    ['Трамп встретится с Путиным в Будапеште', 'ru', true],
    ['Встреча Трампа и Путина не планируется', 'ru', true],
    ['Зустріч Трампа і Путіна', 'uk', false],
    ['Трамп і Путін обговорили зустріч', 'uk', false],
    ['Трамп обсудил встречу с Распутиным', 'ru', false],
  ])('%s', (title, language, fires) => {
    expect(ids(title as string, language as string).includes('principal_meeting')).toBe(fires);
  });

  it('a story naming Putin and Trump without a meeting does not fire the meeting rule', () => {
    expect(ids('Trump blames Putin for the war as Russia presses on in Donbas')).toEqual([]);
    expect(ids('Трамп раскритиковал Путина за удары по Киеву', 'ru')).toEqual([]);
  });
});

describe('polarity and modality', () => {
  it.each([
    ['Trump met Putin in Alaska', 'affirmed', 'held'],
    ['Trump meets Putin in Budapest', 'affirmed', 'held'],
    ['Trump will meet Putin next week', 'affirmed', 'scheduled'],
    ['A Trump-Putin summit is scheduled for December', 'affirmed', 'scheduled'],
    ['Trump proposed a summit with Putin', 'affirmed', 'proposed'],
    ['Putin offered to meet Trump in Moscow', 'affirmed', 'proposed'],
    ['The Trump-Putin summit was called off', 'negated', 'cancelled'],
    ['Trump cancelled his meeting with Putin', 'negated', 'cancelled'],
    ['Trump-Putin talks postponed', 'negated', 'cancelled'],
    ['Trump-Putin summit pushed back to January', 'negated', 'cancelled'],
    ['Trump could meet Putin before Christmas', 'affirmed', 'speculative'],
    ['Putin did not rule out a meeting with Trump', 'affirmed', 'speculative'],
    ['There are no plans for Trump to meet Putin', 'negated', null],
    ['The Kremlin ruled out a Trump-Putin summit', 'negated', null],
    ['Trump will not meet Putin, the White House said', 'negated', 'scheduled'],
    ['Trump and Putin held talks that were not only long but useful', 'affirmed', 'held'],
  ])('en: %s', (title, polarity, modality) => {
    const [t] = tag(title as string);
    expect(t).toMatchObject({ indicatorId: 'principal_meeting', polarity, modality });
  });

  it.each([
    ['Путин и Трамп встретились на Аляске', 'affirmed', 'held'],
    ['Трамп и Путин встретятся на следующей неделе', 'affirmed', 'scheduled'],
    ['Встреча Путина и Трампа не планируется, заявил Песков', 'negated', 'scheduled'],
    ['Трамп предложил Путину встречу', 'affirmed', 'proposed'],
    ['Саммит Трампа и Путина отменен', 'negated', 'cancelled'],
    ['Путин отказался от встречи с Трампом', 'negated', null],
    ['Путин не исключил встречи с Трампом', 'affirmed', 'speculative'],
  ])('ru: %s', (title, polarity, modality) => {
    const [t] = tag(title as string, 'ru');
    expect(t).toMatchObject({ indicatorId: 'principal_meeting', polarity, modality });
  });

  it.each([
    ['Трамп і Путін провели зустріч', 'affirmed', 'held'],
    ['Зустріч Трампа з Путіним відклали', 'negated', 'cancelled'],
    ['Зустрічі Трампа і Путіна не буде', 'negated', 'scheduled'],
    ['Трамп запропонував Путіну зустріч', 'affirmed', 'proposed'],
    ['Трамп може зустрітися з Путіним', 'affirmed', 'speculative'],
  ])('uk: %s', (title, polarity, modality) => {
    const uk = compileIndicators([
      ev('principal_meeting', [{ id: 'pm.uk', all: [['Трамп*'], ['Путін*'], ['зустр*']] }]),
    ]);
    const [t] = tagText(uk, { title: title as string, summary: '', text: '', language: 'uk' });
    expect(t).toMatchObject({ indicatorId: 'principal_meeting', polarity, modality });
  });

  it('a negation far from the match in a long sentence does not negate it', () => {
    const [t] = tag(
      'Trump will meet Putin in Budapest next month, officials said on Friday, while Zelensky, who was not invited, stayed in Kyiv',
    );
    expect(t?.polarity).toBe('affirmed');
  });

  it.each([
    ['Trump will meet Putin; a truce was rejected'],
    ['Trump will meet Putin, but a truce was rejected'],
    ['Трамп встретится с Путиным, но перемирие отвергнуто'],
  ])('a cue in another clause does not negate the match: %s', (title) => {
    expect(tag(title, null)[0]).toMatchObject({ indicatorId: 'principal_meeting', polarity: 'affirmed' });
  });

  it("a cue inside the rule's own terms does not negate it", () => {
    expect(tag('The Kremlin rejected the 28-point plan').find((t) => t.indicatorId === 'rejection')).toMatchObject({
      indicatorId: 'rejection',
      polarity: 'affirmed',
    });
  });

  it('fixed polarity, modality and confidence win over the cues', () => {
    const [t] = tagText(
      compileIndicators([
        ev('fixed', [{ id: 'f', any: ['summit'], polarity: 'affirmed', modality: 'held', confidence: 0.5 }]),
      ]),
      {
        title: 'The summit was cancelled',
        summary: '',
        text: '',
        language: 'en',
      },
    );
    expect(t).toMatchObject({ polarity: 'affirmed', modality: 'held', confidence: 0.5 });
  });
});

describe('fields, confidence and explanation', () => {
  it('keeps one tag per indicator: the title beats the text', () => {
    const tags = tag('Trump to meet Putin', 'en', 'Trump met Putin once before. Trump will meet Putin again.');
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatchObject({
      field: 'title',
      confidence: 1,
      snippet: 'Trump to meet Putin',
      ruleId: 'pm.trump-putin',
      numbers: null,
    });
  });

  it('a match in the text alone weighs less and quotes its sentence', () => {
    const [t] = tag(
      'Diplomacy update',
      'en',
      'Officials spoke on Monday. Trump and Putin held talks by phone. More later.',
    );
    expect(t).toMatchObject({ field: 'text', confidence: 0.8, snippet: 'Trump and Putin held talks by phone.' });
  });

  it('a higher-confidence rule in the summary beats a weaker one in the title', () => {
    const c = compileIndicators([
      ev('x', [
        { id: 'weak', any: ['summit'], confidence: 0.5 },
        { id: 'strong', any: ['Budapest'] },
      ]),
    ]);
    const [t] = tagText(c, { title: 'A summit soon', summary: 'The venue is Budapest.', text: '', language: 'en' });
    expect(t).toMatchObject({ ruleId: 'strong', field: 'summary', confidence: 0.9 });
  });

  it('an abbreviation does not cut a sentence in two: "U.S. President Trump" still meets Putin', () => {
    expect(ids('The U.S. President Trump will meet Putin')).toEqual(['principal_meeting']);
  });

  it('a sentence never spans two fields', () => {
    expect(
      tagText(compiled, { title: 'Trump speaks', summary: 'Putin summit soon', text: '', language: 'en' }),
    ).toEqual([]);
  });

  it('folds decomposed text too (the per-sentence path)', () => {
    expect(
      tagText(compiled, { title: 'Talks in Zu\u0308rich', summary: '', text: '', language: 'en' }).map(
        (t) => t.indicatorId,
      ),
    ).toEqual(['diacritic']);
  });

  it('tags nothing in an empty article', () => {
    expect(tagText(compiled, { title: '', summary: '', text: '', language: null })).toEqual([]);
  });
});
