// History questions as packs: role tables, actor placeholders, meta.yaml errors, and the real library loading.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_YAML, metaYaml } from '../../test/helpers/history.ts';
import { expandRule, mapRoleTable, parseHistoryQuestion } from './history.ts';
import { loadPack } from './load.ts';

const parse = (meta: string) =>
  parseHistoryQuestion(meta, 'lib/q/meta.yaml', (f) => {
    if (f === 'lib/indicators.yaml') return BASE_YAML;
    throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  });
const meta = (outcome = 'deal', extra = '') => metaYaml({ id: 'q', outcome, items: [] }) + extra;

describe('mapRoleTable', () => {
  const table = { deal: 4, ceasefire: 2, collapse: 0.5 };
  it('gives each scenario the likelihood of its role', () => {
    expect(
      mapRoleTable(table, [
        { id: 'd', role: 'deal' },
        { id: 'c', role: 'ceasefire' },
        { id: 'x', role: 'collapse' },
      ]),
    ).toEqual({ d: 4, c: 2, x: 0.5 });
  });
  it('folds a missing deal role into ceasefire (and back) as the mean', () => {
    expect(
      mapRoleTable(table, [
        { id: 'c', role: 'ceasefire' },
        { id: 'x', role: 'collapse' },
      ]),
    ).toEqual({ c: 3, x: 0.5 });
    expect(
      mapRoleTable(table, [
        { id: 'd', role: 'deal' },
        { id: 'x', role: 'collapse' },
      ]),
    ).toEqual({ d: 3, x: 0.5 });
  });
});

describe('expandRule', () => {
  const actors = { a: { en: ['Northland'], ru: ['Север'] }, b: { en: ['Southland'] }, mediators: {} };
  it('replaces placeholders by the names of the rule’s languages; inflected languages match as prefixes', () => {
    expect(expandRule({ id: 'r', all: [['$a'], ['rejects']], confidence: 1 }, actors)!.all![0]).toEqual([
      'Northland',
      'Север*',
    ]);
    expect(expandRule({ id: 'r', lang: ['en'], any: ['$parties', 'truce'], confidence: 1 }, actors)!.any).toEqual([
      'Northland',
      'Southland',
      'truce',
    ]);
  });
  it('drops a rule whose needed terms came out empty (no names in its language)', () => {
    expect(expandRule({ id: 'r', lang: ['fr'], all: [['$a'], ['x']], confidence: 1 }, actors)).toBeNull();
    expect(expandRule({ id: 'r', any: ['$mediators'], confidence: 1 }, actors)).toBeNull();
  });
});

describe('parseHistoryQuestion', () => {
  it('builds a valid pack: the question’s scenarios, side indicators, actors in the rules', () => {
    const { loaded, meta: m } = parse(meta());
    expect(loaded.pack.id).toBe('q');
    expect(loaded.pack.scenarios.map((s) => s.id)).toEqual(['deal', 'ceasefire', 'collapse']);
    expect(loaded.pack.evidence_scale).toBe(0.5);
    expect(loaded.pack.indicators.find((i) => i.id === 'rejection_a')!.rules[0]!.all![0]).toContain('Northland');
    expect(m.opens).toBe('2025-01-01');
    expect(loaded.file).toBe('lib/q/meta.yaml');
  });
  it.each([
    [meta('peace'), 'lib/q/meta.yaml: outcome.scenario: unknown scenario "peace"'],
    [
      meta('deal', 'market:\n  - { date: 2025-01-02, probability: 0.3, scenario: war, source: s }'),
      'lib/q/meta.yaml: market[0].scenario: unknown scenario "war"',
    ],
    [
      meta('deal', 'market:\n  - { date: 2025-01-02, probability: 30, scenario: deal, source: s }'),
      'lib/q/meta.yaml: market[0].probability: must be in [0, 1] (got 30)',
    ],
    [meta().replace('role: collapse', 'role: ceasefire'), 'one scenario must have role collapse'],
    [meta().replace('role: deal', 'role: peace'), 'scenarios[0].role: expected deal, ceasefire or collapse'],
    [meta().replace('opens: 2025-01-01', 'opens: 2025-13-01'), 'opens: expected a real calendar date'],
    [`extends: nowhere.yaml\n${meta()}`, 'lib/q/meta.yaml: extends: cannot read lib/q/nowhere.yaml: ENOENT'],
  ])('rejects bad meta with the file and the field (%#)', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
  it('warns about fields it does not know, and loads', () => {
    expect(parse(`${meta()}notes: x\n`).loaded.warnings[0]).toEqual({
      path: 'notes',
      message: 'unknown field in meta.yaml (ignored)',
    });
  });
});

describe('the shipped library', () => {
  const root = path.resolve(import.meta.dirname, '../../packs/history');
  const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
  it.each(dirs.map((d) => d.name))('%s loads as a pack through loadPack (folder)', (name) => {
    const { pack } = loadPack(path.join(root, name));
    expect(pack.id).toBe(name);
    expect(pack.indicators.map((i) => i.id)).toContain('flexibility_b');
    expect(pack.indicators.every((i) => i.rules.length > 0)).toBe(true);
    expect(loadPack(path.join(root, name, 'meta.yaml')).pack).toEqual(pack);
  });
  it('the base pack loads alone as a pack (its placeholders are plain words)', () => {
    expect(loadPack(path.join(root, 'indicators.yaml')).pack.scenarios.map((s) => s.id)).toEqual([
      'deal',
      'ceasefire',
      'collapse',
    ]);
  });
});
