// Loads a pack file: YAML → zod schema → cross-field checks → lint warnings, every problem reported at once.
import { BellwetherError } from '../errors.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { historyMetaFile, parseHistoryQuestion } from './history.ts';
import { type MarketSource, type Pack, packSchema } from './schema.ts';

export interface PackProblem {
  /** Dotted path such as `indicators[3].likelihoods.deal`, or `(yaml)` for syntax errors. */
  path: string;
  message: string;
}

export class PackError extends BellwetherError<'invalid_pack'> {
  readonly code = 'invalid_pack';
  constructor(
    readonly file: string,
    readonly problems: PackProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
  }
}

export interface LoadedPack {
  pack: Pack;
  file: string;
  warnings: PackProblem[];
  /** Hash of what tagging depends on (indicator rules, synonyms, the model file's bytes), to know when stored tags are stale. */
  rulesHash: string;
  /** The model file the pack names (`model:`), as a path from the working directory; null: rules only. */
  modelFile?: string | null;
}

export function formatProblem(file: string, p: PackProblem): string {
  return `${file}: ${p.path}: ${p.message}`;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : `${out === '' ? '' : '.'}${String(s)}`;
  return out === '' ? '(root)' : out;
}

function valueAt(data: unknown, segments: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export function issueToProblem(issue: z.core.$ZodIssue, data: unknown): PackProblem[] {
  const at = valueAt(data, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({
      path: formatPath([...issue.path, k]),
      message: 'unknown field (check the spelling against the pack reference in the README)',
    }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    return issueToProblem(issue.errors[0]![0]!, data);
  }
  if (issue.code === 'invalid_type' && at === undefined) {
    return [
      { path: formatPath(issue.path), message: `is required (${issue.message.replace(/^Invalid input: /, '')})` },
    ];
  }
  return [{ path: formatPath(issue.path), message: `${issue.message} (got ${describe(at)})` }];
}

/** The stable name of a polled market source, e.g. `polymarket:some-slug` or `metaculus:1234`. */
export function marketSourceKey(m: MarketSource): string {
  return m.kind === 'polymarket' ? `polymarket:${m.market}` : `metaculus:${m.question}`;
}

/** Checks that need the whole pack: unique ids, likelihood keys naming real scenarios, deadlines. */
function crossCheck(pack: Pack): PackProblem[] {
  const problems: PackProblem[] = [];
  const duplicates = (items: { id?: string; url?: string }[], key: 'id' | 'url', where: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = item[key] as string;
      if (seen.has(k))
        problems.push({
          path: `${where}[${i}].${key}`,
          message: `duplicate ${key} "${k}" (also ${where}[${seen.get(k)}])`,
        });
      else seen.set(k, i);
    });
  };
  duplicates(pack.scenarios, 'id', 'scenarios');
  duplicates(pack.indicators, 'id', 'indicators');
  duplicates(pack.feeds, 'url', 'feeds');
  const scenarioIds = pack.scenarios.map((s) => s.id);
  // With duplicate scenario ids every likelihood table would be "wrong"; report the duplicate alone.
  if (new Set(scenarioIds).size !== scenarioIds.length) return problems;
  const checkTable = (table: Record<string, number>, where: string) => {
    for (const key of Object.keys(table)) {
      if (!scenarioIds.includes(key)) {
        problems.push({
          path: `${where}.${key}`,
          message: `unknown scenario "${key}" (expected one of ${scenarioIds.join(', ')})`,
        });
      }
    }
    for (const id of scenarioIds) {
      if (!(id in table))
        problems.push({
          path: `${where}.${id}`,
          message: `is required (expected a likelihood for every scenario: ${scenarioIds.join(', ')})`,
        });
    }
  };
  pack.indicators.forEach((ind, i) => {
    checkTable(ind.likelihoods, `indicators[${i}].likelihoods`);
    for (const [k, table] of Object.entries(ind.when ?? {})) if (table) checkTable(table, `indicators[${i}].when.${k}`);
    ind.level?.bands.forEach((b, j) => checkTable(b.likelihoods, `indicators[${i}].level.bands[${j}].likelihoods`));
    if (ind.kind === 'level' && !ind.level)
      problems.push({
        path: `indicators[${i}].level`,
        message: 'is required for a level indicator (expected units, baseline_days and bands)',
      });
    if (ind.kind === 'level' && !ind.numbers)
      problems.push({
        path: `indicators[${i}].numbers`,
        message: 'is required for a level indicator (expected units: {name: [terms]})',
      });
    for (const unit of ind.level?.units ?? []) {
      if (!ind.numbers?.units[unit])
        problems.push({
          path: `indicators[${i}].level.units`,
          message: `unit "${unit}" is not defined in numbers.units`,
        });
    }
    const ruleIds = new Set<string>();
    ind.rules.forEach((r, j) => {
      if (ruleIds.has(r.id))
        problems.push({ path: `indicators[${i}].rules[${j}].id`, message: `duplicate rule id "${r.id}"` });
      ruleIds.add(r.id);
    });
  });
  pack.scenarios.forEach((s, i) => {
    if (s.deadline && s.deadline > pack.horizon) {
      problems.push({
        path: `scenarios[${i}].deadline`,
        message: `must not be after the horizon ${pack.horizon} (got "${s.deadline}")`,
      });
    }
  });
  pack.market.forEach((m, i) => {
    if (!scenarioIds.includes(m.scenario))
      problems.push({
        path: `market[${i}].scenario`,
        message: `unknown scenario "${m.scenario}" (expected one of ${scenarioIds.join(', ')})`,
      });
  });
  pack.market_sources.forEach((m, i) => {
    if (!scenarioIds.includes(m.scenario))
      problems.push({
        path: `market_sources[${i}].scenario`,
        message: `unknown scenario "${m.scenario}" (expected one of ${scenarioIds.join(', ')})`,
      });
  });
  const sourceKeys = pack.market_sources.map(marketSourceKey);
  sourceKeys.forEach((k, i) => {
    const first = sourceKeys.indexOf(k);
    if (first !== i)
      problems.push({
        path: `market_sources[${i}]`,
        message: `duplicate market source ${k} (also market_sources[${first}])`,
      });
  });
  if (pack.scenarios.every((s) => s.prior === 0))
    problems.push({ path: 'scenarios', message: 'at least one prior must be above 0' });
  return problems;
}

/** Warnings: the pack loads, but something in it is probably not what the author meant. */
export function lintPack(pack: Pack): PackProblem[] {
  const warnings: PackProblem[] = [];
  const sum = pack.scenarios.reduce((a, s) => a + s.prior, 0);
  if (Math.abs(sum - 1) > 1e-6) {
    warnings.push({ path: 'scenarios', message: `priors sum to ${+sum.toFixed(6)}, not 1 (they will be normalised)` });
  }
  const favoured = new Set<string>();
  pack.indicators.forEach((ind, i) => {
    const tables = [
      ind.likelihoods,
      ...Object.values(ind.when ?? {}),
      ...(ind.level?.bands.map((b) => b.likelihoods) ?? []),
    ];
    const diagnostic = tables.some((t) => t && new Set(Object.values(t)).size > 1);
    if (!diagnostic)
      warnings.push({
        path: `indicators[${i}].likelihoods`,
        message: `all likelihoods are equal: "${ind.id}" is not diagnostic and can never move a probability`,
      });
    for (const t of tables) {
      if (!t) continue;
      const max = Math.max(...Object.values(t));
      const top = Object.entries(t).filter(([, v]) => v === max);
      if (top.length < Object.keys(t).length) for (const [id] of top) favoured.add(id);
    }
    if (ind.kind === 'event' && ind.rules.length === 0)
      warnings.push({
        path: `indicators[${i}].rules`,
        message: `"${ind.id}" has no rules: nothing will ever be tagged with it`,
      });
  });
  pack.scenarios.forEach((s, i) => {
    if (!favoured.has(s.id))
      warnings.push({ path: `scenarios[${i}]`, message: `no indicator favours "${s.id}": evidence can only lower it` });
  });
  return warnings;
}

/**
 * Replaces every `@name` term of the rules by the terms of synonym group `name`; a reference to
 * a group the pack does not define is a problem naming where it is.
 */
function expandSynonyms(pack: Pack): { pack: Pack; problems: PackProblem[] } {
  const problems: PackProblem[] = [];
  const groups = pack.synonyms;
  const names = Object.keys(groups);
  const expand = (terms: readonly string[], where: string): string[] =>
    terms.flatMap((t, k) => {
      if (!t.startsWith('@')) return [t];
      const group = Object.hasOwn(groups, t.slice(1)) ? groups[t.slice(1)] : undefined;
      if (group) return group;
      problems.push({
        path: `${where}[${k}]`,
        message: `unknown synonym group "${t}" (${names.length > 0 ? `defined: ${names.join(', ')}` : 'the pack defines no synonyms'})`,
      });
      return [];
    });
  const indicators = pack.indicators.map((ind, i) => ({
    ...ind,
    rules: ind.rules.map((r, j) => {
      const at = `indicators[${i}].rules[${j}]`;
      return {
        ...r,
        ...(r.any ? { any: expand(r.any, `${at}.any`) } : {}),
        ...(r.all ? { all: r.all.map((g, k) => expand(g, `${at}.all[${k}]`)) } : {}),
        ...(r.none ? { none: expand(r.none, `${at}.none`) } : {}),
      };
    }),
  }));
  return { pack: { ...pack, indicators }, problems };
}

export function readYaml(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PackError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          path: pos ? `line ${pos.line}, column ${pos.col}` : '(yaml)',
          message: `YAML syntax error: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        };
      }),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PackError(file, [
      { path: '(root)', message: `expected a mapping of pack fields (got ${describe(data)})` },
    ]);
  }
  const fields = data as Record<string, unknown>;
  // The model path is relative to the file that names it, also when a child pack inherits it.
  if (typeof fields.model === 'string' && fields.model.trim() !== '' && !path.isAbsolute(fields.model))
    fields.model = path.join(path.dirname(file), fields.model);
  return fields;
}

/**
 * `extends: other.yaml` (relative to the file) takes every top-level field from the parent pack
 * and replaces those the child sets, whole: a child that sets `scenarios` replaces all of them.
 */
function resolveExtends(
  data: Record<string, unknown>,
  file: string,
  readText: (f: string) => string,
  seen: string[],
): Record<string, unknown> {
  const parentRef = data.extends;
  if (parentRef === undefined) return data;
  if (typeof parentRef !== 'string')
    throw new PackError(file, [
      { path: 'extends', message: `expected a path to another pack file (got ${describe(parentRef)})` },
    ]);
  const parentFile = path.join(path.dirname(file), parentRef);
  if (seen.includes(parentFile))
    throw new PackError(file, [
      { path: 'extends', message: `circular extends: ${[...seen, parentFile].join(' -> ')}` },
    ]);
  let parentText: string;
  try {
    parentText = readText(parentFile);
  } catch (cause) {
    throw new PackError(file, [
      {
        path: 'extends',
        message: `cannot read ${parentFile}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      },
    ]);
  }
  const parent = resolveExtends(readYaml(parentText, parentFile), parentFile, readText, [...seen, parentFile]);
  const { extends: _ignored, ...own } = data;
  return { ...parent, ...own };
}

/** Parses pack text; `file` is used in messages and to resolve `extends`. Throws PackError listing every problem. */
export interface LoadOptions {
  /** False: a model file the pack names but that does not exist yet is not an error (`train tags` writes it). */
  requireModel?: boolean;
}

export function parsePack(
  text: string,
  file: string,
  readText: (f: string) => string = (f) => readFileSync(f, 'utf8'),
  options: LoadOptions = {},
): LoadedPack {
  return validatePack(resolveExtends(readYaml(text, file), file, readText, [file]), file, readText, options);
}

/**
 * Validates pack fields already read (from YAML, or built by a program such as the history
 * builder): the zod schema, the cross-field checks, normalised priors, lint warnings and the rules
 * hash, exactly as for a pack file. Throws PackError listing every problem.
 */
export function validatePack(
  data: Record<string, unknown>,
  file: string,
  readText: (f: string) => string = (f) => readFileSync(f, 'utf8'),
  options: LoadOptions = {},
): LoadedPack {
  const result = packSchema.safeParse(data);
  if (!result.success)
    throw new PackError(
      file,
      result.error.issues.flatMap((issue) => issueToProblem(issue, data)),
    );
  const expanded = expandSynonyms(result.data);
  const problems = [...crossCheck(result.data), ...expanded.problems];
  if (problems.length > 0) throw new PackError(file, problems);
  const pack = normalisePriors(expanded.pack);
  const hash = createHash('sha256').update(
    JSON.stringify(pack.indicators.map((i) => [i.id, i.kind, i.rules, i.numbers ?? null])),
  );
  const modelFile = pack.model ?? null;
  if (modelFile !== null) {
    // A new model makes stored tags stale as a rule change does (tagPending re-tags).
    try {
      hash.update(`\nmodel:${readText(modelFile)}`);
    } catch (cause) {
      if (options.requireModel === false && (cause as NodeJS.ErrnoException).code === 'ENOENT')
        return { pack, file, warnings: lintPack(result.data), rulesHash: hash.digest('hex').slice(0, 16), modelFile };
      throw new PackError(file, [
        {
          path: 'model',
          message: `cannot read the model file ${modelFile}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message} (train one with \`bellwether train tags\`)`,
        },
      ]);
    }
  }
  const rulesHash = hash.digest('hex').slice(0, 16);
  return { pack, file, warnings: lintPack(result.data), rulesHash, modelFile };
}

function normalisePriors(pack: Pack): Pack {
  const sum = pack.scenarios.reduce((a, s) => a + s.prior, 0);
  if (Math.abs(sum - 1) <= 1e-9) return pack;
  return { ...pack, scenarios: pack.scenarios.map((s) => ({ ...s, prior: s.prior / sum })) };
}

/**
 * Loads a pack file, or a history question (its folder or its meta.yaml: see history.ts), which is
 * built from its base pack and validated the same way.
 */
export function loadPack(file: string, cwd: string = process.cwd(), options: LoadOptions = {}): LoadedPack {
  const meta = historyMetaFile(file);
  if (meta !== null) file = meta;
  const shown = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PackError(shown, [
      {
        path: '(file)',
        message: `cannot read the pack: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      },
    ]);
  }
  const readText = (f: string) => readFileSync(path.resolve(cwd, f), 'utf8');
  return meta !== null ? parseHistoryQuestion(text, shown, readText).loaded : parsePack(text, shown, readText, options);
}
