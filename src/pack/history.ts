// A resolved question of the history library (packs/history/<id>/meta.yaml) as a pack: the generic base pack
// (packs/history/indicators.yaml) with the question's scenarios, its actors' names in the rules, and
// likelihoods mapped from scenario roles to the question's scenario ids, validated like any pack file.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type HistoryMeta, KNOWN_FIELDS, ROLES, type Role, historyMetaSchema, metaChecks } from './history-meta.ts';
import {
  issueToProblem,
  type LoadedPack,
  PackError,
  type PackProblem,
  parsePack,
  readYaml,
  validatePack,
} from './parse.ts';
import type { Rule } from './rule-schema.ts';
import type { Indicator, Likelihoods, Pack } from './schema.ts';

export {
  DEFAULT_BASE,
  type HistoryMeta,
  ROLES,
  type Role,
  historyMetaSchema,
  marketPointSchema,
} from './history-meta.ts';

export interface HistoryQuestion {
  meta: HistoryMeta;
  loaded: LoadedPack;
}

/** The roles whose likelihoods a scenario of role `role` takes: its own, plus a missing deal/ceasefire role. */
function absorbedRoles(role: Role, present: ReadonlySet<Role>): Role[] {
  const nearest: Record<Role, Role | null> = { deal: 'ceasefire', ceasefire: 'deal', collapse: null };
  return [role, ...ROLES.filter((r) => !present.has(r) && nearest[r] === role)];
}

/** Maps a table keyed by role to the question's scenario ids (a missing role folds in as the mean). */
export function mapRoleTable(table: Likelihoods, scenarios: readonly { id: string; role: Role }[]): Likelihoods {
  const present = new Set(scenarios.map((s) => s.role));
  const out: Likelihoods = {};
  for (const s of scenarios) {
    const values = absorbedRoles(s.role, present)
      .map((r) => table[r])
      .filter((v): v is number => v !== undefined);
    if (values.length > 0) out[s.id] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  return out;
}

/** Languages whose names are inflected in headlines: a name there matches as a prefix (Путин → Путин*). */
const INFLECTED = new Set(['ru', 'uk', 'be', 'pl', 'cs', 'sk', 'sr', 'hr', 'bg', 'sl']);

export interface Actors {
  a: Record<string, string[]>;
  b: Record<string, string[]>;
  mediators: Record<string, string[]>;
}

function namesFor(names: Record<string, string[]>, langs: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const [lang, list] of Object.entries(names)) {
    if (langs && !langs.includes(lang)) continue;
    for (const n of list) out.push(INFLECTED.has(lang) && !n.endsWith('*') ? `${n}*` : n);
  }
  return out;
}

/** Replaces `$a`, `$b`, `$parties`, `$mediators` terms by the actors' names (in the rule's languages). */
function expandTerms(terms: readonly string[], actors: Actors, langs: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const t of terms) {
    if (t === '$a') out.push(...namesFor(actors.a, langs));
    else if (t === '$b') out.push(...namesFor(actors.b, langs));
    else if (t === '$parties') out.push(...namesFor(actors.a, langs), ...namesFor(actors.b, langs));
    else if (t === '$mediators') out.push(...namesFor(actors.mediators, langs));
    else out.push(t);
  }
  return [...new Set(out)];
}

/** A rule with its placeholders expanded, or null when a term list it needs came out empty. */
export function expandRule(rule: Rule, actors: Actors): Rule | null {
  const out: Rule = { ...rule };
  if (rule.any) {
    out.any = expandTerms(rule.any, actors, rule.lang);
    if (out.any.length === 0) return null;
  }
  if (rule.all) {
    out.all = rule.all.map((g) => expandTerms(g, actors, rule.lang));
    if (out.all.some((g) => g.length === 0)) return null;
  }
  if (rule.none) out.none = expandTerms(rule.none, actors, rule.lang);
  return out;
}

/** The question's pack fields, before validation: base indicators, the question's scenarios and actors. */
export function buildHistoryPackData(base: Pack, meta: HistoryMeta): Record<string, unknown> {
  const roles = meta.scenarios.map((s) => ({ id: s.id, role: s.role }));
  const map = (t: Likelihoods) => mapRoleTable(t, roles);
  const actors: Actors = { a: meta.side_a.names, b: meta.side_b.names, mediators: meta.mediators };
  const indicators = base.indicators.map((ind): Indicator => ({
    ...ind,
    likelihoods: map(ind.likelihoods),
    ...(ind.when ? { when: Object.fromEntries(Object.entries(ind.when).map(([k, t]) => [k, t ? map(t) : t])) } : {}),
    ...(ind.level
      ? { level: { ...ind.level, bands: ind.level.bands.map((b) => ({ ...b, likelihoods: map(b.likelihoods) })) } }
      : {}),
    rules: ind.rules.map((r) => expandRule(r, actors)).filter((r): r is Rule => r !== null),
  }));
  return {
    ...base,
    id: meta.id,
    title: meta.title,
    question: meta.question,
    description: meta.description,
    horizon: meta.horizon,
    scenarios: meta.scenarios.map(({ role: _role, ...s }) => s),
    indicators,
    feeds: [],
  };
}

function baseProblems(base: Pack): PackProblem[] {
  return base.scenarios
    .filter((s) => !(ROLES as readonly string[]).includes(s.id))
    .map((s) => ({
      path: 'scenarios',
      message: `a base pack's scenario ids must be roles (deal, ceasefire, collapse); got "${s.id}"`,
    }));
}

/**
 * Parses a question's meta.yaml, loads its base pack (`extends`, default ../indicators.yaml) through
 * the pack loader, and validates the built pack with the same schema and checks as a pack file.
 * Throws PackError naming the file, the field and what was expected.
 */
export function parseHistoryQuestion(
  text: string,
  file: string,
  readText: (f: string) => string = (f) => readFileSync(f, 'utf8'),
): HistoryQuestion {
  const data = readYaml(text, file);
  const result = historyMetaSchema.safeParse(data);
  if (!result.success)
    throw new PackError(
      file,
      result.error.issues.flatMap((issue) => issueToProblem(issue, data)),
    );
  const meta = result.data;
  const problems = metaChecks(meta);
  if (problems.length > 0) throw new PackError(file, problems);
  const baseFile = path.join(path.dirname(file), meta.extends);
  let baseText: string;
  try {
    baseText = readText(baseFile);
  } catch (cause) {
    throw new PackError(file, [
      {
        path: 'extends',
        message: `cannot read ${baseFile}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      },
    ]);
  }
  const base = parsePack(baseText, baseFile, readText).pack;
  const bad = baseProblems(base);
  if (bad.length > 0) throw new PackError(baseFile, bad);
  const loaded = validatePack(buildHistoryPackData(base, meta), file);
  const unknown = Object.keys(data)
    .filter((k) => !KNOWN_FIELDS.includes(k))
    .map((k) => ({ path: k, message: 'unknown field in meta.yaml (ignored)' }));
  return { meta, loaded: { ...loaded, warnings: [...unknown, ...loaded.warnings] } };
}

/** The meta.yaml of a history question given its folder or the file itself, or null if `p` is neither. */
export function historyMetaFile(p: string): string | null {
  try {
    if (statSync(p).isDirectory()) {
      const f = path.join(p, 'meta.yaml');
      return statSync(f).isFile() ? f : null;
    }
  } catch {
    return null;
  }
  return path.basename(p) === 'meta.yaml' ? p : null;
}
