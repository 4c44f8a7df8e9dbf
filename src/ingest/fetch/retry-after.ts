// Retry-After (RFC 9110 §10.2.3) as a pure function: delay-seconds or an HTTP-date, resolved against `now`.

/** Returns when the server said to come back, or null when the header is absent or unreadable. Past dates return `now`. */
export function parseRetryAfter(value: string | string[] | undefined | null, now: Date): Date | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw == null) return null;
  const v = raw.trim();
  if (v === '') return null;
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    if (!Number.isSafeInteger(seconds)) return null;
    return new Date(now.getTime() + seconds * 1000);
  }
  if (!/[A-Za-z]{3}/.test(v)) return null; // an HTTP-date names its month; Date.parse would accept "1.5"
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return new Date(Math.max(at, now.getTime()));
}
