// Per-subscriber rule overrides (subscribers.rules JSON): which alerts a subscriber receives.
import { BellwetherError } from '../errors.ts';
import { z } from 'zod';
import { ALERT_KINDS, type AlertData, type AlertKind } from './types.ts';

export const subscriberRulesSchema = z
  .object({
    /** Only these kinds (default: every kind; feed_failing goes to admins only). */
    kinds: z.array(z.enum(ALERT_KINDS as [AlertKind, ...AlertKind[]])).optional(),
    /** Only indicator alerts about these indicator ids. */
    indicators: z.array(z.string().min(1)).optional(),
    /** Only scenario alerts (moves, deadlines) about these scenario ids. */
    scenarios: z.array(z.string().min(1)).optional(),
    /** Only alerts about these questions (pack ids; an instance may track several, PACKS). */
    questions: z.array(z.string().min(1)).optional(),
    /** Probability moves smaller than this many points are not sent (a subscriber may only raise the pack's threshold). */
    min_points: z.number().positive().optional(),
  })
  .strict();

export type SubscriberRules = z.output<typeof subscriberRulesSchema>;

export class RulesError extends BellwetherError<'invalid_rules'> {
  readonly code = 'invalid_rules';
}

/** Parses a rules JSON string; throws RulesError with the field and the problem. */
export function parseSubscriberRules(json: string, knownQuestions?: readonly string[]): SubscriberRules {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new RulesError(`--rules: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const r = subscriberRulesSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new RulesError(`--rules: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  // A mistyped question id would silently send nothing: name it, and the questions there are.
  const unknown = knownQuestions ? r.data.questions?.find((q) => !knownQuestions.includes(q)) : undefined;
  if (unknown !== undefined)
    throw new RulesError(
      `--rules: questions: unknown question "${unknown}" (this instance tracks ${knownQuestions!.join(', ')})`,
    );
  return r.data;
}

/** Stored rules that no longer parse fall back to the defaults rather than silencing a subscriber. */
export function readStoredRules(json: string | null): SubscriberRules {
  if (!json) return {};
  try {
    return parseSubscriberRules(json);
  } catch {
    return {};
  }
}

export function ruleMatches(rules: SubscriberRules, isAdmin: boolean, kind: AlertKind, data: AlertData): boolean {
  if (kind === 'feed_failing' || data.adminOnly) return isAdmin && (!rules.kinds || rules.kinds.includes(kind));
  if (rules.kinds && !rules.kinds.includes(kind)) return false;
  if (rules.indicators && data.indicatorId && !rules.indicators.includes(data.indicatorId)) return false;
  if (rules.questions && data.questionId && !rules.questions.includes(data.questionId)) return false;
  if (rules.scenarios && data.scenarioId && !rules.scenarios.includes(data.scenarioId)) return false;
  if (rules.min_points && kind === 'probability_move' && Math.abs(data.points ?? 0) < rules.min_points) return false;
  return true;
}

/** What a subscriber's rules become when it stops receiving one question's alerts (withoutQuestion). */
export type QuestionRemoval =
  /** It did not receive that question's alerts (a `questions` rule without it). */
  | { kind: 'not_receiving' }
  /** It keeps these questions: `rules` is the JSON to store. */
  | { kind: 'kept'; rules: string; questions: string[] }
  /** No question is left: it is unsubscribed (an admin subscriber is kept, for the instance's own alerts). */
  | { kind: 'none_left'; rules: string };

/**
 * Takes `question` out of what a subscriber receives. Without a `questions` rule it received every question of
 * the instance (`known`): it is limited to the others, so a question added to PACKS later does not reach it.
 */
export function withoutQuestion(stored: string | null, question: string, known: readonly string[]): QuestionRemoval {
  const rules = readStoredRules(stored);
  const had = rules.questions ?? known;
  if (!had.includes(question)) return { kind: 'not_receiving' };
  const questions = had.filter((q) => q !== question);
  const json = JSON.stringify({ ...rules, questions });
  return questions.length === 0 ? { kind: 'none_left', rules: json } : { kind: 'kept', rules: json, questions };
}
