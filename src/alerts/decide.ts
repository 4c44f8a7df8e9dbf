// Pure alert decision for a new snapshot: indicator shifts, level band crossings (with
// hysteresis) and probability moves, each subject to a cooldown per rule key.
import type { AlertDefaults, Pack } from '../pack/schema.ts';
import type { SnapshotEvent } from '../scenarios/snapshot-event.ts';
import { biggestMove, humanize, pct } from './format.ts';
import type { AlertData, AlertDraft, RuleState, StateUpdate, StoryLink } from './types.ts';

export interface Signal {
  indicatorId: string;
  modality: string | null;
  polarity: 'affirmed' | 'negated';
  /** When the story was published. */
  at: string;
  /** True when tagged since the previous snapshot (new evidence). */
  isNew: boolean;
  story: StoryLink;
}

export interface DecideInput {
  settings: AlertDefaults;
  pack: Pick<Pack, 'scenarios' | 'indicators'>;
  event: SnapshotEvent;
  /** Earlier snapshots of the pack within probability_move.hours before event.at. */
  history: Array<{ at: string; probabilities: Record<string, number> }>;
  /** Signals in the quiet window before the new ones, and the new ones. */
  signals: Signal[];
  state: Record<string, RuleState>;
  /** Top stories behind the snapshot (by contribution), for the alert bodies. */
  stories: StoryLink[];
  now: string;
}

export interface Decision {
  alerts: AlertDraft[];
  state: StateUpdate[];
}

const DAY = 86_400_000;

export function inCooldown(state: RuleState | undefined, now: string, minutes: number): boolean {
  if (!state?.lastFiredAt) return false;
  return Date.parse(now) - Date.parse(state.lastFiredAt) < minutes * 60_000;
}

function baseData(input: DecideInput, shifted: string[], stories: StoryLink[]): AlertData {
  return {
    probabilities: input.event.probabilities,
    previous: input.event.previous?.probabilities ?? null,
    scenarioNames: Object.fromEntries(input.pack.scenarios.map((s) => [s.id, s.name])),
    shifted,
    stories: stories.slice(0, 5),
  };
}

/** A scenario by its name, as readers know it (the id only if the pack has no such scenario). */
function scenarioName(input: DecideInput, id: string): string {
  return input.pack.scenarios.find((s) => s.id === id)?.name ?? id;
}

/** "Principal meeting scheduled — Deal by Thanksgiving: 18% → 31%": what shifted, then the biggest move. */
function withMove(input: DecideInput, head: string): string {
  const move = input.event.previous ? biggestMove(input.event.previous.probabilities, input.event.probabilities) : null;
  if (!move || Math.abs(move.to - move.from) < 0.005) return head;
  return `${head} — ${scenarioName(input, move.scenarioId)}: ${pct(move.from)} → ${pct(move.to)}`;
}

/** What a signal says about its event: its modality, or "ruled out" when negated. */
function stance(s: Signal): string | null {
  return s.polarity === 'negated' ? 'ruled out' : s.modality;
}

function indicatorShifts(input: DecideInput): AlertDraft[] {
  const out: AlertDraft[] = [];
  const quietMs = input.settings.quiet_days * DAY;
  // Level indicators speak through their band crossings, not through every count.
  for (const ind of input.pack.indicators.filter((i) => i.kind !== 'level')) {
    const mine = input.signals.filter((s) => s.indicatorId === ind.id).sort((a, b) => a.at.localeCompare(b.at));
    const fresh = mine.filter((s) => s.isNew);
    if (fresh.length === 0) continue;
    const prior = mine.filter((s) => !s.isNew);
    const first = fresh[0]!;
    const latest = fresh[fresh.length - 1]!;
    const lastPrior = prior[prior.length - 1];
    const stories = [...fresh].reverse().map((s) => s.story);
    const now = stance(latest);
    if (!lastPrior || Date.parse(first.at) - Date.parse(lastPrior.at) >= quietMs) {
      const what = `${ind.name} ${now ?? 'signalled'}`;
      out.push(
        draft(
          input,
          'indicator_shift',
          `shift:${ind.id}:active`,
          withMove(input, what),
          [`${ind.name}: quiet → active`],
          stories,
          ind.id,
        ),
      );
      continue;
    }
    const before =
      [...prior]
        .reverse()
        .map(stance)
        .find((x) => x !== null) ?? null;
    if (now && before && now !== before) {
      const key = `shift:${ind.id}:${latest.polarity === 'negated' ? 'negated' : now}`;
      out.push(
        draft(
          input,
          'indicator_shift',
          key,
          withMove(input, `${ind.name} ${now}`),
          [`${ind.name}: ${before} → ${now}`],
          stories,
          ind.id,
        ),
      );
    }
  }
  return out;
}

function draft(
  input: DecideInput,
  kind: AlertDraft['kind'],
  ruleKey: string,
  title: string,
  shifted: string[],
  stories: StoryLink[],
  indicatorId?: string,
): AlertDraft {
  const data = baseData(input, shifted, stories.length > 0 ? stories : input.stories);
  if (indicatorId) data.indicatorId = indicatorId;
  return { kind, ruleKey, title, body: shifted.join('\n'), data };
}

/** Level crossings with hysteresis: fire at |z| ≥ fire_z, re-arm only once |z| < reset_z. */
function levelCrossings(input: DecideInput, updates: StateUpdate[]): AlertDraft[] {
  const out: AlertDraft[] = [];
  const { fire_z, reset_z } = input.settings.level;
  for (const ind of input.pack.indicators) {
    const z = input.event.levels[ind.id]?.z;
    if (z === null || z === undefined) continue;
    for (const side of ['high', 'low'] as const) {
      const key = `level:${ind.id}:${side}`;
      const signed = side === 'high' ? z : -z;
      const st = input.state[key] ?? { lastFiredAt: null, armed: true };
      if (!st.armed) {
        if (signed < reset_z) updates.push({ ruleKey: key, armed: true, firedAt: null });
        continue;
      }
      if (signed < fire_z) continue;
      const band = input.event.levels[ind.id]?.band;
      const what = `${ind.name} ${side === 'high' ? 'far above' : 'far below'} its baseline (z = ${z.toFixed(1)}${band ? `, ${band}` : ''})`;
      out.push(draft(input, 'level_crossing', key, withMove(input, what), [what], input.stories, ind.id));
    }
  }
  return out;
}

/** A scenario moved ≥ points within hours: compares with the farthest snapshot in the window. */
function probabilityMoves(input: DecideInput): AlertDraft[] {
  const out: AlertDraft[] = [];
  const { points, hours } = input.settings.probability_move;
  const since = Date.parse(input.event.at) - hours * 3_600_000;
  const window = input.history.filter((h) => Date.parse(h.at) >= since && h.at < input.event.at);
  if (input.event.previous && Date.parse(input.event.previous.at) >= since) window.push(input.event.previous);
  for (const s of input.pack.scenarios) {
    const now = input.event.probabilities[s.id];
    if (now === undefined) continue;
    let from: number | null = null;
    for (const h of window) {
      const p = h.probabilities[s.id];
      if (p !== undefined && (from === null || Math.abs(now - p) > Math.abs(now - from))) from = p;
    }
    if (from === null || Math.abs(now - from) * 100 < points) continue;
    const dir = now > from ? 'up' : 'down';
    const title = `${s.name}: ${pct(from)} → ${pct(now)} within ${humanize(hours)}`;
    const a = draft(
      input,
      'probability_move',
      `move:${s.id}:${dir}`,
      title,
      [`${s.name}: ${pct(from)} → ${pct(now)}`],
      input.stories,
    );
    a.data.scenarioId = s.id;
    a.data.points = Math.round((now - from) * 1000) / 10;
    out.push(a);
  }
  return out;
}

/** Applies the cooldown per rule key and returns the state to store. */
export function applyCooldown(
  candidates: AlertDraft[],
  state: Record<string, RuleState>,
  now: string,
  minutes: number,
  updates: StateUpdate[],
): AlertDraft[] {
  const fired: AlertDraft[] = [];
  for (const a of candidates) {
    if (inCooldown(state[a.ruleKey], now, minutes)) continue;
    fired.push(a);
    // A level rule disarms when it fires; the others stay armed.
    updates.push({ ruleKey: a.ruleKey, armed: a.kind !== 'level_crossing', firedAt: now });
  }
  return fired;
}

export function decideAlerts(input: DecideInput): Decision {
  const updates: StateUpdate[] = [];
  const candidates = [...indicatorShifts(input), ...levelCrossings(input, updates), ...probabilityMoves(input)];
  const alerts = applyCooldown(candidates, input.state, input.now, input.settings.cooldown_minutes, updates);
  return { alerts, state: updates };
}
