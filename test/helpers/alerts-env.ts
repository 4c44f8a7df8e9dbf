// Test environment for alerts: a migrated temp database (SQLite file or PostgreSQL database), the alerts test pack, and helpers
// that write snapshots, articles and tags directly (what the engine and tagger would write).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { addSubscriber } from '../../src/alerts/subscribers.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import type { Database, Modality } from '../../src/db/schema.ts';
import { type LoadedPack, loadPack } from '../../src/pack/load.ts';
import type { SnapshotEvent } from '../../src/scenarios/snapshot-event.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const PACK_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/alerts/pack.yaml');

export interface AlertsEnv {
  dir: string;
  file: string;
  handle: DatabaseHandle;
  db: Kysely<Database>;
  pack: LoadedPack;
  close(): Promise<void>;
}

/**
 * A database in `dir`: on PostgreSQL the database URL is kept in `dir/database-url`, so a second
 * process given the same directory (the crash tests' children) opens the same database.
 */
async function databaseIn(dir: string, shared: boolean): Promise<TestDatabase> {
  const note = path.join(dir, 'database-url');
  if (shared && existsSync(note)) {
    const url = readFileSync(note, 'utf8');
    return { kind: 'postgres', url, target: { kind: 'postgres', url }, drop: async () => undefined };
  }
  const made = await createTestDatabase(dir);
  if (shared && made.kind === 'postgres') writeFileSync(note, made.url);
  return made;
}

/** Makes the database of `dir` now, so child processes given `dir` all open the same one (PostgreSQL). */
export async function prepareSharedDatabase(dir: string): Promise<void> {
  await databaseIn(dir, true);
}

export async function openAlertsEnv(existingDir?: string): Promise<AlertsEnv> {
  const dir = existingDir ?? mkdtempSync(path.join(tmpdir(), 'bw-alerts-'));
  const made = await databaseIn(dir, existingDir !== undefined);
  const file = made.url;
  const handle = openDatabase(made.target);
  await migrateOrThrow(handle.db);
  const pack = loadPack(PACK_FILE);
  return {
    dir,
    file,
    handle,
    db: handle.db,
    pack,
    async close() {
      await handle.close();
      if (!existingDir) {
        await made.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function subscribe(
  db: Kysely<Database>,
  email: string,
  opts: { rules?: string; digest?: 'daily'; admin?: boolean } = {},
) {
  return (
    await addSubscriber(
      db,
      { email, rules: opts.rules ?? null, digest: opts.digest ?? null, admin: opts.admin },
      new Date('2026-11-01T00:00:00Z'),
    )
  ).subscriber;
}

let seq = 0;

/** An article with one tag, as the ingester and tagger would store it. */
export async function addSignal(
  db: Kysely<Database>,
  o: { indicator: string; at: string; taggedAt?: string; modality?: Modality | null; title?: string; url?: string },
): Promise<number> {
  seq += 1;
  const art = await db
    .insertInto('articles')
    .values({
      feed_id: null,
      cluster_id: null,
      guid_hash: `g${seq}`,
      guid: null,
      url: o.url ?? `https://news.example/${seq}`,
      canonical_url: null,
      content_hash: `c${seq}`,
      title: o.title ?? `Story ${seq} about ${o.indicator}`,
      summary: '',
      text: '',
      language: 'en',
      published_at: o.at,
      fetched_at: o.at,
      updated_at: o.at,
      simhash: '0000000000000000',
      tagged_with: 'h',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('tags')
    .values({
      article_id: art.id,
      pack_id: 'alerts-test',
      indicator_id: o.indicator,
      polarity: 'affirmed',
      modality: o.modality ?? null,
      confidence: 1,
      field: 'title',
      snippet: 'x',
      numbers: null,
      rule_id: 'r',
      created_at: o.taggedAt ?? o.at,
    })
    .execute();
  return art.id;
}

/** Writes a snapshot row (and a contribution for each article) and returns the listener event. */
export async function addSnapshot(
  db: Kysely<Database>,
  at: string,
  probabilities: Record<string, number>,
  extra: { levels?: SnapshotEvent['levels']; articles?: number[] } = {},
): Promise<SnapshotEvent> {
  const prev = await db
    .selectFrom('snapshots')
    .select(['at', 'probabilities'])
    .where('pack_id', '=', 'alerts-test')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = await db
    .insertInto('snapshots')
    .values({
      pack_id: 'alerts-test',
      at,
      probabilities: JSON.stringify(probabilities),
      reason: 'test',
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const id of extra.articles ?? []) {
    await db
      .insertInto('evidence_contributions')
      .values({
        snapshot_id: row.id,
        cluster_id: null,
        article_id: id,
        indicator_id: 'principal_meeting',
        polarity: 'affirmed',
        modality: null,
        weight: 1,
        log_odds: '{}',
      })
      .execute();
  }
  return {
    packId: 'alerts-test',
    snapshotId: row.id,
    at,
    probabilities,
    previous: prev ? { at: prev.at, probabilities: JSON.parse(prev.probabilities) as Record<string, number> } : null,
    levels: extra.levels ?? {},
  };
}

/** A feed failing since `since` (its name may come from the feed itself: untrusted text). */
export async function addFailingFeed(
  db: Kysely<Database>,
  o: { url: string; name?: string; since: string; error?: string },
): Promise<void> {
  await db
    .insertInto('feeds')
    .values({
      url: o.url,
      name: o.name ?? null,
      tier: 2,
      poll_interval_minutes: 15,
      full_text: 0,
      origin: 'pack',
      status: 'active',
      consecutive_failures: 5,
      next_check_at: o.since,
      created_at: o.since,
      failing_since: o.since,
      last_error_message: o.error ?? 'HTTP 503',
    })
    .execute();
}
