// The scenario pack format (YAML), validated with zod: question, scenarios, indicators, feeds, alerts.
import { z } from 'zod';
import { cronProblem } from '../scheduler/cron.ts';
import { numberRuleSchema, ruleSchema, synonymsSchema } from './rule-schema.ts';

const idSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a lower-case id (letters, digits, _)' });

export const isoDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, { error: 'expected a date YYYY-MM-DD', abort: true })
  .refine(
    (s) => !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s)).toISOString().slice(0, 10) === s.slice(0, 10),
    {
      error: 'expected a real calendar date YYYY-MM-DD',
    },
  );

const positive = z
  .number({ error: 'must be a positive number' })
  .positive({ error: 'must be a positive number' })
  .refine(Number.isFinite, { error: 'must be a finite number' });

/** Relative likelihoods of the signal under each scenario: only their ratios matter. */
export const likelihoodsSchema = z.record(z.string(), positive);

/** Keys of an indicator's `when` tables: a polarity, a modality, or `negated_<modality>`. */
export const whenKeySchema = z.enum(
  [
    'negated',
    'held',
    'scheduled',
    'proposed',
    'cancelled',
    'speculative',
    'negated_held',
    'negated_scheduled',
    'negated_proposed',
    'negated_cancelled',
    'negated_speculative',
  ],
  { error: 'expected negated, a modality (held, scheduled, proposed, cancelled, speculative) or negated_<modality>' },
);

export const scenarioSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1, { error: 'must not be empty' }),
    description: z.string().default(''),
    prior: z
      .number({ error: 'must be a number in [0, 1]' })
      .min(0, { error: 'must be in [0, 1]' })
      .max(1, { error: 'must be in [0, 1]' }),
    /** The scenario must resolve by this date; afterwards, unresolved, it is spent. */
    deadline: isoDate.optional(),
    resolution: z.string().min(1, { error: 'must say how the scenario resolves' }),
  })
  .strict();

export const bandSchema = z
  .object({
    /** The band applies when the day's z-score is ≥ above_z (or ≤ below_z). */
    above_z: z.number().optional(),
    below_z: z.number().optional(),
    label: z.string().optional(),
    likelihoods: likelihoodsSchema,
  })
  .strict()
  .refine((b) => (b.above_z === undefined) !== (b.below_z === undefined), {
    error: 'a band needs exactly one of above_z or below_z',
  });

export const levelSchema = z
  .object({
    /** Units (keys of the indicator's `numbers.units`) whose counts add up to the day's value. */
    units: z.array(z.string().min(1)).min(1),
    baseline_days: z.number().int().min(3).default(28),
    /** Fewer days of data than this and the level gives no evidence. */
    min_baseline_days: z.number().int().min(2).default(7),
    bands: z.array(bandSchema).min(1),
  })
  .strict();

export const indicatorSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1, { error: 'must not be empty' }),
    description: z.string().default(''),
    /** Why the likelihoods are what they are: one line an analyst can argue with. */
    rationale: z.string().default(''),
    kind: z.enum(['event', 'level'], { error: 'expected event or level' }).default('event'),
    half_life_days: positive.default(7),
    /**
     * Correlated evidence saturates: all stories of one signal (this indicator, one polarity and
     * modality, or one level band) together weigh at most this many full observations:
     * W = cap · (1 − Π(1 − w_i·d_i / cap)). Default 2; at least 1 (one story always counts in full).
     */
    max_observations: z
      .number({ error: 'must be a number ≥ 1' })
      .min(1, { error: 'must be at least 1' })
      .refine(Number.isFinite, { error: 'must be a finite number' })
      .optional(),
    /** Likelihoods for an affirmed signal. */
    likelihoods: likelihoodsSchema,
    /**
     * Overrides by polarity or modality: `negated`, `held`, `scheduled`, `proposed`, `cancelled`,
     * `speculative`, or both at once (`negated_held`: "the truce was violated", which is not "a truce held").
     */
    when: z.partialRecord(whenKeySchema, likelihoodsSchema).optional(),
    rules: z.array(ruleSchema).default([]),
    numbers: numberRuleSchema.optional(),
    level: levelSchema.optional(),
  })
  .strict();

export const feedSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    name: z.string().min(1).optional(),
    tier: z
      .number({ error: 'expected a tier 1-5' })
      .int({ error: 'expected a whole number 1-5' })
      .min(1, { error: 'expected a tier 1-5' })
      .max(5, { error: 'expected a tier 1-5' }),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, { error: 'expected a two-letter language code' })
      .optional(),
    interval_minutes: z.number().int().min(1, { error: 'must be at least 1 minute' }).optional(),
    /** When to poll this feed: a cron expression in UTC (node-cron, five fields); replaces the interval. */
    schedule: z.string({ error: 'expected a cron expression in quotes, e.g. "*/5 * * * *"' }).optional(),
    full_text: z.boolean().default(false),
  })
  .strict()
  .superRefine((feed, ctx) => {
    if (feed.schedule === undefined) return;
    const problem = cronProblem(feed.schedule);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        // The loader adds the expression itself: `(got "0 25 * * *")`.
        message: `feed ${feed.url}: not a usable cron expression: ${problem}`,
      });
  });

/**
 * One dated probability from a prediction market or forecasting crowd, found in public reporting and
 * recorded as a fact with its source: `bellwether score` uses the series as a baseline.
 */
export const marketPointSchema = z
  .object({
    date: isoDate,
    probability: z
      .number({ error: 'must be a probability in [0, 1]' })
      .min(0, { error: 'must be a probability in [0, 1]' })
      .max(1, { error: 'must be a probability in [0, 1]' }),
    scenario: idSchema,
    source: z.string().min(1, { error: 'must name the market and where the figure was reported' }),
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  })
  .strict();

const everyMinutes = z
  .number({ error: 'expected a whole number of minutes ≥ 5' })
  .int({ error: 'expected a whole number of minutes ≥ 5' })
  .min(5, { error: 'must be at least 5 minutes (be polite to public APIs)' })
  .default(60);

/** A public market polled on schedule; its price for `scenario` is stored as a dated point. */
export const marketSourceSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('polymarket'),
        /** The market's slug (from its URL) or its numeric id. */
        market: z
          .string({ error: 'expected a Polymarket market slug or numeric id' })
          .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/, {
            error: 'expected a Polymarket market slug or numeric id (letters, digits, - and _)',
          }),
        /** The outcome whose price is the scenario's probability. Default "Yes". */
        outcome: z.string().min(1).default('Yes'),
        scenario: idSchema,
        every_minutes: everyMinutes,
      })
      .strict(),
    z
      .object({
        kind: z.literal('metaculus'),
        /** The question's id, as in https://www.metaculus.com/questions/<id>/. */
        question: z
          .number({ error: 'expected a Metaculus question id (a positive whole number)' })
          .int({ error: 'expected a Metaculus question id (a positive whole number)' })
          .positive({ error: 'expected a Metaculus question id (a positive whole number)' }),
        scenario: idSchema,
        every_minutes: everyMinutes,
      })
      .strict(),
  ],
  { error: 'expected kind: polymarket or kind: metaculus' },
);

export const alertDefaultsSchema = z
  .object({
    /** Fire when a scenario moves by at least `points` percentage points within `hours`. */
    probability_move: z
      .object({ points: positive.default(10), hours: positive.default(24) })
      .strict()
      .default({ points: 10, hours: 24 }),
    /** An indicator is "quiet" after this many days without a signal; its next signal is a shift. */
    quiet_days: positive.default(7),
    /** Level alerts fire at ≥ fire_z and re-arm only after the level falls below reset_z. */
    level: z
      .object({ fire_z: z.number().default(2), reset_z: z.number().default(1) })
      .strict()
      .default({ fire_z: 2, reset_z: 1 }),
    cooldown_minutes: z.number().min(0).default(360),
    batch_minutes: z.number().min(0).default(5),
    deadline_warning_days: z.array(positive).default([7, 1]),
    feed_failing_hours: positive.default(24),
    /** When daily digests go out: a cron expression in UTC (node-cron, five fields). */
    digest_at: z
      .string()
      .superRefine((value, ctx) => {
        const problem = cronProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `not a usable cron expression "${value}": ${problem}` });
      })
      .default('0 7 * * *'),
  })
  .strict();

export const packSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a lower-case id (letters, digits, -)' }),
    title: z.string().min(1),
    question: z.string().min(1, { error: 'must state the question' }),
    description: z.string().default(''),
    horizon: isoDate,
    poll_interval_minutes: z.number().int().min(1).default(15),
    /**
     * Tempering λ ∈ (0, 1]: every log-likelihood is multiplied by λ (c = λ · k · w · d · log L).
     * Indicators are not independent given the scenario (one round of talks yields envoy, terms and
     * guarantees tags at once), so the naive sum overcounts; λ < 1 discounts it. Default 1.
     */
    evidence_scale: z
      .number({ error: 'must be a number in (0, 1]' })
      .positive({ error: 'must be in (0, 1]' })
      .max(1, { error: 'must be in (0, 1]' })
      .default(1),
    /**
     * Likelihood shrinkage α ∈ [0, 1): every likelihood table is pulled toward its own mean before
     * logs are taken, L'(s) = (1 − α) · L(s) + α · mean(L). Unlike λ (which scales every log-ratio
     * by the same factor) it compresses strong ratios more than weak ones. Default 0 (no shrinkage).
     */
    likelihood_shrinkage: z
      .number({ error: 'must be a number in [0, 1)' })
      .min(0, { error: 'must be in [0, 1)' })
      .lt(1, { error: 'must be in [0, 1)' })
      .default(0),
    /**
     * Whether a scenario with a deadline loses prior mass as its window runs out (prior × the remaining
     * fraction of the window, floored); false keeps the prior whole until the deadline passes. Default true.
     */
    deadline_decay: z.boolean({ error: 'expected true or false' }).default(true),
    /**
     * Prior weight w ∈ [0, 1): the forecast is the linear pool p(s) = (1 − w) · posterior(s) + w · prior'(s)
     * of the evidence posterior and the (deadline-adjusted) priors, before resolutions are applied. It is the
     * forecast of a mixture: with probability w the evidence reading says nothing (tagging errors, talk that
     * leads nowhere) and the priors stand. Unlike λ it bounds the loss of a confident wrong reading: no open
     * scenario falls below w times its prior. Default 0 (the posterior alone).
     */
    prior_weight: z
      .number({ error: 'must be a number in [0, 1)' })
      .min(0, { error: 'must be in [0, 1)' })
      .lt(1, { error: 'must be in [0, 1)' })
      .default(0),
    scenarios: z.array(scenarioSchema).min(2, { error: 'a pack needs at least two scenarios' }),
    indicators: z.array(indicatorSchema).min(1, { error: 'a pack needs at least one indicator' }),
    /** Term lists shared by rules: a rule term `@name` stands for every term of group `name`. */
    synonyms: synonymsSchema.default({}),
    /**
     * The learned tagging model (`bellwether train tags`), a JSON file; the path is relative to the
     * pack file that names it. A tag then fires on a rule hit or when the model is confident enough.
     */
    model: z.string().min(1, { error: 'expected the path of a model file' }).optional(),
    feeds: z.array(feedSchema).default([]),
    alerts: alertDefaultsSchema.default(alertDefaultsSchema.parse({})),
    /** A market or crowd series found in public reporting: `[{date, probability, scenario, source, url}]`. */
    market: z.array(marketPointSchema).default([]),
    /** Public markets to poll on schedule (Polymarket, Metaculus). */
    market_sources: z.array(marketSourceSchema).default([]),
  })
  .strict();

export type Pack = z.output<typeof packSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Indicator = z.output<typeof indicatorSchema>;
export type PackFeed = z.output<typeof feedSchema>;
export type AlertDefaults = z.output<typeof alertDefaultsSchema>;
export type Likelihoods = z.output<typeof likelihoodsSchema>;
export type MarketPoint = z.output<typeof marketPointSchema>;
export type MarketSource = z.output<typeof marketSourceSchema>;
