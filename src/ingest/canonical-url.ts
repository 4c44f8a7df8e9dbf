// Canonical article URLs for identity: lower-case scheme and host, no default port, no fragment,
// no tracking parameters (utm_*, fbclid, gclid, ...), remaining query parameters sorted.

/** Query parameters that only track the reader and never change the page. */
const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'mc_cid',
  'mc_eid',
  'igshid',
  '_ga',
  '_gl',
  'ocid',
  'cmpid',
  'ncid',
  'sr_share',
  'at_medium',
  'at_campaign',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_'];

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_EXACT.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/**
 * Returns the canonical form of an http(s) URL, or null when `raw` is not one.
 * Relative links are resolved against `base` (the feed URL) when given.
 * WHATWG URL parsing already lower-cases scheme and host and drops default ports.
 */
export function canonicalUrl(raw: string | null | undefined, base?: string): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const kept = [...url.searchParams].filter(([k]) => !isTrackingParam(k));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();
  return url.toString();
}
