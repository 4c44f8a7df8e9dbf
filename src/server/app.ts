// createApp(deps): the Hono application. Routes are added by feature modules under src/server/.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { LoadedPack } from '../scenarios/pack/load.ts';

export interface AppDeps {
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  config: Config;
  pack: LoadedPack;
  log: Logger;
  version: string;
  /** The clock, injectable so the demo and tests can run at another time. */
  now?: () => Date;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // Cheap on purpose: load balancers poll it; it touches no table.
  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version, database: deps.dbKind }));
  return app;
}
