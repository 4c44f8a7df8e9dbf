// Test and benchmark seeding: a real temp database (migrated) filled with realistic rows. The seeders are
// synchronous better-sqlite3 writes; on PostgreSQL they write a staging SQLite file, and `seed()` /
// `commitSeed()` copy the new rows into the PostgreSQL schema the app reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { createLogger } from '../../src/logger.ts';
import { loadConfig } from '../../src/config/index.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { copySqliteRows } from './copy-rows.ts';
import { createTestDatabase } from './test-database.ts';
import { type LoadedPack, loadPack } from '../../src/pack/load.ts';
import type { Indicator, Pack } from '../../src/pack/schema.ts';
import { softmax } from '../../src/scenarios/explain.ts';
import type { AppDeps } from '../../src/server/app.ts';

export const PACK_FILE = path.resolve(import.meta.dirname, '../fixtures/packs/server-pack.yaml');

export interface TestDb {
  dir: string;
  /** The DATABASE_URL of the database the app reads. */
  url: string;
  handle: DatabaseHandle;
  /** Where the synchronous seeders write: the database itself on SQLite, a staging file on PostgreSQL. */
  sqlite: SQLite.Database;
  pack: LoadedPack;
  /** Runs synchronous seeders on `sqlite`, then (on PostgreSQL) copies the new rows over. */
  seed<T>(fn: (db: SQLite.Database) => T): Promise<T>;
  /** Copies rows seeded straight into `sqlite` so far (a no-op on SQLite). */
  commitSeed(): Promise<void>;
  /** Reads with portable SQL (`?` placeholders) from the database the app reads. */
  all<T>(text: string, ...params: unknown[]): Promise<T[]>;
  get<T>(text: string, ...params: unknown[]): Promise<T | undefined>;
  close(): Promise<void>;
}

export async function openTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bellwether-server-'));
  const made = await createTestDatabase(dir);
  const handle = openDatabase(made.target);
  await migrateOrThrow(handle.db);
  let staging: DatabaseHandle | null = null;
  if (handle.kind === 'postgres') {
    staging = openDatabase({ kind: 'sqlite', file: path.join(dir, 'staging.db') });
    await migrateOrThrow(staging.db);
  }
  const seedDb = (staging ?? handle).sqlite!;
  const commitSeed = async () => {
    if (staging) await copySqliteRows(seedDb, handle.db);
  };
  const all = async <T>(text: string, ...params: unknown[]): Promise<T[]> => {
    if (handle.sqlite) return handle.sqlite.prepare(text).all(...params) as T[];
    let n = 0;
    const pgText = text.replace(/\?/g, () => `$${++n}`);
    return (await handle.db.executeQuery(CompiledQuery.raw(pgText, params))).rows as T[];
  };
  return {
    dir,
    url: made.url,
    handle,
    sqlite: seedDb,
    pack: loadPack(PACK_FILE),
    async seed(fn) {
      const out = fn(seedDb);
      await commitSeed();
      return out;
    },
    commitSeed,
    all,
    get: async (text, ...params) => (await all<never>(text, ...params))[0],
    close: async () => {
      await handle.close();
      await staging?.close();
      await made.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testDeps(t: TestDb, over: Partial<AppDeps> & { env?: Record<string, string> } = {}): AppDeps {
  const { env, ...rest } = over;
  const config = loadConfig({ DATABASE_URL: t.url, PACK: PACK_FILE, LOG_LEVEL: 'silent', ...env }, t.dir);
  return {
    db: t.handle.db,
    dbKind: t.handle.kind,
    config,
    pack: t.pack,
    log: createLogger('silent'),
    version: 'test',
    cacheTtlMs: 0,
    ...rest,
  };
}

/** Deterministic PRNG (mulberry32) so seeded data is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function insertFeed(
  db: SQLite.Database,
  f: { url: string; name: string; tier?: number; at: string; failing?: boolean },
): number {
  const r = db
    .prepare(
      `INSERT INTO feeds (url, name, tier, poll_interval_minutes, full_text, origin, status, last_checked_at, last_success_at, last_http_status,
      last_error_code, last_error_message, failing_since, consecutive_failures, next_check_at, created_at)
      VALUES (?, ?, ?, 15, 0, 'pack', 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      f.url,
      f.name,
      f.tier ?? 2,
      f.at,
      f.failing ? null : f.at,
      f.failing ? 503 : 200,
      f.failing ? 'http_status' : null,
      f.failing ? 'HTTP 503 Service Unavailable' : null,
      f.failing ? f.at : null,
      f.failing ? 3 : 0,
      f.at,
      f.at,
    );
  return Number(r.lastInsertRowid);
}

export interface ArticleInput {
  feedId: number | null;
  clusterId?: number | null;
  title: string;
  summary?: string;
  text?: string;
  url?: string | null;
  publishedAt: string;
}

export function insertCluster(db: SQLite.Database, title: string, at: string, sources: number): number {
  return Number(
    db
      .prepare(
        'INSERT INTO story_clusters (title, simhash, first_seen_at, last_seen_at, source_count, best_tier) VALUES (?, ?, ?, ?, ?, 2)',
      )
      .run(title, '0000000000000000', at, at, sources).lastInsertRowid,
  );
}

let guid = 0;
export function insertArticle(db: SQLite.Database, a: ArticleInput): number {
  guid += 1;
  return Number(
    db
      .prepare(
        `INSERT INTO articles (feed_id, cluster_id, guid_hash, guid, url, canonical_url, content_hash, title, summary, text, language, published_at, fetched_at, updated_at, simhash, tagged_with)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, '0000000000000000', 'seed')`,
      )
      .run(
        a.feedId,
        a.clusterId ?? null,
        `g${guid}-${Math.random()}`,
        `g${guid}`,
        a.url ?? null,
        a.url ?? null,
        `h${guid}`,
        a.title,
        a.summary ?? '',
        a.text ?? '',
        a.publishedAt,
        a.publishedAt,
        a.publishedAt,
      ).lastInsertRowid,
  );
}

export interface TagInput {
  articleId: number;
  packId: string;
  indicatorId: string;
  polarity?: 'affirmed' | 'negated';
  modality?: string | null;
  snippet: string;
  numbers?: { value: number; unit: string }[] | null;
  at: string;
}

export function insertTag(db: SQLite.Database, t: TagInput): void {
  db.prepare(
    `INSERT INTO tags (article_id, pack_id, indicator_id, polarity, modality, confidence, field, snippet, numbers, rule_id, created_at)
    VALUES (?, ?, ?, ?, ?, 0.9, 'title', ?, ?, 'seed', ?)`,
  ).run(
    t.articleId,
    t.packId,
    t.indicatorId,
    t.polarity ?? 'affirmed',
    t.modality ?? null,
    t.snippet,
    t.numbers ? JSON.stringify(t.numbers) : null,
    t.at,
  );
}

export interface Evidence {
  articleId: number;
  clusterId: number | null;
  indicator: Indicator;
  polarity: 'affirmed' | 'negated';
  modality: string | null;
  at: number;
  weight: number;
}

/** c(s) = w · 2^(−Δt/half-life) · log L(s), with the indicator's polarity/modality override. */
export function contribution(e: Evidence, pack: Pack, t: number): Record<string, number> {
  const when = e.indicator.when as Record<string, Record<string, number>> | undefined;
  const L =
    (e.polarity === 'negated' ? when?.negated : e.modality ? when?.[e.modality] : undefined) ?? e.indicator.likelihoods;
  const decay = 2 ** (-(t - e.at) / (e.indicator.half_life_days * 86_400_000));
  return Object.fromEntries(pack.scenarios.map((s) => [s.id, e.weight * decay * Math.log(L[s.id] ?? 1)]));
}

/** Writes a snapshot whose probabilities are the softmax of priors plus the evidence; keeps the `keep` largest contributions. */
export function insertSnapshot(db: SQLite.Database, pack: Pack, at: Date, evidence: Evidence[], keep = 40): number {
  const scores: Record<string, number> = Object.fromEntries(pack.scenarios.map((s) => [s.id, Math.log(s.prior)]));
  const contribs = evidence.map((e) => ({ e, c: contribution(e, pack, at.getTime()) }));
  for (const { c } of contribs) for (const s of Object.keys(scores)) scores[s]! += c[s] ?? 0;
  const p = softmax(scores);
  const iso = at.toISOString();
  const id = Number(
    db
      .prepare('INSERT INTO snapshots (pack_id, at, probabilities, reason, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(pack.id, iso, JSON.stringify(p), 'seed', iso).lastInsertRowid,
  );
  const mag = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + Math.abs(b), 0);
  const ins = db.prepare(
    'INSERT INTO evidence_contributions (snapshot_id, cluster_id, article_id, indicator_id, polarity, modality, weight, log_odds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const { e, c } of contribs.sort((a, b) => mag(b.c) - mag(a.c)).slice(0, keep)) {
    ins.run(id, e.clusterId, e.articleId, e.indicator.id, e.polarity, e.modality, e.weight, JSON.stringify(c));
  }
  return id;
}
