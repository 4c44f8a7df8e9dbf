// Several questions in one instance (PACKS): /questions, /track-record, /api/v1/questions, and each
// question's own pages and API under /questions/ID/… and /api/v1/questions/ID/…, served by the same
// page and API modules as the default question, bound to that question's pack.
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { ServerContext } from '../deps.ts';
import { registerApi } from '../api/routes.ts';
import { registerJsonFeed } from '../feed/json-feed.ts';
import { ApiError, registerErrors } from '../http/errors.ts';
import { createReadCache } from '../model/read-cache.ts';
import { registerPages } from '../pages.tsx';
import { alertById } from '../../alerts/queries.ts';
import type { LoadedPack } from '../../pack/load.ts';
import { buildTrackRecord } from '../track-record/model.ts';
import { QuestionsPage } from '../views/questions.tsx';
import { TrackRecordPage } from '../views/track-record.tsx';
import { questionPath, questionSummaries } from './model.ts';
import { scopeLinks } from './scope-links.ts';

const HTML = 'text/html; charset=utf-8';
const render = async (node: unknown): Promise<string> =>
  `<!DOCTYPE html>${await (node as { toString(): string | Promise<string> }).toString()}`;

/** Every question of the app (the default alone when AppDeps.questions is absent). */
export const questionsOf = (deps: AppDeps): readonly LoadedPack[] => deps.questions ?? [deps.pack];

/** The read-only pages, API and JSON Feed of one question, its absolute links under /questions/ID (exported for the
 * test that checks every route the forwarder reaches is in the OpenAPI document). */
export function questionApp(ctx: ServerContext, loaded: LoadedPack): Hono {
  const deps = ctx.deps;
  const sub = new Hono();
  const qdeps: AppDeps = {
    ...deps,
    pack: loaded,
    config: { ...deps.config, baseUrl: `${deps.config.baseUrl}${questionPath(loaded.pack.id)}` },
    // A question's read-only routes trigger nothing; its admin routes are the instance app's (admin/routes.ts).
    actions: {},
  };
  const qctx: ServerContext = {
    deps: qdeps,
    cache: createReadCache(
      deps.db,
      questionsOf(deps).map((p) => p.pack.id),
      deps.cacheTtlMs,
    ),
    now: ctx.now,
  };
  registerPages(sub, qctx);
  registerApi(sub, qctx);
  registerJsonFeed(sub, qctx);
  registerErrors(sub, deps.log);
  return sub;
}

export function registerQuestions(app: Hono, ctx: ServerContext): void {
  const { deps } = ctx;
  const packs = questionsOf(deps);
  const apps = new Map(packs.map((p) => [p.pack.id, questionApp(ctx, p)]));
  // Whether a question is closed changes with the clock too (its horizon): keyed on data version + minute.
  const summaries = async () => {
    const now = ctx.now();
    const key = `${await ctx.cache.version()}:${Math.floor(now.getTime() / 60_000)}`;
    return ctx.cache.get('questions', key, () => questionSummaries(deps.db, packs, now));
  };

  // Forwards to the question's app with the prefix taken off; its pages' links are put back under the prefix.
  const forward = async (c: Context, id: string, path: string): Promise<Response> => {
    const sub = apps.get(id);
    if (!sub) throw new ApiError(404, 'not_found', `unknown question "${id}" (GET /api/v1/questions lists them)`);
    const url = new URL(c.req.url);
    url.pathname = path;
    const res = await sub.fetch(new Request(url, c.req.raw), c.env);
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) return res;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(scopeLinks(await res.text(), id), { status: res.status, headers });
  };

  app.get('/questions', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(await render(QuestionsPage({ questions: await summaries(), now: ctx.now() })));
  });
  app.get('/questions/:qid', (c) => c.redirect(`${questionPath(c.req.param('qid'))}/`, 301));
  app.get('/questions/:qid/*', (c) => {
    const id = c.req.param('qid');
    return forward(c, id, c.req.path.slice(questionPath(id).length));
  });

  app.get('/api/v1/questions', async (c) => {
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({ questions: (await summaries()).map(withLinks) });
  });
  app.get('/api/v1/questions/:qid', async (c) => {
    const q = (await summaries()).find((s) => s.id === c.req.param('qid'));
    if (!q) throw new ApiError(404, 'not_found', `unknown question "${c.req.param('qid')}"`);
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json(withLinks(q));
  });
  app.get('/api/v1/questions/:qid/*', (c) => {
    const id = c.req.param('qid');
    return forward(c, id, `/api/v1${c.req.path.slice(`/api/v1${questionPath(id)}`.length)}`);
  });

  app.get('/track-record', async (c) => {
    const record = await ctx.cache.get('track-record', await ctx.cache.version(), () =>
      buildTrackRecord(deps.db, packs, ctx.now()),
    );
    c.header('Cache-Control', 'no-cache');
    return c.body(await render(TrackRecordPage({ record, library: deps.libraryRecord ?? null })), 200, {
      'Content-Type': HTML,
    });
  });

  // An alert of another question (a link in an email, webhook or feed item): its page is under that question.
  app.get('/alerts/:id', async (c, next) => {
    const id = Number(c.req.param('id'));
    const alert = Number.isSafeInteger(id) && id > 0 ? await alertById(deps.db, id) : null;
    if (alert && alert.packId !== deps.pack.pack.id && apps.has(alert.packId))
      return c.redirect(`${questionPath(alert.packId)}/alerts/${id}`, 302);
    return next();
  });
}

const withLinks = <T extends { id: string }>(q: T) => ({
  ...q,
  links: {
    page: `${questionPath(q.id)}/`,
    scenarios: `/api/v1${questionPath(q.id)}/scenarios`,
    history: `/api/v1${questionPath(q.id)}/history`,
    evidence: `/api/v1${questionPath(q.id)}/evidence`,
    feed: `${questionPath(q.id)}/feed.json`,
  },
});
