// Sends a body with a precomputed ETag and Cache-Control, answering 304 to a matching If-None-Match.
import type { Context } from 'hono';

export function ifNoneMatchHit(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export function sendCached(
  c: Context,
  body: string | Uint8Array<ArrayBuffer>,
  contentType: string,
  etag: string,
  cacheControl = 'public, max-age=0, must-revalidate',
): Response {
  c.header('ETag', etag);
  c.header('Cache-Control', cacheControl);
  if (ifNoneMatchHit(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
  c.header('Content-Type', contentType);
  return typeof body === 'string' ? c.body(body) : c.body(body);
}
