// Explanations the server and CLI show: top contributions for/against, leave-one-out per story,
// and what moved in the last 24 hours. Pure functions first, then thin database readers.
import type { Kysely } from 'kysely';
import type { Database, Modality, Polarity } from '../db/schema.ts';
import { leaveOneOut, logOddsShift, type ProbabilityVector } from './explain.ts';

export interface StoredContribution {
  indicatorId: string;
  polarity: Polarity | null;
  modality: Modality | null;
  clusterId: number | null;
  articleId: number | null;
  weight: number;
  logOdds: Record<string, number>;
  /** Story details when read from the database. */
  title: string | null;
  url: string | null;
  sources: number | null;
}

export interface RankedContribution extends StoredContribution {
  /** Push on the scenario's log-odds given the rest of the evidence (positive = for). */
  shift: number;
}

export interface ScenarioExplanation {
  id: string;
  probability: number;
  for: RankedContribution[];
  against: RankedContribution[];
}

export interface StoryEffect {
  clusterId: number | null;
  articleId: number | null;
  title: string | null;
  url: string | null;
  /** The probabilities without this story (all its indicators removed). */
  without: ProbabilityVector;
}

export const contributionKey = (c: StoredContribution) =>
  `${c.indicatorId}|${c.polarity ?? ''}|${c.modality ?? ''}|${c.clusterId ?? ''}|${c.clusterId === null ? (c.articleId ?? '') : ''}`;
const storyKey = (c: StoredContribution) => (c.clusterId !== null ? `c${c.clusterId}` : `a${c.articleId ?? ''}`);

/** Each scenario's top `n` contributions for and against, by their log-odds push. */
export function topContributions(
  probabilities: ProbabilityVector,
  contributions: readonly StoredContribution[],
  n = 5,
): ScenarioExplanation[] {
  return Object.entries(probabilities).map(([id, probability]) => {
    const ranked = contributions
      .map((c) => ({ ...c, shift: logOddsShift(probabilities, c.logOdds, id) }))
      .filter((c) => Number.isFinite(c.shift) && c.shift !== 0);
    return {
      id,
      probability,
      for: ranked
        .filter((c) => c.shift > 0)
        .sort((a, b) => b.shift - a.shift)
        .slice(0, n),
      against: ranked
        .filter((c) => c.shift < 0)
        .sort((a, b) => a.shift - b.shift)
        .slice(0, n),
    };
  });
}

/** What the probabilities would be without each story (every contribution of that story removed). */
export function leaveOneStoryOut(
  probabilities: ProbabilityVector,
  contributions: readonly StoredContribution[],
): StoryEffect[] {
  const stories = new Map<string, { first: StoredContribution; sum: Record<string, number> }>();
  for (const c of contributions) {
    const k = storyKey(c);
    const s = stories.get(k) ?? { first: c, sum: {} };
    for (const [id, v] of Object.entries(c.logOdds)) s.sum[id] = (s.sum[id] ?? 0) + v;
    stories.set(k, s);
  }
  return [...stories.values()].map(({ first, sum }) => ({
    clusterId: first.clusterId,
    articleId: first.articleId,
    title: first.title,
    url: first.url,
    without: leaveOneOut(probabilities, sum),
  }));
}

export interface Mover extends StoredContribution {
  status: 'new' | 'changed' | 'gone';
  /** Change in c(s) per scenario between the two snapshots. */
  change: Record<string, number>;
  /** Largest absolute change over scenarios. */
  size: number;
}

/** Contributions that appeared, changed or went between two snapshots, largest first. */
export function diffContributions(
  before: readonly StoredContribution[],
  after: readonly StoredContribution[],
  minChange = 1e-3,
): Mover[] {
  const old = new Map(before.map((c) => [contributionKey(c), c]));
  const movers: Mover[] = [];
  const seen = new Set<string>();
  for (const c of after) {
    const k = contributionKey(c);
    seen.add(k);
    const prev = old.get(k);
    const change = Object.fromEntries(Object.entries(c.logOdds).map(([s, v]) => [s, v - (prev?.logOdds[s] ?? 0)]));
    movers.push({
      ...c,
      status: prev ? 'changed' : 'new',
      change,
      size: Math.max(0, ...Object.values(change).map(Math.abs)),
    });
  }
  for (const [k, c] of old) {
    if (seen.has(k)) continue;
    const change = Object.fromEntries(Object.entries(c.logOdds).map(([s, v]) => [s, -v]));
    movers.push({ ...c, status: 'gone', change, size: Math.max(0, ...Object.values(change).map(Math.abs)) });
  }
  return movers
    .filter((m) => m.size >= minChange && !(m.status === 'changed' && isDecayOnly(m, old.get(contributionKey(m))!)))
    .sort((a, b) => b.size - a.size);
}

/** A contribution that only faded (same sign, smaller) is not news: "what moved" lists real changes. */
function isDecayOnly(now: StoredContribution, before: StoredContribution): boolean {
  return (
    now.weight === before.weight &&
    Object.entries(now.logOdds).every(([s, v]) => Math.abs(v) <= Math.abs(before.logOdds[s] ?? 0) + 1e-12)
  );
}

// ---- database readers ----

export interface SnapshotRow {
  id: number;
  at: string;
  probabilities: ProbabilityVector;
}

/** The latest snapshot at or before `at` (null if none). */
export async function snapshotAt(db: Kysely<Database>, packId: string, at: string): Promise<SnapshotRow | null> {
  const r = await db
    .selectFrom('snapshots')
    .select(['id', 'at', 'probabilities'])
    .where('pack_id', '=', packId)
    .where('at', '<=', at)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? { id: r.id, at: r.at, probabilities: JSON.parse(r.probabilities) as ProbabilityVector } : null;
}

async function firstSnapshot(db: Kysely<Database>, packId: string): Promise<SnapshotRow | null> {
  const r = await db
    .selectFrom('snapshots')
    .select(['id', 'at', 'probabilities'])
    .where('pack_id', '=', packId)
    .orderBy('at')
    .orderBy('id')
    .executeTakeFirst();
  return r ? { id: r.id, at: r.at, probabilities: JSON.parse(r.probabilities) as ProbabilityVector } : null;
}

/** A snapshot's stored contributions with their story's title, URL and number of sources. */
export async function readContributions(db: Kysely<Database>, snapshotId: number): Promise<StoredContribution[]> {
  const rows = await db
    .selectFrom('evidence_contributions as e')
    .leftJoin('articles as a', 'a.id', 'e.article_id')
    .leftJoin('story_clusters as c', 'c.id', 'e.cluster_id')
    .select([
      'e.indicator_id',
      'e.polarity',
      'e.modality',
      'e.cluster_id',
      'e.article_id',
      'e.weight',
      'e.log_odds',
      'a.title',
      'a.url',
      'c.source_count',
    ])
    .where('e.snapshot_id', '=', snapshotId)
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    indicatorId: r.indicator_id,
    polarity: r.polarity,
    modality: r.modality,
    clusterId: r.cluster_id,
    articleId: r.article_id,
    weight: r.weight,
    logOdds: JSON.parse(r.log_odds) as Record<string, number>,
    title: r.title,
    url: r.url,
    sources: r.source_count ?? (r.article_id === null ? null : 1),
  }));
}

export interface Explanation {
  snapshot: SnapshotRow;
  scenarios: ScenarioExplanation[];
  stories: StoryEffect[];
}

/** Everything behind the forecast at `at`: top contributions per scenario and leave-one-out per story. */
export async function explainAt(
  db: Kysely<Database>,
  packId: string,
  at: string,
  top = 5,
): Promise<Explanation | null> {
  const snapshot = await snapshotAt(db, packId, at);
  if (!snapshot) return null;
  const contributions = await readContributions(db, snapshot.id);
  return {
    snapshot,
    scenarios: topContributions(snapshot.probabilities, contributions, top),
    stories: leaveOneStoryOut(snapshot.probabilities, contributions),
  };
}

export interface WhatMoved {
  from: SnapshotRow | null;
  to: SnapshotRow;
  /** Probability change per scenario (percentage points are ×100). */
  change: Record<string, number>;
  movers: Mover[];
}

/** The snapshot diff over the `hours` before `at` and the contributions that appeared or changed. */
export async function whatMoved(
  db: Kysely<Database>,
  packId: string,
  at: string,
  hours = 24,
): Promise<WhatMoved | null> {
  const to = await snapshotAt(db, packId, at);
  if (!to) return null;
  // The snapshot in force `hours` ago; if the history is younger than that, its first snapshot.
  const from =
    (await snapshotAt(db, packId, new Date(Date.parse(at) - hours * 3_600_000).toISOString())) ??
    (await firstSnapshot(db, packId).then((f) => (f && f.id !== to.id ? f : null)));
  const change = Object.fromEntries(
    Object.entries(to.probabilities).map(([s, p]) => [s, p - (from?.probabilities[s] ?? p)]),
  );
  const movers = diffContributions(
    from ? await readContributions(db, from.id) : [],
    await readContributions(db, to.id),
  );
  return { from, to, change, movers };
}
