// Summarises a snapshot history in words: the largest day-over-day moves and the stories behind them.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { whatMoved } from '../scenarios/explanations.ts';
import type { Pack } from '../pack/schema.ts';

export interface Move {
  at: string;
  scenarioId: string;
  from: number;
  to: number;
  /** Titles of the stories whose contributions moved this scenario most, strongest first. */
  stories: string[];
}

export interface HistorySummary {
  moves: Move[];
  final: Record<string, number>;
  paragraph: string;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

export async function summariseHistory(db: Kysely<Database>, pack: Pack, top = 4): Promise<HistorySummary> {
  const rows = await db
    .selectFrom('snapshots')
    .select(['at', 'probabilities'])
    .where('pack_id', '=', pack.id)
    .orderBy('at')
    .execute();
  const history = rows.map((r) => ({ at: r.at, p: JSON.parse(r.probabilities) as Record<string, number> }));
  const candidates: Omit<Move, 'stories'>[] = [];
  for (let i = 1; i < history.length; i += 1) {
    const before = history[i - 1]!;
    const after = history[i]!;
    // A scenario spent by its deadline is bookkeeping, not news: leave it out of "what moved".
    const live = pack.scenarios.filter((s) => (after.p[s.id] ?? 0) > 0);
    const best = live
      .map((s) => ({ id: s.id, d: (after.p[s.id] ?? 0) - (before.p[s.id] ?? 0) }))
      .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
    if (best)
      candidates.push({ at: after.at, scenarioId: best.id, from: before.p[best.id] ?? 0, to: after.p[best.id] ?? 0 });
  }
  const chosen = candidates
    .sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from))
    .slice(0, top)
    .sort((a, b) => a.at.localeCompare(b.at));
  const moves: Move[] = [];
  for (const m of chosen) {
    const moved = await whatMoved(db, pack.id, m.at, 24);
    const sign = Math.sign(m.to - m.from);
    const stories = (moved?.movers ?? [])
      .filter((c) => c.title && Math.sign(c.change[m.scenarioId] ?? 0) === sign)
      .sort((a, b) => Math.abs(b.change[m.scenarioId] ?? 0) - Math.abs(a.change[m.scenarioId] ?? 0))
      .map((c) => c.title!)
      .filter((t, i, all) => all.indexOf(t) === i)
      .slice(0, 2);
    moves.push({ ...m, stories });
  }
  const final = history.at(-1)?.p ?? {};
  const name = (id: string) => pack.scenarios.find((s) => s.id === id)?.name ?? id;
  const sentences = moves.map(
    (m) =>
      `on ${m.at.slice(0, 10)} ${name(m.scenarioId)} went ${pct(m.from)} → ${pct(m.to)}${m.stories.length ? ` (${m.stories.map((s) => `“${s}”`).join('; ')})` : ''}`,
  );
  const spent = pack.scenarios
    .filter((s) => s.deadline && (final[s.id] ?? 0) === 0)
    .map((s) => `${name(s.id)} was spent when its deadline ${s.deadline} passed`);
  const paragraph =
    `Over ${history.length} daily snapshots the largest moves were: ${sentences.join('; ') || 'none'}. ` +
    `${spent.length ? `${spent.join('; ')}. ` : ''}` +
    `At the end: ${pack.scenarios.map((s) => `${name(s.id)} ${pct(final[s.id] ?? 0)}`).join(', ')}.`;
  return { moves, final, paragraph };
}
