// Honest states for a reader arriving at the dashboard: no feeds, every feed failing, no story yet,
// the question closed. Pure text from the feed health and the question state, plus one cheap reader.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { type FeedHealth, listFeeds } from '../../ingest/feeds.ts';
import type { Pack } from '../../pack/schema.ts';
import type { QuestionState } from '../../scenarios/question-state.ts';

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Banners about where the data stands (the operator's to-dos come from questionState.attention). */
export function dataNotices(feeds: readonly FeedHealth[], hasStory: boolean): string[] {
  const live = feeds.filter((f) => f.status === 'active' || f.status === 'failing');
  if (live.length === 0)
    return ['No feeds are polled yet: add one with `bellwether feeds add URL --tier N`, or list them in the pack.'];
  const failing = live.filter((f) => f.status === 'failing');
  const out: string[] = [];
  if (failing.length === live.length) {
    const since = failing
      .map((f) => f.failingSince)
      .filter((s): s is string => s !== null)
      .sort()[0];
    out.push(
      `Every feed is failing (${failing.length} of ${live.length}${since ? `, since ${utc(since)}` : ''}): no new story can arrive until one recovers. The Feeds page has each error.`,
    );
  }
  if (!hasStory) {
    const next = live
      .map((f) => f.nextCheckAt)
      .filter((s): s is string => s !== null)
      .sort()[0];
    out.push(
      `No story has arrived yet${failing.length < live.length && next ? `: the next poll is due ${utc(next)}` : ''}. Probabilities stay at the pack's priors until stories are tagged.`,
    );
  }
  return out;
}

/** The question's end, said once: who resolved it and that the numbers no longer move. */
export function closedNotice(pack: Pack, state: QuestionState): string[] {
  if (!state.closed || state.outcome === null) return [];
  const s = pack.scenarios.find((x) => x.id === state.outcome);
  const r = state.scenarios.find((x) => x.id === state.outcome)?.resolution;
  return [
    `This question has closed: "${s?.name ?? state.outcome}" resolved yes${r ? ` on ${utc(r.resolvedAt)}` : ''}. The probabilities no longer move.`,
  ];
}

export async function readDataNotices(db: Kysely<Database>): Promise<string[]> {
  const feeds = await listFeeds(db);
  const story = await db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
  return dataNotices(feeds, story !== undefined);
}
