// Pure formatting helpers shared by the views (percentages, signed changes, relative times).
export const pct = (p: number | null | undefined, digits = 1): string =>
  p === null || p === undefined ? '–' : `${(p * 100).toFixed(digits)}%`;

export const points = (d: number | null | undefined): string => {
  if (d === null || d === undefined) return '–';
  const v = d * 100;
  const s = v.toFixed(1);
  return `${v > 0 && s !== '0.0' ? '+' : v < 0 && s !== '-0.0' ? '−' : '±'}${s.replace('-', '')} pts`;
};

export const signed = (x: number, digits = 2): string =>
  `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;

const units: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

/** "3 d 4 h" style duration, two most significant units. */
export function duration(ms: number): string {
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [size, label] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${n} ${label}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? 'under a minute' : parts.join(' ');
}

export const ago = (iso: string | null, now: Date): string =>
  iso ? `${duration(now.getTime() - Date.parse(iso))} ago` : 'never';

/** A pack deadline (YYYY-MM-DD) ends at the end of that UTC day. */
export const deadlineEnd = (deadline: string): number =>
  deadline.length === 10 ? Date.parse(`${deadline}T23:59:59Z`) : Date.parse(deadline);

export function countdown(deadline: string, now: Date): string {
  const left = deadlineEnd(deadline) - now.getTime();
  return left > 0 ? `${duration(left)} left` : `passed ${duration(-left)} ago`;
}

export const shortDate = (iso: string): string => iso.slice(0, 10);
export const dateTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * One colour per scenario (by its index in the pack) on every page: the Okabe–Ito palette, told
 * apart with the common colour-vision deficiencies, darkened where needed for 3:1 against white.
 * Lines also differ by dash, so the chart reads in greyscale too. Dark-theme variants: style.ts.
 */
export const PALETTE = ['#0072B2', '#D55E00', '#007A5A', '#A8508A', '#8A6100', '#4D4D4D'];
export const colorOf = (index: number): string => PALETTE[index % PALETTE.length]!;
const DASHES = ['none', '7 3', '2 2', '9 3 2 3', '4 2', '1 3'];
export const dashOf = (index: number): string => DASHES[index % DASHES.length]!;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "16 Dec" or "16 Dec 2025" (UTC). */
export function dayLabel(iso: string, withYear: boolean): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
}
