// Response cache for the hottest GETs (overview, /api/v1/scenarios): replays the exact status, body and
// headers the full middleware stack produced (security headers, CORS, ETag) while the data key is unchanged,
// skipping the stack and the handler. The key is the same one the handlers use, so nothing can go stale.
import type { MiddlewareHandler } from 'hono';
import { ifNoneMatchHit } from './cached.ts';

interface Entry {
  key: string;
  body: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
  etag: string;
}

/** `paths` are served from the cache only without a query string; `keyOf` must be cheap (memoised). */
export function hotCache(paths: string[], keyOf: () => Promise<string>): MiddlewareHandler {
  const hot = new Set(paths);
  const store = new Map<string, Entry>();
  return async (c, next) => {
    if (c.req.method !== 'GET' || !hot.has(c.req.path) || c.req.url.includes('?')) return next();
    const key = await keyOf();
    const hit = store.get(c.req.path);
    if (hit && hit.key === key) {
      if (ifNoneMatchHit(c.req.header('If-None-Match'), hit.etag)) {
        return new Response(null, {
          status: 304,
          headers: { etag: hit.etag, 'cache-control': hit.headers['cache-control'] ?? 'no-cache' },
        });
      }
      return new Response(hit.body, { status: 200, headers: hit.headers });
    }
    await next();
    const etag = c.res.headers.get('ETag');
    if (c.res.status !== 200 || !etag) return;
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    const headers: Record<string, string> = {};
    c.res.headers.forEach((v, k) => (headers[k] = v));
    store.set(c.req.path, { key, body, headers, etag });
  };
}
