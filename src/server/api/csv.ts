// CSV exports (RFC 4180) of the probability history, the evidence and the alerts.
// Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading
// apostrophe (OWASP "CSV injection"); numbers are written as numbers.

export type Cell = string | number | null;

export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
