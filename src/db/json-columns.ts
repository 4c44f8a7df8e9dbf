// Parsers for the JSON text columns every reader shares (tags.numbers, snapshot probabilities, log-odds).
// Stored JSON is written by our own stages; anything unparsable reads as empty, never as a crash.

export interface NumberValue {
  value: number;
  unit: string;
}

/** tags.numbers → the numbers a tag found, or null when it has none (or the column is malformed). */
export function parseTagNumbers(text: string | null): NumberValue[] | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return null;
    return v
      .filter(
        (n): n is NumberValue =>
          !!n && typeof n === 'object' && typeof n.value === 'number' && typeof n.unit === 'string',
      )
      .map((n) => ({ value: n.value, unit: n.unit }));
  } catch {
    return null; // a malformed numbers column costs this tag its level value, nothing else
  }
}

/** A `{scenarioId: number}` column (snapshots.probabilities, evidence_contributions.log_odds). */
export function parseScenarioMap(text: string): Record<string, number> {
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).filter(([, p]) => typeof p === 'number'),
    ) as Record<string, number>;
  } catch {
    return {};
  }
}
