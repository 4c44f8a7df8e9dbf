// Pure time-based alert decisions: deadlines approaching and passed, feeds failing too long.
// Each fires once per rule key (the key carries the episode: warning day, failing-since time).
import type { AlertDefaults, Scenario } from '../pack/schema.ts';
import type { AlertDraft, RuleState } from './types.ts';

const DAY = 86_400_000;

export interface DeadlineInput {
  settings: AlertDefaults;
  scenarios: Scenario[];
  resolved: string[];
  probabilities: Record<string, number>;
  state: Record<string, RuleState>;
  now: string;
}

/** The deadline is the end of its day (UTC) when given as a bare date. */
export function deadlineTime(deadline: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? Date.parse(`${deadline}T23:59:59.999Z`) : Date.parse(deadline);
}

function names(scenarios: Scenario[]): Record<string, string> {
  return Object.fromEntries(scenarios.map((s) => [s.id, s.name]));
}

export function decideDeadlineAlerts(input: DeadlineInput): AlertDraft[] {
  const out: AlertDraft[] = [];
  const now = Date.parse(input.now);
  const base = {
    probabilities: input.probabilities,
    previous: null,
    scenarioNames: names(input.scenarios),
    stories: [],
  };
  for (const s of input.scenarios) {
    if (!s.deadline || input.resolved.includes(s.id)) continue;
    const due = deadlineTime(s.deadline);
    if (now >= due) {
      const key = `deadline:${s.id}:passed`;
      // A deadline long gone when the tracker first sees it is history, not news.
      if (input.state[key] || now - due > 7 * DAY) continue;
      const title = `Deadline passed: ${s.name} (${s.deadline}) unresolved`;
      out.push({
        kind: 'deadline_passed',
        ruleKey: key,
        title,
        body: `The deadline for "${s.name}" passed without resolution.`,
        data: { ...base, scenarioId: s.id, shifted: [title] },
      });
      continue;
    }
    // Only the nearest warning fires; the wider ones it covers are spent with it.
    const open = [...input.settings.deadline_warning_days].sort((a, b) => a - b).filter((d) => now >= due - d * DAY);
    const nearest = open[0];
    if (nearest === undefined) continue;
    const key = `deadline:${s.id}:${nearest}d`;
    if (input.state[key]) continue;
    const left = Math.max(0, Math.ceil((due - now) / DAY));
    const title = `Deadline in ${left} day${left === 1 ? '' : 's'}: ${s.name} (${s.deadline})`;
    const p = input.probabilities[s.id];
    const body = `${s.name} must resolve by ${s.deadline}.${p === undefined ? '' : ` Current probability ${Math.round(p * 100)}%.`}`;
    out.push({
      kind: 'deadline_approaching',
      ruleKey: key,
      title,
      body,
      data: { ...base, scenarioId: s.id, shifted: [title] },
    });
  }
  return out;
}

/** What the feed-failing rule needs of a feed (a slice of ingest's FeedHealth). */
export interface FailingFeed {
  id: number;
  url: string;
  name: string | null;
  failingSince: string | null;
  lastError: string | null;
}

export function decideFeedAlerts(
  settings: AlertDefaults,
  feeds: FailingFeed[],
  state: Record<string, RuleState>,
  now: string,
): AlertDraft[] {
  const out: AlertDraft[] = [];
  const limit = settings.feed_failing_hours * 3_600_000;
  for (const f of feeds) {
    if (!f.failingSince || Date.parse(now) - Date.parse(f.failingSince) < limit) continue;
    const key = `feed:${f.id}:failing:${f.failingSince}`;
    if (state[key]) continue;
    const hours = Math.floor((Date.parse(now) - Date.parse(f.failingSince)) / 3_600_000);
    const title = `Feed failing for ${hours} h: ${f.name ?? f.url}`;
    out.push({
      kind: 'feed_failing',
      ruleKey: key,
      title,
      body: `${f.url} has failed since ${f.failingSince}: ${f.lastError ?? 'unknown error'}`,
      data: { probabilities: {}, previous: null, scenarioNames: {}, shifted: [title], stories: [], adminOnly: true },
    });
  }
  return out;
}
