// Parses a CLI date option (YYYY-MM-DD = midnight UTC, or a full ISO time) into an ISO string.
import { CliError } from './errors.ts';

export function parseAtOption(value: string | undefined, option = '--at'): string {
  if (value === undefined) return new Date().toISOString();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? Date.parse(`${value}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? Date.parse(value)
      : Number.NaN;
  if (!Number.isFinite(ms))
    throw new CliError(
      `${option}: expected a date YYYY-MM-DD or an ISO time such as 2026-11-26T18:00:00Z (got "${value}")`,
    );
  return new Date(ms).toISOString();
}
