// Mounts every server concern on the app: security, metrics, pages, API, JSON Feed, admin, errors.
import { systemClock } from '../clock.ts';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { registerAdmin } from './admin/routes.ts';
import { registerApi } from './api/routes.ts';
import type { AppDeps } from './app.ts';
import type { ServerContext } from './deps.ts';
import { registerJsonFeed } from './feed/json-feed.ts';
import { hotCache } from './http/hot-cache.ts';
import { registerErrors } from './http/errors.ts';
import { requestLog } from './http/request-log.ts';
import { registerSecurity } from './http/security.ts';
import { createMetrics, registerMetrics, timing } from './metrics/metrics.ts';
import { createReadCache } from './model/read-cache.ts';
import { registerPages } from './pages.tsx';
import { unsubscribeRoutes } from './unsubscribe/routes.tsx';
import { questionsOf, registerQuestions } from './questions/routes.ts';

export function registerServer(app: Hono, deps: AppDeps): void {
  const ctx: ServerContext = {
    deps,
    // Keyed on every question's data (PACKS): the overview lists them all.
    cache: createReadCache(
      deps.db,
      questionsOf(deps).map((p) => p.pack.id),
      deps.cacheTtlMs,
    ),
    now: deps.now ?? systemClock,
  };
  const metrics = createMetrics();
  app.use('*', requestLog(deps.log));
  app.use('*', timing(metrics));
  // Same key as the handlers of these two routes (data version + minute), see pages.tsx and api/routes.ts.
  app.use(
    '*',
    hotCache(
      ['/', '/api/v1/scenarios'],
      async () => `${await ctx.cache.version()}:${Math.floor(ctx.now().getTime() / 60_000)}`,
    ),
  );
  registerSecurity(app);
  // Hashes bodies that did not set their own ETag; the SSE streams (each question's too) never end, so they are left out.
  const tag = etag();
  app.use('*', async (c, next) => (c.req.method === 'GET' && !c.req.path.endsWith('/stream') ? tag(c, next) : next()));
  registerMetrics(app, ctx, metrics);
  // Ahead of the questions' routes: its guard covers /api/v1/questions/ID/admin/… before they forward anything.
  registerAdmin(app, ctx);
  registerQuestions(app, ctx);
  registerPages(app, ctx);
  registerApi(app, ctx);
  registerJsonFeed(app, ctx);
  // The link in every alert email; the per-subscriber token authorises it (mail clients' one-click POST has no Origin).
  app.route('/', unsubscribeRoutes(deps.db, ctx.now));
  registerErrors(app, deps.log);
}
