// The questions an instance tracks (PACKS), as the overview, /questions and /api/v1/questions list them.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { LoadedPack } from '../../pack/load.ts';
import { questionState } from '../../scenarios/question-state.ts';
import { listResolutions } from '../../scenarios/resolutions.ts';
import { latestSnapshot } from '../../scenarios/snapshots.ts';

export interface QuestionSummary {
  id: string;
  title: string;
  question: string;
  horizon: string;
  /** The first of PACKS: the single-question routes (/, /api/v1/scenarios, …) show it. */
  isDefault: boolean;
  /** Resolved yes, or past its horizon: no longer tagged nor forecast, still readable. */
  closed: boolean;
  /** The scenario resolved yes, if any. */
  outcome: string | null;
  /** The newest snapshot's time, or null before the first forecast. */
  asOf: string | null;
  scenarios: { id: string; name: string; probability: number | null }[];
}

/** Every question, in PACKS order (the default first). */
export async function questionSummaries(
  db: Kysely<Database>,
  packs: readonly LoadedPack[],
  now: Date,
): Promise<QuestionSummary[]> {
  const out: QuestionSummary[] = [];
  for (const [i, { pack }] of packs.entries()) {
    const state = questionState(pack, await listResolutions(db, pack.id), now);
    const latest = await latestSnapshot(db, pack.id);
    out.push({
      id: pack.id,
      title: pack.title,
      question: pack.question,
      horizon: pack.horizon,
      isDefault: i === 0,
      closed: state.closed,
      outcome: state.outcome,
      asOf: latest?.at ?? null,
      scenarios: pack.scenarios.map((s) => ({
        id: s.id,
        name: s.name,
        probability: latest?.probabilities[s.id] ?? null,
      })),
    });
  }
  return out;
}

/** The path prefix of one question's pages (`/questions/ID`); its API lives under /api/v1/questions/ID. */
export const questionPath = (id: string): string => `/questions/${encodeURIComponent(id)}`;
