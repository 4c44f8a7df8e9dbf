// The market or crowd series beside the model: the pack's recorded points and the polled ones, as one
// time-ordered list (what the chart draws, the API serves and `score` uses as a baseline).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MarketPoint, Pack } from '../pack/schema.ts';
import { compareText } from './engine/types.ts';

export interface MarketSeriesPoint {
  /** ISO-8601 UTC; a pack point dated by day alone reads as that day's 00:00 UTC. */
  at: string;
  scenario: string;
  probability: number;
  /** Who said so: the pack's `source` text, or `polymarket:<slug>` / `metaculus:<id>` for a polled point. */
  source: string;
  url: string | null;
  /** `pack`: recorded in the pack from public reporting; `polled`: read from a public API by `start`. */
  origin: 'pack' | 'polled';
}

export function packMarketPoint(m: MarketPoint): MarketSeriesPoint {
  const at = m.date.length === 10 ? `${m.date}T00:00:00.000Z` : new Date(Date.parse(m.date)).toISOString();
  return { at, scenario: m.scenario, probability: m.probability, source: m.source, url: m.url, origin: 'pack' };
}

export interface MarketRange {
  /** Inclusive ISO bounds; open when left out. */
  from?: string;
  to?: string;
}

/** The pack's market series and the points polled for it, oldest first (ties: pack before polled, then source). */
export async function marketSeries(
  db: Kysely<Database>,
  pack: Pick<Pack, 'id' | 'market'>,
  range: MarketRange = {},
): Promise<MarketSeriesPoint[]> {
  let q = db
    .selectFrom('market_points')
    .select(['at', 'scenario_id', 'probability', 'source', 'url'])
    .where('pack_id', '=', pack.id);
  if (range.from) q = q.where('at', '>=', range.from);
  if (range.to) q = q.where('at', '<=', range.to);
  const polled = (await q.orderBy('at').orderBy('id').execute()).map((r): MarketSeriesPoint => ({
    at: r.at,
    scenario: r.scenario_id,
    probability: r.probability,
    source: r.source,
    url: r.url,
    origin: 'polled',
  }));
  const recorded = pack.market
    .map(packMarketPoint)
    .filter((p) => (!range.from || p.at >= range.from) && (!range.to || p.at <= range.to));
  const rank = (p: MarketSeriesPoint) => (p.origin === 'pack' ? 0 : 1);
  return [...recorded, ...polled].sort(
    (a, b) => compareText(a.at, b.at) || rank(a) - rank(b) || compareText(a.source, b.source),
  );
}
