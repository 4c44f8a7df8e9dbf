// The learned model: threshold choice, deterministic training (same data → same bytes, data hash recorded), model tags with features.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../pack/load.ts';
import { compileIndicators } from '../compile.ts';
import { hashItems, splitByDate } from '../labelled.ts';
import { loadLabelled } from '../../pipeline/labelled-files.ts';
import { MODEL_RULE_ID } from '../model-tags.ts';
import { tagText } from '../tag-text.ts';
import { featurize } from './features.ts';
import { TagModelError, parseModel } from './tag-model.ts';
import { chooseThreshold, modelText, trainTagModel } from './train.ts';

const FIXTURE = path.resolve('test/fixtures/tagging-model');
const loaded = loadPack(path.join(FIXTURE, 'pack.yaml'), process.cwd(), { requireModel: false });
const ids = loaded.pack.indicators.map((i) => i.id);
const rules = compileIndicators(loaded.pack.indicators);
const { train } = splitByDate(loadLabelled([path.join(FIXTURE, 'labelled.jsonl')]).items, '2026-03-01');
const input = { packId: loaded.pack.id, indicatorIds: ids, rules, items: train };

describe('chooseThreshold', () => {
  it('picks the threshold where "rule or model" has the best F1, by hand', () => {
    // Labels 1 1 1 0 0; the rule finds item 0; probabilities .9 .6 .3 .7 .1.
    const labels = [true, true, true, false, false];
    const rule = [true, false, false, false, false];
    const probs = [0.9, 0.6, 0.3, 0.7, 0.1];
    // Rules alone: tp 1, fn 2 → F1 2/4 = 0.5. At t ≤ 0.3: tp 3, fp 1 → 6/7. At 0.3 < t ≤ 0.6: tp 2, fp 1, fn 1 → 4/6.
    const c = chooseThreshold(labels, rule, probs);
    expect(c.rulesF1).toBe(0.5);
    expect(c.combinedF1).toBeCloseTo(6 / 7, 12);
    expect(c.threshold).toBe(0.3); // the highest threshold reaching 6/7
    expect(c.modelF1).toBeCloseTo(6 / 7, 12);
  });

  it('turns the model off when no threshold beats the rules', () => {
    const c = chooseThreshold([true, false], [true, false], [0.2, 0.9]);
    expect(c).toMatchObject({ threshold: null, rulesF1: 1, combinedF1: 1 });
  });
});

describe('trainTagModel', () => {
  const model = trainTagModel(input);

  it('is deterministic: the same data gives byte-identical files, and records the data hash and pack ids', () => {
    const again = trainTagModel({ ...input, items: [...train].reverse() });
    expect(modelText(again)).toBe(modelText(model));
    expect(model.training.sha256).toBe(hashItems(train));
    expect(model.training.items).toBe(train.length);
    expect(model.indicators).toEqual(ids);
    const fewer = trainTagModel({ ...input, items: train.slice(1) });
    expect(fewer.training.sha256).not.toBe(model.training.sha256);
  });

  it('learns wording the rules miss, and its tags carry their strongest features', () => {
    const tagModel = parseModel(modelText(model), 'm.json', ids);
    const compiled = compileIndicators(loaded.pack.indicators, tagModel);
    const doc = {
      title: 'Стороны обсуждают перемирие на Пасху',
      summary: 'Перемирие может начаться в полночь.',
      text: '',
      language: 'ru',
    };
    expect(tagText(rules, doc)).toEqual([]);
    const tags = tagText(compiled, doc);
    const truce = tags.find((t) => t.indicatorId === 'truce');
    expect(truce).toBeDefined();
    expect(truce!.ruleId).toBe(MODEL_RULE_ID);
    expect(truce!.features!.length).toBeGreaterThan(0);
    expect(truce!.features!.map((f) => f.feature)).toContain('word:перемир');
    for (const f of truce!.features!) expect(f.weight).toBeGreaterThan(0);
    const p = tagModel.probabilities({ title: doc.title, summary: doc.summary, language: 'ru' })[ids.indexOf('truce')]!;
    expect(p).toBeGreaterThanOrEqual(tagModel.thresholds[ids.indexOf('truce')]!);
    expect(truce!.confidence).toBeCloseTo(p, 2);
    // A rule hit keeps its rule tag (and no features).
    const ruled = tagText(compiled, { title: 'A ceasefire is announced', summary: '', text: '', language: 'en' });
    expect(ruled.find((t) => t.indicatorId === 'truce')).toMatchObject({ ruleId: 'truce.word' });
    expect(ruled.find((t) => t.indicatorId === 'truce')!.features).toBeUndefined();
  });

  it('reads a model tag polarity by cues, or always affirmed, as the model file says per indicator', () => {
    for (const id of ids) expect(['cues', 'affirmed']).toContain(model.models[id]!.polarity);
    const doc = { title: 'Перемирия на Пасху не будет', summary: '', text: '', language: 'ru' };
    const polarityWith = (how: 'cues' | 'affirmed') => {
      const file = structuredClone(model);
      file.models.truce!.polarity = how;
      const c = compileIndicators(loaded.pack.indicators, parseModel(modelText(file), 'm.json', ids));
      return tagText(c, doc).find((t) => t.indicatorId === 'truce')?.polarity;
    };
    expect(polarityWith('cues')).toBe('negated');
    expect(polarityWith('affirmed')).toBe('affirmed');
  });

  it('stays quiet on unrelated news', () => {
    const compiled = compileIndicators(loaded.pack.indicators, parseModel(modelText(model), 'm.json', ids));
    expect(
      tagText(compiled, {
        title: 'Local bakery wins a national prize',
        summary: 'The jury praised its rye bread.',
        text: '',
        language: 'en',
      }),
    ).toEqual([]);
  });

  it('rejects a model for other indicators, and a malformed one, with the file and the reason', () => {
    const text = modelText(model);
    expect(() => parseModel(text, 'm.json', ['truce'])).toThrow(TagModelError);
    expect(() => parseModel(text, 'm.json', ['truce'])).toThrow(
      'm.json: the model was trained for indicators the pack does not have: envoy_talks, rejection',
    );
    const broken = JSON.parse(text) as { models: { truce: { weights: number[] } } };
    broken.models.truce.weights.pop();
    expect(() => parseModel(JSON.stringify(broken), 'm.json', ids)).toThrow(/models\.truce\.weights: expected \d+/);
    expect(() => parseModel('{', 'm.json', ids)).toThrow('m.json: not JSON');
  });
});

describe('featurize', () => {
  it('gives inflected forms the same features, counts repeated words, and has length 1 in count terms', () => {
    const a = featurize({ title: 'переговоры', summary: '', language: 'ru' });
    const b = featurize({ title: 'переговорах', summary: '', language: 'ru' });
    expect([...a.ids]).toEqual([...b.ids]);
    expect([...a.values]).toEqual([...b.values]);
    // The language and each feature of one word: n distinct features, each counted once.
    expect(a.values[0]).toBeCloseTo(1 / Math.sqrt(a.ids.length), 12);
    const twice = featurize({ title: 'переговоры переговоры', summary: '', language: 'ru' });
    // Twice the word's features, plus the language and the pair: the word's features count 2.
    const n = 1 + 2 * (a.ids.length - 1) + 1;
    expect(Math.max(...twice.values)).toBeCloseTo(2 / Math.sqrt(n), 12);
  });
});
