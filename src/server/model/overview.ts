// Builds the overview read model (probabilities, changes, history, largest moves) from snapshots.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Pack } from '../../pack/schema.ts';
import type { ServerContext } from '../deps.ts';
import { questionState, type ResolutionRecord } from '../../scenarios/question-state.ts';
import { movedBetween } from '../../scenarios/explanations.ts';
import { closedNotice, readDataNotices } from './notices.ts';
import { listResolutions } from '../../scenarios/resolutions.ts';
import { marketSeries, type MarketSeriesPoint } from '../../scenarios/market.ts';
import { latestSnapshot, type SnapshotPoint, snapshotAtOrBefore, snapshotHistory } from '../../scenarios/snapshots.ts';

export interface ScenarioSummary {
  id: string;
  name: string;
  description: string;
  probability: number | null;
  change24h: number | null;
  change7d: number | null;
  deadline: string | null;
  resolved: boolean;
  outcome: 'yes' | 'no' | null;
  /** The deadline passed and nobody resolved the scenario. */
  deadlinePassed: boolean;
  resolution: ResolutionRecord | null;
}

export interface Move {
  snapshotId: number;
  /** The snapshot before the move. */
  fromId: number;
  at: string;
  scenarioId: string;
  delta: number;
  /** The headline of the story that pushed this scenario most in the move's direction (null if none). */
  headline: string | null;
}

export interface OverviewModel {
  title: string;
  question: string;
  horizon: string;
  /** The horizon passed or a scenario resolved yes. */
  closed: boolean;
  /** What the operator should do (a deadline or the horizon passed unresolved); empty when nothing is owed. */
  attention: string[];
  /** Banners for the reader: no feeds, every feed failing, no story yet, the question closed. */
  notices: string[];
  asOf: string | null;
  snapshotId: number | null;
  scenarios: ScenarioSummary[];
  history: SnapshotPoint[];
  moves: Move[];
  /** The market or crowd points over the history's span (the chart's dotted lines). */
  market: MarketSeriesPoint[];
}

const HOUR = 3_600_000;

/** The largest single-step moves in the history (any scenario), biggest first. */
export function largestMoves(history: SnapshotPoint[], scenarioIds: string[], count: number): Move[] {
  const moves: Move[] = [];
  for (let i = 1; i < history.length; i++) {
    const prev = history[i - 1]!;
    const cur = history[i]!;
    let best: Move | null = null;
    for (const s of scenarioIds) {
      const a = prev.probabilities[s];
      const b = cur.probabilities[s];
      if (a === undefined || b === undefined) continue;
      if (!best || Math.abs(b - a) > Math.abs(best.delta))
        best = { snapshotId: cur.id, fromId: prev.id, at: cur.at, scenarioId: s, delta: b - a, headline: null };
    }
    if (best && best.delta !== 0) moves.push(best);
  }
  return moves.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)).slice(0, count);
}

/** Each move's headline: the story whose change pushed the scenario most in the move's direction. */
export async function withHeadlines(db: Kysely<Database>, moves: Move[], history: SnapshotPoint[]): Promise<Move[]> {
  const byId = new Map(history.map((h) => [h.id, h]));
  return Promise.all(
    moves.map(async (m) => {
      const to = byId.get(m.snapshotId);
      if (!to) return m;
      const moved = await movedBetween(db, byId.get(m.fromId) ?? null, to);
      const best = moved.stories.find((s) => s.title && Math.sign(s.push[m.scenarioId] ?? 0) === Math.sign(m.delta));
      return { ...m, headline: best?.title ?? null };
    }),
  );
}

const change = (now: SnapshotPoint | null, then: SnapshotPoint | null, s: string): number | null => {
  const a = then?.probabilities[s];
  const b = now?.probabilities[s];
  return a === undefined || b === undefined ? null : b - a;
};

/**
 * `headlines` names each move's story (default: `withHeadlines`, which reads both snapshots' contributions
 * per move); the server passes one cached per data version, since the page itself is rebuilt every minute.
 */
export async function buildOverview(
  db: Kysely<Database>,
  pack: Pack,
  now: Date,
  headlines: (moves: Move[], history: SnapshotPoint[]) => Promise<Move[]> = (m, h) => withHeadlines(db, m, h),
): Promise<OverviewModel> {
  const latest = await latestSnapshot(db, pack.id);
  const ref = latest ? new Date(Math.max(Date.parse(latest.at), now.getTime())) : now;
  const day = await snapshotAtOrBefore(db, pack.id, new Date(ref.getTime() - 24 * HOUR).toISOString());
  const week = await snapshotAtOrBefore(db, pack.id, new Date(ref.getTime() - 168 * HOUR).toISOString());
  const history = await snapshotHistory(
    db,
    pack.id,
    new Date(ref.getTime() - 366 * 24 * HOUR).toISOString(),
    ref.toISOString(),
    2000,
  );
  const state = questionState(pack, await listResolutions(db, pack.id), now);
  const ids = pack.scenarios.map((s) => s.id);
  return {
    title: pack.title,
    question: pack.question,
    horizon: pack.horizon,
    closed: state.closed,
    attention: state.attention,
    notices: [...closedNotice(pack, state), ...(await readDataNotices(db)), ...state.attention],
    asOf: latest?.at ?? null,
    snapshotId: latest?.id ?? null,
    scenarios: pack.scenarios.map((s, i) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      probability: latest?.probabilities[s.id] ?? null,
      change24h: change(latest, day, s.id),
      change7d: change(latest, week, s.id),
      deadline: s.deadline ?? null,
      resolved: state.scenarios[i]!.resolution !== null,
      outcome: state.scenarios[i]!.resolution?.outcome ?? null,
      deadlinePassed: state.scenarios[i]!.deadlinePassed,
      resolution: state.scenarios[i]!.resolution,
    })),
    history,
    moves: await headlines(largestMoves(history, ids, 8), history),
    market: history.length > 0 ? await marketSeries(db, pack, { from: history[0]!.at, to: ref.toISOString() }) : [],
  };
}

/**
 * The overview model for the cache key `key` (data version + minute). The moves' headlines change only
 * with the data (or when the year-long window drops a snapshot), not by the minute: at 100,000 articles
 * they cost a second of reading contributions, which a per-minute rebuild would pay every minute.
 */
export async function cachedOverview(ctx: ServerContext, key: string, now: Date): Promise<OverviewModel> {
  const { deps, cache } = ctx;
  const version = await cache.version();
  return cache.get('overview', key, () =>
    buildOverview(deps.db, deps.pack.pack, now, (moves, history) =>
      cache.get('overview:headlines', `${version}:${history[0]?.id ?? ''}`, () =>
        withHeadlines(deps.db, moves, history),
      ),
    ),
  );
}
