// Parses and validates a pack: YAML → zod schema → cross-field checks → lint warnings, every problem reported at once.
import { BellwetherError } from '../errors.ts';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
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

/** The largest pack file read (each file of an `extends` chain): real packs are under 100 KB. */
export const MAX_PACK_BYTES = 1024 * 1024;

/** Why a pack file could not be read, for the `(file)` or `extends` problem. */
class UnreadablePack extends Error {}

/**
 * Reads a pack file: a regular file only (never a device, FIFO or directory: `/dev/zero` would grow
 * memory without end), at most MAX_PACK_BYTES, read through a bounded buffer (files under /proc report
 * size 0, so fstat alone cannot be trusted), UTF-8 text without NUL or other control bytes.
 */
export function readPackFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new UnreadablePack((cause as NodeJS.ErrnoException).code ?? (cause as Error).message);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UnreadablePack('not a regular file');
    const buf = Buffer.alloc(MAX_PACK_BYTES + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > MAX_PACK_BYTES) throw new UnreadablePack(tooLarge());
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(0, size));
    // YAML allows tab, LF and CR among the C0 controls; anything else (NUL in /proc files, binary) is not a pack.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(text))
      throw new UnreadablePack('not a YAML text file (it holds control or invalid UTF-8 bytes)');
    return text;
  } finally {
    closeSync(fd);
  }
}

const tooLarge = () => `larger than the ${MAX_PACK_BYTES / 1024 / 1024} MB cap for a pack file`;

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

/** yaml's own default: generous for anchors in a hand-written pack, fatal to an alias bomb. */
const MAX_ALIASES = 100;

export function readYaml(text: string, file: string): Record<string, unknown> {
  if (text.length > MAX_PACK_BYTES) throw new PackError(file, [{ path: '(file)', message: tooLarge() }]);
  const key = `${file}\0${text}`;
  const known = parsedYaml.get(key);
  if (known !== undefined) return structuredClone(known);
  const fields = parseYaml(text, file);
  if (parsedYaml.size >= PARSED_YAML_KEPT) parsedYaml.delete(parsedYaml.keys().next().value as string);
  parsedYaml.set(key, structuredClone(fields));
  return fields;
}

/**
 * Parsed pack files of this process, by file name and exact text. The YAML parser is the slowest part of loading a
 * pack (~0.1–0.3 s for the 62 KB default pack): a backtest builds every history question on the same base pack, a
 * server reloads its pack when the file is touched but not changed, and tests load the default pack again and again.
 * Callers get a copy (they rewrite and merge fields). Only successful parses are kept; a few files at most.
 */
const parsedYaml = new Map<string, Record<string, unknown>>();
const PARSED_YAML_KEPT = 8;

const NOT_READ = Symbol('not read');

/** js-yaml on the core schema: at most MAX_ALIASES aliases, expanding to at most MAX_EXPANDED values. */
function fastYaml(text: string, file: string): unknown {
  // Where the two parsers part: a %YAML 1.1 directive (yaml switches schema), tabs in indentation (yaml refuses
  // them), an explicit !!float tag. Rare in a pack: yaml reads those.
  if (/^%|^ *\t|!!float/m.test(text)) return NOT_READ;
  let data: unknown;
  try {
    data = loadYaml(text, { schema: CORE_SCHEMA, maxAliases: MAX_ALIASES });
  } catch {
    return NOT_READ;
  }
  // js-yaml shares an anchored value among its aliases: nine aliases of nine aliases of … parse in a moment and
  // expand to millions of values the moment anything walks the pack (validation, the rules hash).
  if (expandedSize(data, new Map(), MAX_EXPANDED) > MAX_EXPANDED)
    throw new PackError(file, [
      {
        path: '(yaml)',
        message: `too many YAML aliases (they expand to more than ${MAX_EXPANDED.toLocaleString('en')} values; a pack may use at most ${MAX_ALIASES} aliases)`,
      },
    ]);
  return data;
}

/** How many values `value` holds once every shared (aliased) value is counted where it appears; stops past `limit`. */
function expandedSize(value: unknown, seen: Map<object, number>, limit: number): number {
  if (value === null || typeof value !== 'object') return 1;
  const known = seen.get(value);
  if (known !== undefined) return known;
  let size = 1;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    size += expandedSize(child, seen, limit);
    if (size > limit) break;
  }
  seen.set(value, size);
  return size;
}

/** The values a pack may expand to: the default pack holds a few thousand. */
const MAX_EXPANDED = 200_000;

/** yaml, for what js-yaml refused: a syntax error with its line and column, a duplicate key, an alias bomb. */
function slowYaml(text: string, file: string): unknown {
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
  try {
    // yaml caps alias expansion (maxAliasCount) and throws a bare ReferenceError past it: a billion-laughs pack.
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    throw new PackError(file, [
      {
        path: '(yaml)',
        message: `too many YAML aliases (${(cause as Error).message}; a pack may expand at most ${MAX_ALIASES} aliases)`,
      },
    ]);
  }
}

function parseYaml(text: string, file: string): Record<string, unknown> {
  // js-yaml reads the default pack several times faster than yaml (~0.1 s against ~0.3 s in a fresh CLI process),
  // and the two agree on YAML 1.2's core schema (test/pack-yaml-parsers.test.ts compares them on every YAML file of
  // the project). What js-yaml refuses is read again by yaml, whose messages name the line and column.
  const fast = fastYaml(text, file);
  const data = fast === NOT_READ ? slowYaml(text, file) : (fast ?? null);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    // Name the type only: the file may not be a pack at all, and its content is not ours to print.
    const got = data === null ? 'nothing' : Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    throw new PackError(file, [{ path: '(root)', message: `expected a mapping of pack fields (got ${got})` }]);
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
  // An absolute path is taken as written; a relative one is relative to the extending file's folder.
  const parentFile = path.isAbsolute(parentRef) ? path.normalize(parentRef) : path.join(path.dirname(file), parentRef);
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
  readText: (f: string) => string = readPackFile,
  options: LoadOptions = {},
): LoadedPack {
  // The parents are read with the pack cap (readText); the model file, a data file, is read whole.
  return validatePack(resolveExtends(readYaml(text, file), file, readText, [file]), file, undefined, options);
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
