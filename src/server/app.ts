// createApp(deps): the Hono application. Routes are added by feature modules under src/server/.
import { Hono } from 'hono';
import { systemClock } from '../clock.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { LoadedPack } from '../pack/load.ts';
import type { SavedReport } from '../backtest/report-file.ts';
import { registerHealth } from './health/routes.ts';
import { securityHeaders } from './http/security.ts';
import { pathPrefix, prefixLinks, underPrefix } from './http/path-prefix.ts';
import type { DomainMetrics } from './metrics/domain.ts';
import { registerServer } from './routes.ts';

export interface AppDeps {
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  config: Config;
  /** The default question: the single-question routes (/, /api/v1/scenarios, …) show it. */
  pack: LoadedPack;
  /** Every question the instance tracks (PACKS), the default first; absent means `pack` alone. */
  questions?: readonly LoadedPack[];
  log: Logger;
  /** The history library's backtest, saved beforehand (TRACK_RECORD_FILE), for the Track record page. */
  libraryRecord?: SavedReport;
  version: string;
  /** The clock, injectable so the demo and tests can run at another time. */
  now?: () => Date;
  /** Actions owned by later stages, injected by the composition root; absent → the admin route answers 501. */
  actions?: {
    ingestNow?: () => Promise<unknown>;
    recompute?: (reason: string) => Promise<unknown>;
  };
  /** The domain counters `start` feeds (fetches, items, tags, forecast time, deliveries); absent → gauges only. */
  domainMetrics?: DomainMetrics;
  /** The running scheduler, for /readyz (absent where no scheduler runs: then /readyz leaves it out). */
  scheduler?: { lastTickAt(): Date | null };
  /** How often /api/v1/stream checks for a new snapshot (default 5000 ms). */
  streamIntervalMs?: number;
  /** How long cached pages may trust the last data-version probe (default 1000 ms; 0 = every request). */
  cacheTtlMs?: number;
}

/** A worker's HTTP face: /healthz only (it serves no pages, so load balancers and orchestrators can probe it). */
export function createHealthApp(info: { version: string; dbKind: 'sqlite' | 'postgres'; role: 'worker' }): Hono {
  const app = new Hono();
  app.get('/healthz', securityHeaders(), (c) =>
    c.json({ status: 'ok', version: info.version, database: info.dbKind, role: info.role }),
  );
  return app;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // Registered ahead of the other middleware (request log, caches), so they take the security headers themselves.
  // Under a path prefix (BASE_URL with a path), every root-relative link and redirect gets it on the way out.
  const prefix = pathPrefix(deps.config.baseUrl);
  if (prefix !== '') app.use('*', prefixLinks(prefix));
  registerHealth(app, deps, deps.now ?? systemClock);
  registerServer(app, deps);
  if (prefix === '') return app;
  const outer = new Hono();
  const served = underPrefix(app, prefix);
  outer.all('*', (c) => served(c.req.raw, c.env));
  return outer;
}
