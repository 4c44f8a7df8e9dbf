// What the server needs beyond AppDeps' basics: actions injected from later stages, and the read cache.
import type { AppDeps } from './app.ts';
import type { ReadCache } from './model/read-cache.ts';

export interface ServerContext {
  deps: AppDeps;
  cache: ReadCache;
  now(): Date;
}
