// Engine test helpers: a migrated database (SQLite file in a temp dir, or a PostgreSQL database) and direct inserts of feeds, stories and tags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { createTestDatabase } from './test-database.ts';
import type { Database, Modality, Polarity } from '../../src/db/schema.ts';

export interface TempDb {
  handle: DatabaseHandle;
  db: Kysely<Database>;
  dir: string;
  file: string;
  close(): Promise<void>;
}

export async function tempDb(): Promise<TempDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bw-engine-'));
  const made = await createTestDatabase(dir);
  const handle = openDatabase(made.target);
  await migrateOrThrow(handle.db);
  return {
    handle,
    db: handle.db,
    dir,
    file: made.url,
    close: async () => {
      await handle.close();
      await made.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function addFeed(db: Kysely<Database>, url: string, tier: number): Promise<number> {
  const r = await db
    .insertInto('feeds')
    .values({
      url,
      tier,
      name: url,
      language: 'en',
      poll_interval_minutes: 15,
      full_text: 0,
      origin: 'cli',
      status: 'active',
      consecutive_failures: 0,
      next_check_at: '2026-01-01T00:00:00.000Z',
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function addCluster(
  db: Kysely<Database>,
  title: string,
  at: string,
  sources = 1,
  bestTier = 3,
): Promise<number> {
  const r = await db
    .insertInto('story_clusters')
    .values({
      title,
      simhash: '0000000000000000',
      first_seen_at: at,
      last_seen_at: at,
      source_count: sources,
      best_tier: bestTier,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

let seq = 0;

export interface StoryTag {
  indicator: string;
  polarity?: Polarity;
  modality?: Modality | null;
  confidence?: number;
  numbers?: { value: number; unit: string }[];
}

/** One article (on `feedId`, in `clusterId`) with its tags for `packId`; returns the article id. */
export async function addStory(
  db: Kysely<Database>,
  o: {
    feedId: number | null;
    clusterId?: number | null;
    at: string;
    title?: string;
    contentHash?: string;
    packId?: string;
    tags: StoryTag[];
  },
): Promise<number> {
  seq += 1;
  const title = o.title ?? `Story ${seq}`;
  const a = await db
    .insertInto('articles')
    .values({
      feed_id: o.feedId,
      cluster_id: o.clusterId ?? null,
      guid_hash: `g${seq}`,
      guid: null,
      url: `https://example.test/${seq}`,
      canonical_url: null,
      content_hash: o.contentHash ?? `c${seq}`,
      title,
      summary: '',
      text: '',
      language: 'en',
      published_at: o.at,
      fetched_at: o.at,
      updated_at: o.at,
      simhash: '0000000000000000',
      tagged_with: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const t of o.tags) {
    await db
      .insertInto('tags')
      .values({
        article_id: a.id,
        pack_id: o.packId ?? 'test',
        indicator_id: t.indicator,
        polarity: t.polarity ?? 'affirmed',
        modality: t.modality ?? null,
        confidence: t.confidence ?? 1,
        field: 'title',
        snippet: title,
        numbers: t.numbers ? JSON.stringify(t.numbers) : null,
        rule_id: 'r',
        created_at: o.at,
      })
      .execute();
  }
  return a.id;
}
