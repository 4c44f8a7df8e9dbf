// createApp(deps): the Hono application. Routes are added by feature modules under src/server/.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { LoadedPack } from '../pack/load.ts';
import { securityHeaders } from './http/security.ts';
import { registerServer } from './routes.ts';

export interface AppDeps {
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  config: Config;
  pack: LoadedPack;
  log: Logger;
  version: string;
  /** The clock, injectable so the demo and tests can run at another time. */
  now?: () => Date;
  /** Actions owned by later stages, injected by the composition root; absent → the admin route answers 501. */
  actions?: {
    ingestNow?: () => Promise<unknown>;
    recompute?: (reason: string) => Promise<unknown>;
  };
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
  // Cheap on purpose: load balancers poll it; it touches no table. Registered ahead of the other
  // middleware, so it takes the security headers itself.
  app.get('/healthz', securityHeaders(), (c) => c.json({ status: 'ok', version: deps.version, database: deps.dbKind }));
  registerServer(app, deps);
  return app;
}
