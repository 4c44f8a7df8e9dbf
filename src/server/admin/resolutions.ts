// Admin resolutions: POST /api/v1/admin/resolutions (the default question) and its twin for each question of
// the instance, POST /api/v1/questions/ID/admin/resolutions. One handler, one write path with the CLI.
import type { Context, Hono } from 'hono';
import type { LoadedPack } from '../../pack/load.ts';
import { recordResolution, ResolutionError } from '../../scenarios/resolutions.ts';
import type { ServerContext } from '../deps.ts';
import { ApiError } from '../http/errors.ts';
import { questionsOf } from '../questions/routes.ts';
import { adminLabel } from './guard.ts';
import { readInput } from './validate.ts';

/** The question a per-question admin route names; an unknown id is a 404 naming it. */
export function questionOf(ctx: ServerContext, id: string): LoadedPack {
  const found = questionsOf(ctx.deps).find((p) => p.pack.id === id);
  if (!found)
    throw new ApiError(
      404,
      'not_found',
      `unknown question "${id}" (this instance tracks ${questionsOf(ctx.deps)
        .map((p) => p.pack.id)
        .join(', ')})`,
    );
  return found;
}

/** Records one resolution of `loaded`'s question: a second one of a scenario is refused (409) unless "replace": true. */
async function resolve(c: Context, ctx: ServerContext, loaded: LoadedPack): Promise<Response> {
  const { deps } = ctx;
  const pack = loaded.pack;
  const input = await readInput(c);
  if (!input) throw new ApiError(400, 'bad_body', 'expected a JSON or form body');
  const scenario = pack.scenarios.find((s) => s.id === input.scenario);
  if (!scenario)
    throw new ApiError(400, 'bad_scenario', `scenario: expected one of ${pack.scenarios.map((s) => s.id).join(', ')}`);
  if (input.outcome !== 'yes' && input.outcome !== 'no')
    throw new ApiError(400, 'bad_outcome', 'outcome: expected yes or no');
  const at = input.resolvedAt === undefined ? ctx.now() : new Date(String(input.resolvedAt));
  if (Number.isNaN(at.getTime())) throw new ApiError(400, 'bad_date', 'resolvedAt: expected an ISO-8601 date');
  if (
    input.replace !== undefined &&
    typeof input.replace !== 'boolean' &&
    input.replace !== 'true' &&
    input.replace !== 'false'
  ) {
    throw new ApiError(400, 'bad_replace', 'replace: expected true or false');
  }
  const replace = input.replace === true || input.replace === 'true';
  let recorded;
  try {
    recorded = await recordResolution(
      deps.db,
      pack,
      {
        scenarioId: scenario.id,
        outcome: input.outcome,
        resolvedAt: at,
        resolvedBy: adminLabel(c),
        note: typeof input.note === 'string' ? input.note : null,
        replace,
      },
      ctx.now(),
    );
  } catch (error) {
    if (error instanceof ResolutionError && error.code === 'already_resolved')
      throw new ApiError(409, 'already_resolved', error.message);
    throw error;
  }
  const recompute = deps.actions?.recompute;
  // The default question's reason is unchanged (`resolution:SCENARIO`); another question's names it.
  const isDefault = pack.id === deps.pack.pack.id;
  if (recompute) await recompute(`resolution:${isDefault ? '' : `${pack.id}:`}${scenario.id}`);
  ctx.cache.clear();
  return c.json(
    {
      question: pack.id,
      scenario: scenario.id,
      outcome: recorded.outcome,
      resolvedAt: recorded.resolvedAt,
      resolvedBy: recorded.resolvedBy,
      recomputed: !!recompute,
    },
    201,
  );
}

/** Registers both routes; the caller has put the admin guard in front of /api/v1/admin/* and the questions' admin paths. */
export function registerResolutions(app: Hono, ctx: ServerContext): void {
  app.post('/api/v1/admin/resolutions', (c) => resolve(c, ctx, ctx.deps.pack));
  app.post('/api/v1/questions/:qid/admin/resolutions', (c) => resolve(c, ctx, questionOf(ctx, c.req.param('qid'))));
}
