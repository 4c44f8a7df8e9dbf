// Input parsing for admin writes: JSON or form bodies into a plain record.
import type { Context } from 'hono';

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
