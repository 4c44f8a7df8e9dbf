// The meta.yaml of a history question: its schema (zod) and the checks that need the whole file.
import { z } from 'zod';
import type { PackProblem } from './parse.ts';
import { isoDate, scenarioSchema } from './schema.ts';

export const ROLES = ['deal', 'ceasefire', 'collapse'] as const;
export type Role = (typeof ROLES)[number];

/** The base file a meta.yaml extends when it names none. */
export const DEFAULT_BASE = '../indicators.yaml';

const namesSchema = z.record(
  z.string().regex(/^[a-z]{2}$/, { error: 'expected a two-letter language code' }),
  z.array(z.string().trim().min(1)),
);

const sideSchema = z
  .object({ id: z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a lower-case id' }), names: namesSchema })
  .strict();

/** A market or crowd probability found in public reporting: P(scenario) on a day, with its source. */
export const marketPointSchema = z
  .object({
    date: isoDate,
    probability: z.number().min(0, { error: 'must be in [0, 1]' }).max(1, { error: 'must be in [0, 1]' }),
    scenario: z.string().min(1),
    source: z.string().min(1, { error: 'must name the market and where the price was reported' }),
    url: z.string().optional(),
  })
  .strict();

export const KNOWN_FIELDS = [
  'id',
  'title',
  'question',
  'description',
  'opens',
  'horizon',
  'extends',
  'side_a',
  'side_b',
  'mediators',
  'scenarios',
  'priors_rationale',
  'outcome',
  'market',
];

export const historyMetaSchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a lower-case id (letters, digits, -)' }),
  title: z.string().min(1),
  question: z.string().min(1),
  description: z.string().default(''),
  opens: isoDate,
  horizon: isoDate,
  extends: z.string().default(DEFAULT_BASE),
  side_a: sideSchema,
  side_b: sideSchema,
  mediators: namesSchema.default({}),
  scenarios: z
    .array(scenarioSchema.extend({ role: z.enum(ROLES, { error: 'expected deal, ceasefire or collapse' }) }))
    .min(2, { error: 'a question needs at least two scenarios' }),
  priors_rationale: z.string().default(''),
  outcome: z
    .object({
      scenario: z.string().min(1),
      date: isoDate,
      sources: z.array(z.object({ outlet: z.string(), date: isoDate.optional(), url: z.string() }).loose()).default([]),
      note: z.string().default(''),
    })
    .strict(),
  market: z.array(marketPointSchema).default([]),
});

export type HistoryMeta = z.output<typeof historyMetaSchema>;

export function metaChecks(meta: HistoryMeta): PackProblem[] {
  const problems: PackProblem[] = [];
  const ids = meta.scenarios.map((s) => s.id);
  if (!ids.includes(meta.outcome.scenario))
    problems.push({
      path: 'outcome.scenario',
      message: `unknown scenario "${meta.outcome.scenario}" (expected one of ${ids.join(', ')})`,
    });
  if (meta.opens > meta.horizon)
    problems.push({ path: 'opens', message: `must not be after the horizon ${meta.horizon} (got "${meta.opens}")` });
  if (meta.outcome.date < meta.opens)
    problems.push({
      path: 'outcome.date',
      message: `must not be before the question opens on ${meta.opens} (got "${meta.outcome.date}")`,
    });
  if (!meta.scenarios.some((s) => s.role === 'collapse'))
    problems.push({ path: 'scenarios', message: 'one scenario must have role collapse (the residual)' });
  meta.market.forEach((m, i) => {
    if (!ids.includes(m.scenario))
      problems.push({
        path: `market[${i}].scenario`,
        message: `unknown scenario "${m.scenario}" (expected one of ${ids.join(', ')})`,
      });
  });
  return problems;
}
