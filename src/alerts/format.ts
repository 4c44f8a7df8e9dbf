// Small pure formatting helpers for alert titles and bodies.

export function pct(p: number): string {
  return `${Math.round(p * 100)}%`;
}

export function humanize(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? '24 h' : `${hours / 24} days`;
  return `${hours} h`;
}

/** The scenario whose probability changed most between two snapshots (a rise wins a tie). */
export function biggestMove(
  from: Record<string, number>,
  to: Record<string, number>,
): { scenarioId: string; from: number; to: number } | null {
  let best: { scenarioId: string; from: number; to: number } | null = null;
  for (const [id, p] of Object.entries(to)) {
    const before = from[id];
    if (before === undefined) continue;
    const score = (d: number) => Math.abs(d) + (d > 0 ? 1e-9 : 0);
    if (!best || score(p - before) > score(best.to - best.from)) best = { scenarioId: id, from: before, to: p };
  }
  return best;
}

/** One line for a subject: no CR/LF or other control characters, bounded length. */
export function subjectLine(s: string, max = 160): string {
  const flat = s
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
