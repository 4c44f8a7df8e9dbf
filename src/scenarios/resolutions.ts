// Recording and reading resolutions: one write path for the CLI and the admin API.
import { BellwetherError } from '../errors.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { Pack } from '../pack/schema.ts';
import type { ResolutionRecord } from './question-state.ts';

export class ResolutionError extends BellwetherError<'unknown_scenario' | 'already_resolved'> {
  constructor(
    readonly code: 'unknown_scenario' | 'already_resolved',
    message: string,
  ) {
    super(message);
  }
}

export interface NewResolution {
  scenarioId: string;
  outcome: 'yes' | 'no';
  resolvedAt: Date;
  resolvedBy: string;
  note?: string | null;
  /** Overwrite an existing resolution of the same scenario instead of refusing it. */
  replace?: boolean;
}

export async function listResolutions(db: Kysely<Database>, packId: string): Promise<ResolutionRecord[]> {
  const rows = await db
    .selectFrom('resolutions')
    .select(['scenario_id', 'outcome', 'resolved_at', 'resolved_by', 'note'])
    .where('pack_id', '=', packId)
    .orderBy('resolved_at')
    .orderBy('scenario_id')
    .execute();
  return rows.map((r) => ({
    scenarioId: r.scenario_id,
    outcome: r.outcome,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    note: r.note,
  }));
}

/** Records how a scenario resolved; refuses a second resolution of the same scenario unless `replace`. */
export async function recordResolution(
  db: Kysely<Database>,
  pack: Pack,
  input: NewResolution,
  now: Date,
): Promise<ResolutionRecord> {
  if (!pack.scenarios.some((s) => s.id === input.scenarioId)) {
    throw new ResolutionError(
      'unknown_scenario',
      `unknown scenario "${input.scenarioId}" (pack ${pack.id} has ${pack.scenarios.map((s) => s.id).join(', ')})`,
    );
  }
  const note = input.note ? input.note.slice(0, 2000) : null;
  const values = {
    outcome: input.outcome,
    resolved_at: input.resolvedAt.toISOString(),
    note,
    resolved_by: input.resolvedBy,
    created_at: now.toISOString(),
  };
  await writeTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('resolutions')
      .select('id')
      .where('pack_id', '=', pack.id)
      .where('scenario_id', '=', input.scenarioId)
      .executeTakeFirst();
    if (existing && !input.replace) {
      throw new ResolutionError(
        'already_resolved',
        `scenario ${input.scenarioId} is already resolved (replace it with --replace, or "replace": true in the API)`,
      );
    }
    if (existing) await trx.updateTable('resolutions').set(values).where('id', '=', existing.id).execute();
    else
      await trx
        .insertInto('resolutions')
        .values({ pack_id: pack.id, scenario_id: input.scenarioId, ...values })
        .execute();
  });
  return {
    scenarioId: input.scenarioId,
    outcome: input.outcome,
    resolvedAt: values.resolved_at,
    resolvedBy: input.resolvedBy,
    note,
  };
}
