// Input parsing for admin writes: JSON or form bodies into a plain record; strict ids and tiers.
import type { Context } from 'hono';
import { ApiError } from '../http/errors.ts';

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

/** A row id from the path: plain decimal digits only (`0x10`, `1e3`, `+5`, `016` are refused, not coerced). */
export function parseId(raw: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(raw))
    throw new ApiError(400, 'bad_id', `id: expected a positive whole number (got "${raw.slice(0, 40)}")`);
  return Number(raw);
}

/** A feed tier: an integer 1-5 in JSON, or its decimal digit in a form body; `true`, `2.5`, `"0x2"` are refused. */
export function parseTier(value: unknown): number {
  if (value === undefined) return 3;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^[1-5]$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 5)
    throw new ApiError(
      400,
      'bad_tier',
      `tier: expected a whole number 1-5 (got ${JSON.stringify(value)?.slice(0, 40) ?? String(value)})`,
    );
  return n;
}
