// Polymarket adapter: the Gamma API's public market JSON → the price of one outcome, as a probability.
//
// Shape relied on (Gamma API, https://gamma-api.polymarket.com; as read by public clients such as the
// polymarket-gamma Python SDK and many open-source bots, e.g. `json.loads(m["outcomePrices"])`):
//   GET /markets?slug=<slug>  → an array of markets (empty when the slug is unknown)
//   GET /markets/<id>         → one market
//   market = { id: "253591", slug: "…", question: "…", closed: false,
//              outcomes: "[\"Yes\", \"No\"]", outcomePrices: "[\"0.535\", \"0.465\"]", … }
// `outcomes` and `outcomePrices` are JSON arrays encoded as strings (some responses carry real arrays:
// both are accepted); prices are strings in [0, 1], in the order of `outcomes`.
import type { MarketSource } from '../../pack/schema.ts';
import { MarketError } from './market-error.ts';
import type { MarketReading } from './types.ts';

type PolymarketSource = Extract<MarketSource, { kind: 'polymarket' }>;

export function polymarketUrl(source: PolymarketSource, base: string): string {
  return /^\d+$/.test(source.market)
    ? `${base}/markets/${source.market}`
    : `${base}/markets?slug=${encodeURIComponent(source.market)}`;
}

/** A JSON array, or a JSON array encoded as a string. */
function list(value: unknown, field: string, where: string): unknown[] {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new MarketError(`${where}: ${field} is not a JSON array (got ${JSON.stringify(value).slice(0, 60)})`);
    }
  }
  if (!Array.isArray(v)) throw new MarketError(`${where}: ${field} is missing or not an array`);
  return v;
}

export function readPolymarket(json: unknown, source: PolymarketSource): MarketReading {
  const where = `polymarket ${source.market}`;
  const market: unknown = Array.isArray(json) ? json[0] : json;
  if (Array.isArray(json) && json.length === 0) throw new MarketError(`${where}: no market has this slug`);
  if (!market || typeof market !== 'object') throw new MarketError(`${where}: expected a market object`);
  const m = market as Record<string, unknown>;
  const outcomes = list(m.outcomes, 'outcomes', where).map((o) => String(o));
  const prices = list(m.outcomePrices, 'outcomePrices', where);
  const index = outcomes.findIndex((o) => o.toLowerCase() === source.outcome.toLowerCase());
  if (index < 0)
    throw new MarketError(`${where}: no outcome "${source.outcome}" (the market has ${outcomes.join(', ') || 'none'})`);
  const raw = prices[index];
  const probability = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(probability) || probability < 0 || probability > 1)
    throw new MarketError(
      `${where}: the price of "${source.outcome}" is not a probability (got ${JSON.stringify(raw)})`,
    );
  const slug = typeof m.slug === 'string' && /^[A-Za-z0-9_-]+$/.test(m.slug) ? m.slug : source.market;
  return { probability, url: `https://polymarket.com/market/${slug}` };
}
