// Metaculus adapter: a question's public JSON → its community prediction (binary questions).
//
// Shapes relied on:
// - Current API (https://www.metaculus.com/api/, post-based since 2024): GET /api/posts/<id>/ →
//   { id, title, question: { id, type: "binary", aggregations: { recency_weighted: { latest:
//   { centers: [0.71], start_time, … } | null } } } }. `latest` is null until someone forecasts, and
//   hidden (null) while the community prediction is embargoed. Metaculus's own forecasting-tools
//   package reads `api_json["question"]["aggregations"]["recency_weighted"]["latest"]["centers"][0]`.
// - The older /api2/questions/<id>/ shape: { community_prediction: { full: { q2: 0.71 } } } (the median),
//   accepted too, so a mirror or an old fixture still reads.
// The API may ask for a token (`Authorization: Token …`): set METACULUS_API_TOKEN.
import type { MarketSource } from '../../pack/schema.ts';
import { MarketError } from './market-error.ts';
import type { MarketReading } from './types.ts';

type MetaculusSource = Extract<MarketSource, { kind: 'metaculus' }>;

export function metaculusUrl(source: MetaculusSource, base: string): string {
  return `${base}/api/posts/${source.question}/`;
}

const at = (v: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);

export function readMetaculus(json: unknown, source: MetaculusSource): MarketReading {
  const where = `metaculus ${source.question}`;
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new MarketError(`${where}: expected a question object`);
  const type = at(json, 'question', 'type');
  if (typeof type === 'string' && type !== 'binary')
    throw new MarketError(`${where}: a ${type} question has no single probability (expected a binary question)`);
  const centers = at(json, 'question', 'aggregations', 'recency_weighted', 'latest', 'centers');
  const value = Array.isArray(centers) ? centers[0] : at(json, 'community_prediction', 'full', 'q2');
  if (value === undefined || value === null)
    throw new MarketError(`${where}: no community prediction yet (none made, or hidden)`);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new MarketError(`${where}: the community prediction is not a probability (got ${JSON.stringify(value)})`);
  return { probability: value, url: `https://www.metaculus.com/questions/${source.question}/` };
}
