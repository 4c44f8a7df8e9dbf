// Caches read models and rendered bodies keyed on the data version (the database's change counter).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { dataVersion } from './data-version.ts';

export interface ReadCache {
  /** The current data version (one cheap indexed query). */
  version(): Promise<string>;
  /** Returns the value cached under `name` if it was built for `key`, else builds and keeps it. */
  get<T>(name: string, key: string, build: () => Promise<T>): Promise<T>;
  /** Forget everything (after an admin write). */
  clear(): void;
}

/**
 * Entries never expire by age: one is rebuilt when the change counter moved (a write on any instance).
 * `ttlMs` is how often the counter is read: within it, requests reuse the last probe instead of
 * querying (what lets a cached page answer in microseconds), so a change made by another instance shows
 * within `ttlMs`. The stream and admin writes are unaffected: admin writes clear this instance's cache
 * at once, the SSE stream reads the table directly.
 */
export function createReadCache(
  db: Kysely<Database>,
  /** The question(s) whose data the cached models read: several when a page lists every question (PACKS). */
  packId: string | readonly string[],
  ttlMs = 1000,
): ReadCache {
  const ids = typeof packId === 'string' ? [packId] : packId;
  const entries = new Map<string, { key: string; value: Promise<unknown> }>();
  let probe: { at: number; value: Promise<string> } | null = null;
  return {
    version() {
      const t = performance.now();
      if (!probe || t - probe.at >= ttlMs) {
        const value = Promise.all(ids.map((id) => dataVersion(db, id))).then((v) => v.join('|'));
        probe = { at: t, value };
        value.catch(() => (probe = null));
      }
      return probe.value;
    },
    async get<T>(name: string, key: string, build: () => Promise<T>): Promise<T> {
      const hit = entries.get(name);
      if (hit && hit.key === key) return hit.value as Promise<T>;
      const value = build();
      entries.set(name, { key, value });
      value.catch(() => entries.delete(name));
      return value;
    },
    clear: () => {
      entries.clear();
      probe = null;
    },
  };
}
