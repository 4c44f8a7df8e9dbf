// The ordered list of migrations. A static provider (rather than a folder scan) works the same
// under tsx, vitest and any bundler. Add each new dated migration here.
import type { Migration } from 'kysely';
import * as initial from './2026-11-21T0000-initial.ts';
import * as server from './2026-11-21T0500-server.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-21T0000-initial': initial,
  '2026-11-21T0500-server': server,
};
