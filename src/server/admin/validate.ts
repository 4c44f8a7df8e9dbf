// Input validation for admin writes: feed URLs (http/https, no private address literals), bodies.
import type { Context } from 'hono';
import { isIP } from 'node:net';

function privateV4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

function privateV6(ip: string): boolean {
  const x = ip.toLowerCase();
  if (x === '::' || x === '::1') return true;
  const mapped = /^::ffff:(.+)$/.exec(x);
  if (mapped) return mapped[1]!.includes('.') ? privateV4(mapped[1]!) : true;
  return /^f[cd]/.test(x) || /^fe[89ab]/.test(x);
}

/**
 * A feed URL must be http(s). Unless private feeds are allowed, address literals in loopback,
 * private, link-local or metadata ranges are refused (WHATWG URL parsing already turns
 * 2130706433 and 0x7f.1 into 127.0.0.1). Names resolving to such addresses are the fetcher's job.
 */
export function validateFeedUrl(text: unknown, allowPrivate: boolean): { ok: true; url: string } | { ok: false; message: string } {
  if (typeof text !== 'string' || text.length > 2048) return { ok: false, message: 'url: expected an http(s) URL' };
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, message: 'url: expected an absolute http(s) URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, message: `url: scheme ${u.protocol} is not allowed (http or https only)` };
  if (u.username || u.password) return { ok: false, message: 'url: credentials in the URL are not allowed' };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate) {
    const kind = isIP(host);
    if (host === 'localhost' || host.endsWith('.localhost') || (kind === 4 && privateV4(host)) || (kind === 6 && privateV6(host))) {
      return { ok: false, message: `url: ${host} is a private or loopback address` };
    }
  }
  return { ok: true, url: u.href };
}

/** Reads a JSON or form body into a plain record; null when it is neither. */
export async function readInput(c: Context): Promise<Record<string, unknown> | null> {
  const type = c.req.header('Content-Type') ?? '';
  try {
    if (type.includes('application/json')) {
      const v: unknown = await c.req.json();
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    }
    if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      return Object.fromEntries(Object.entries(await c.req.parseBody()).filter(([, v]) => typeof v === 'string'));
    }
    return type === '' ? {} : null;
  } catch {
    return null;
  }
}
