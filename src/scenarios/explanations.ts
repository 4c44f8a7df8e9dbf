// The one explanation module for the CLI, the dashboard and the API: evidence grouped by story with
// the exact leave-one-story-out probability, and what moved between two snapshots (a day, 24 hours).
// Pure functions first, then thin database readers.
import type { Kysely, Selectable } from 'kysely';
import { parseScenarioMap } from '../db/json-columns.ts';
import type { Database, EvidenceContributionsTable, Modality, Polarity } from '../db/schema.ts';
import { leaveOneOut, logOddsShift, logOddsShifter, type ProbabilityVector } from './explain.ts';
import { firstSnapshot, snapshotAtOrBefore, type SnapshotPoint } from './snapshots.ts';

/** One stored evidence contribution of a snapshot, joined with the story behind it. */
export interface StoredContribution {
  indicatorId: string;
  polarity: Polarity | null;
  modality: Modality | null;
  clusterId: number | null;
  articleId: number | null;
  weight: number;
  /** c(s) per scenario (natural log). */
  logOdds: Record<string, number>;
  /** Story details (null when read from the engine rather than the database). */
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  feedName: string | null;
  sources: number | null;
}

/** One tag-level piece of a story's evidence (indicator, polarity, modality). */
export interface StoryTag {
  indicatorId: string;
  polarity: Polarity | null;
  modality: Modality | null;
  weight: number;
  /** This piece's own push on the scenario's log-odds. */
  shift: number;
}

/** What identifies a story (a cluster, or a lone article) wherever the read model shows one. */
export interface StoryRef {
  /** `c<clusterId>` or `a<articleId>`. */
  story: string;
  clusterId: number | null;
  articleId: number | null;
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  feedName: string | null;
  sources: number | null;
}

/** A story (cluster, or lone article) and its whole effect on one scenario. */
export interface StoryExplanation extends StoryRef {
  tags: StoryTag[];
  /** The whole story's push on the scenario's log-odds (positive = for). */
  shift: number;
  /** The scenario's probability without this story, exact: the rest of the evidence is unchanged. */
  without: number;
  /** probability − without, in probability units (×100 for points). */
  push: number;
}

export interface ScenarioExplanation {
  scenarioId: string;
  probability: number;
  for: StoryExplanation[];
  against: StoryExplanation[];
  /** Stories and contributions in the snapshot. */
  stories: number;
  contributions: number;
}

export interface StoryEffect {
  story: string;
  clusterId: number | null;
  articleId: number | null;
  title: string | null;
  url: string | null;
  /** The probabilities without this story (all its indicators removed). */
  without: ProbabilityVector;
}

export const contributionKey = (c: StoredContribution) =>
  `${c.indicatorId}|${c.polarity ?? ''}|${c.modality ?? ''}|${c.clusterId ?? ''}|${c.clusterId === null ? (c.articleId ?? '') : ''}`;
export const storyKey = (c: { clusterId: number | null; articleId: number | null }) =>
  c.clusterId !== null ? `c${c.clusterId}` : `a${c.articleId ?? ''}`;

interface StoryGroup<C extends StoredContribution> {
  key: string;
  /** The story's earliest-published contribution carries its title and link. */
  first: C;
  items: C[];
  /** Σ c(s) over the story's contributions. */
  sum: Record<string, number>;
}

/** Contributions grouped by story, in first-seen order. */
export function groupByStory<C extends StoredContribution>(
  contributions: readonly C[],
  logOdds: (c: C) => Record<string, number> = (c) => c.logOdds,
): StoryGroup<C>[] {
  const stories = new Map<string, StoryGroup<C>>();
  for (const c of contributions) {
    const k = storyKey(c);
    let s = stories.get(k);
    if (!s) stories.set(k, (s = { key: k, first: c, items: [], sum: {} }));
    s.items.push(c);
    if (c.title !== null && s.first.title === null) s.first = c;
    for (const [id, v] of Object.entries(logOdds(c))) s.sum[id] = (s.sum[id] ?? 0) + v;
  }
  return [...stories.values()];
}

const storyFields = (g: StoryGroup<StoredContribution>) => ({
  story: g.key,
  clusterId: g.first.clusterId,
  articleId: g.first.articleId,
  title: g.first.title,
  url: g.first.url,
  publishedAt: g.first.publishedAt,
  feedName: g.first.feedName,
  sources: g.first.sources,
});

/**
 * One scenario's stories for and against it, strongest first, each with its tags and the exact
 * probability without the whole story. Example: p = {a: 0.8, b: 0.2} and one story with
 * c = {a: ln 4, b: 0} → the row shows without = 50 %, push = +30 points.
 */
export function explainScenario(
  probabilities: ProbabilityVector,
  contributions: readonly StoredContribution[],
  scenarioId: string,
  top = 10,
): ScenarioExplanation {
  const p = probabilities[scenarioId] ?? 0;
  const groups = groupByStory(contributions);
  // Rank every story by its shift, then build the rows (tags, leave-one-out) only for the ones shown:
  // a snapshot at a million articles holds tens of thousands of stories, and only 2 × `top` are read.
  const shiftOf = logOddsShifter(probabilities, scenarioId);
  const live = groups
    .map((g) => ({ g, shift: shiftOf(g.sum) }))
    .filter((r) => Number.isFinite(r.shift) && Math.abs(r.shift) > 1e-9);
  const row = ({ g, shift }: { g: StoryGroup<StoredContribution>; shift: number }): StoryExplanation => {
    const without = leaveOneOut(probabilities, g.sum)[scenarioId] ?? 0;
    return {
      ...storyFields(g),
      tags: g.items
        .map((c) => ({
          indicatorId: c.indicatorId,
          polarity: c.polarity,
          modality: c.modality,
          weight: c.weight,
          shift: logOddsShift(probabilities, c.logOdds, scenarioId),
        }))
        .sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift)),
      shift,
      without,
      push: p - without,
    };
  };
  return {
    scenarioId,
    probability: p,
    for: live
      .filter((r) => r.shift > 0)
      .sort((a, b) => b.shift - a.shift)
      .slice(0, top)
      .map(row),
    against: live
      .filter((r) => r.shift < 0)
      .sort((a, b) => a.shift - b.shift)
      .slice(0, top)
      .map(row),
    stories: groups.length,
    contributions: contributions.length,
  };
}

/** What the probabilities would be without each story (every contribution of that story removed). */
export function leaveOneStoryOut(
  probabilities: ProbabilityVector,
  contributions: readonly StoredContribution[],
): StoryEffect[] {
  return groupByStory(contributions).map((g) => ({
    story: g.key,
    clusterId: g.first.clusterId,
    articleId: g.first.articleId,
    title: g.first.title,
    url: g.first.url,
    without: leaveOneOut(probabilities, g.sum),
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

/** A story that moved the forecast between two snapshots, with its push in probability per scenario. */
export interface StoryMove extends StoryRef {
  /** The story's pieces that appeared, changed or went. */
  movers: Mover[];
  /**
   * Per scenario: p_after(s) − p_after-without-this-story's-change(s), exact (probability units). The
   * pushes of several stories need not add up to the total move (softmax is not additive).
   */
  push: Record<string, number>;
}

/** Movers grouped by story, each with its exact push at the later snapshot, biggest push first. */
export function storyMoves(after: ProbabilityVector, movers: readonly Mover[]): StoryMove[] {
  return groupByStory(movers, (m) => m.change)
    .map((g) => {
      const without = leaveOneOut(after, g.sum);
      return {
        ...storyFields(g),
        movers: g.items,
        push: Object.fromEntries(Object.entries(after).map(([s, p]) => [s, p - (without[s] ?? 0)])),
      };
    })
    .sort((a, b) => maxAbs(b.push) - maxAbs(a.push));
}

const maxAbs = (r: Record<string, number>) => Math.max(0, ...Object.values(r).map(Math.abs));

// ---- database readers ----

type ContributionRow = Pick<
  Selectable<EvidenceContributionsTable>,
  'indicator_id' | 'polarity' | 'modality' | 'cluster_id' | 'article_id' | 'weight' | 'log_odds'
>;

const bareContribution = (r: ContributionRow) => ({
  indicatorId: r.indicator_id,
  polarity: r.polarity,
  modality: r.modality,
  clusterId: r.cluster_id,
  articleId: r.article_id,
  weight: r.weight,
  logOdds: parseScenarioMap(r.log_odds),
});

/** A snapshot's stored contributions with their story's title, link, time, feed and number of sources. */
export async function readContributions(
  db: Kysely<Database>,
  snapshotId: number,
  only?: readonly number[],
): Promise<StoredContribution[]> {
  if (only && only.length === 0) return [];
  const rows = await db
    .selectFrom('evidence_contributions as e')
    .leftJoin('articles as a', 'a.id', 'e.article_id')
    .leftJoin('story_clusters as c', 'c.id', 'e.cluster_id')
    .leftJoin('feeds as f', 'f.id', 'a.feed_id')
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
      'a.published_at',
      'f.name as feed_name',
      'c.source_count',
    ])
    .where('e.snapshot_id', '=', snapshotId)
    .$if(only !== undefined, (q) => q.where('e.id', 'in', only!))
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    ...bareContribution(r),
    title: r.title,
    url: r.url,
    publishedAt: r.published_at,
    feedName: r.feed_name,
    sources: r.source_count ?? (r.article_id === null ? null : 1),
  }));
}

/**
 * `explainScenario` over a stored snapshot, reading the story details (titles, links, feeds: three joins
 * per row) only for the stories shown: every contribution is read bare to rank the stories, then the
 * shown stories' contributions again with their details. The same result as
 * `explainScenario(p, await readContributions(db, id), scenarioId)`, since a story's row depends only
 * on its own contributions.
 */
export async function explainStoredScenario(
  db: Kysely<Database>,
  snapshot: { id: number; probabilities: ProbabilityVector },
  scenarioId: string,
  top = 10,
): Promise<ScenarioExplanation> {
  const bare = await db
    .selectFrom('evidence_contributions')
    .select(['id', 'indicator_id', 'polarity', 'modality', 'cluster_id', 'article_id', 'weight', 'log_odds'])
    .where('snapshot_id', '=', snapshot.id)
    .orderBy('id')
    .execute();
  const contributions = bare.map((r) => ({
    ...bareContribution(r),
    id: r.id,
    title: null,
    url: null,
    publishedAt: null,
    feedName: null,
    sources: null,
  }));
  const ranked = explainScenario(snapshot.probabilities, contributions, scenarioId, top);
  const shown = new Set([...ranked.for, ...ranked.against].map((r) => r.story));
  const ids = contributions.filter((c) => shown.has(storyKey(c))).map((c) => c.id);
  const detailed: StoredContribution[] = [];
  for (let i = 0; i < ids.length; i += 500)
    detailed.push(...(await readContributions(db, snapshot.id, ids.slice(i, i + 500))));
  const e = explainScenario(snapshot.probabilities, detailed, scenarioId, top);
  return { ...e, stories: ranked.stories, contributions: ranked.contributions };
}

export interface Explanation {
  snapshot: SnapshotPoint;
  scenarios: ScenarioExplanation[];
  stories: StoryEffect[];
}

/** Everything behind a snapshot: each scenario's stories for and against, and leave-one-out per story. */
export async function explainSnapshot(db: Kysely<Database>, snapshot: SnapshotPoint, top = 10): Promise<Explanation> {
  const contributions = await readContributions(db, snapshot.id);
  return {
    snapshot,
    scenarios: Object.keys(snapshot.probabilities).map((id) =>
      explainScenario(snapshot.probabilities, contributions, id, top),
    ),
    stories: leaveOneStoryOut(snapshot.probabilities, contributions),
  };
}

/** The explanation of the forecast in force at `at` (null before the first snapshot). */
export async function explainAt(
  db: Kysely<Database>,
  packId: string,
  at: string,
  top = 10,
): Promise<Explanation | null> {
  const snapshot = await snapshotAtOrBefore(db, packId, at);
  return snapshot ? explainSnapshot(db, snapshot, top) : null;
}

export interface WhatMoved {
  from: SnapshotPoint | null;
  to: SnapshotPoint;
  /** Probability change per scenario (percentage points are ×100). */
  change: Record<string, number>;
  movers: Mover[];
  stories: StoryMove[];
}

/** What moved between two snapshots: the probability change and the stories behind it. */
export async function movedBetween(
  db: Kysely<Database>,
  from: SnapshotPoint | null,
  to: SnapshotPoint,
): Promise<WhatMoved> {
  const change = Object.fromEntries(
    Object.entries(to.probabilities).map(([s, p]) => [s, p - (from?.probabilities[s] ?? p)]),
  );
  const movers = diffContributions(
    from ? await readContributions(db, from.id) : [],
    await readContributions(db, to.id),
  );
  return { from, to, change, movers, stories: storyMoves(to.probabilities, movers) };
}

/** The snapshot diff over the `hours` before `at` and the contributions that appeared or changed. */
export async function whatMoved(
  db: Kysely<Database>,
  packId: string,
  at: string,
  hours = 24,
): Promise<WhatMoved | null> {
  const to = await snapshotAtOrBefore(db, packId, at);
  if (!to) return null;
  // The snapshot in force `hours` ago; if the history is younger than that, its first snapshot.
  const from =
    (await snapshotAtOrBefore(db, packId, new Date(Date.parse(at) - hours * 3_600_000).toISOString())) ??
    (await firstSnapshot(db, packId).then((f) => (f && f.id !== to.id ? f : null)));
  return movedBetween(db, from, to);
}

/** What changed on one UTC day (YYYY-MM-DD): the last snapshot of the day against the last one before it. */
export async function whatChangedOn(db: Kysely<Database>, packId: string, day: string): Promise<WhatMoved | null> {
  const to = await snapshotAtOrBefore(db, packId, `${day}T23:59:59.999Z`);
  if (!to || to.at < `${day}T00:00:00.000Z`) return null;
  const from = await snapshotAtOrBefore(db, packId, new Date(Date.parse(`${day}T00:00:00.000Z`) - 1).toISOString());
  return movedBetween(db, from, to);
}
