// The tagging orchestrator: reads articles whose tags are stale for the pack's rules, tags them, writes in batched transactions.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database, NewTag } from '../db/schema.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { LoadedPack } from '../pack/load.ts';
import { type CompiledIndicators, compileIndicators } from './compile.ts';
import { type TagModel, TagModelError, parseModel } from './model/tag-model.ts';
import { type TagDraft, type TagInput, tagText } from './tag-text.ts';

export interface TagPendingResult {
  /** Articles (re)tagged. */
  articles: number;
  /** Tags written. */
  tags: number;
}

/** Called after each batch with the articles done so far and the number that were stale at the start. */
export type TagProgress = (done: number, total: number) => void;

export interface TagPendingOptions {
  batchSize?: number;
  /** Tags one article instead of the pack's rules (experiments: a keyword tagger, gold labels). */
  tag?: (article: TagInput) => TagDraft[];
}

const compiledByHash = new Map<string, CompiledIndicators>();

/** Reads and checks a model file against the pack's indicator ids. */
export function loadModel(file: string, packIndicatorIds: readonly string[]): TagModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new TagModelError(
      'invalid_model',
      `${file}: cannot read the model: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      cause,
    );
  }
  return parseModel(text, file, packIndicatorIds);
}

/** The pack's rules, and its model when it names one (`model:`); throws TagModelError for a bad or mismatched model. */
export function compilePack(loaded: LoadedPack, options: { rulesOnly?: boolean } = {}): CompiledIndicators {
  const model =
    loaded.modelFile && !options.rulesOnly
      ? loadModel(
          loaded.modelFile,
          loaded.pack.indicators.map((i) => i.id),
        )
      : null;
  return compileIndicators(loaded.pack.indicators, model);
}

/** Compiling is cheap but not free: reuse the matcher while the rules (and model) are unchanged. */
export function compiledFor(loaded: LoadedPack): CompiledIndicators {
  let c = compiledByHash.get(loaded.rulesHash);
  if (!c) {
    c = compilePack(loaded);
    // One entry per question an instance tracks (PACKS); old rules fall out once there are many.
    if (compiledByHash.size >= 16) compiledByHash.clear();
    compiledByHash.set(loaded.rulesHash, c);
  }
  return c;
}

export function tagRow(draft: TagDraft, articleId: number, packId: string, nowIso: string): NewTag {
  return {
    article_id: articleId,
    pack_id: packId,
    indicator_id: draft.indicatorId,
    polarity: draft.polarity,
    modality: draft.modality,
    confidence: draft.confidence,
    field: draft.field,
    snippet: draft.snippet,
    numbers: draft.numbers ? JSON.stringify(draft.numbers) : null,
    rule_id: draft.ruleId,
    features: draft.features && draft.features.length > 0 ? JSON.stringify(draft.features) : null,
    created_at: nowIso,
  };
}

function staleQuery(db: Kysely<Database>, hash: string) {
  return db
    .selectFrom('articles')
    .where((eb) => eb.or([eb('articles.tagged_with', 'is', null), eb('articles.tagged_with', '!=', hash)]));
}

/**
 * Tags every article whose `tagged_with` differs from the pack's rules hash, replacing its tags
 * for this pack. Each batch commits on its own (tags deleted, tags inserted, articles marked),
 * so an interrupted run loses nothing and the next one resumes. An article changed by ingestion
 * while it was being tagged stays stale (its `updated_at` no longer matches) and is tagged again.
 * The article's language is its own, else its feed's.
 */
export async function tagPending(
  db: Kysely<Database>,
  loaded: LoadedPack,
  now: Date,
  onProgress?: TagProgress,
  options: TagPendingOptions = {},
): Promise<TagPendingResult> {
  return tagPendingPacks(db, [loaded], now, onProgress, options);
}

/**
 * The staleness mark of several packs tagged together: one pack's own rules hash (so a single-question
 * database is never re-tagged for it), else a hash of every pack's id and rules hash.
 */
export function packsRulesHash(packs: readonly LoadedPack[]): string {
  if (packs.length === 1) return packs[0]!.rulesHash;
  const parts = packs.map((p) => `${p.pack.id}:${p.rulesHash}`).sort();
  return `packs:${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}`;
}

/**
 * tagPending for every question of an instance at once: an article is stale unless it was tagged by this
 * exact set of packs (`packsRulesHash`), and is then tagged by each pack's own rules, its tags replaced
 * pack by pack. One shared mark keeps `articles` one row per story whatever the number of questions; a
 * change to one pack re-tags the articles for all of them (tagging is cheap next to fetching).
 */
export async function tagPendingPacks(
  db: Kysely<Database>,
  packs: readonly LoadedPack[],
  now: Date,
  onProgress?: TagProgress,
  options: TagPendingOptions = {},
): Promise<TagPendingResult> {
  const batchSize = options.batchSize ?? 500;
  const taggers = packs.map((loaded) => {
    const compiled = compiledFor(loaded);
    return { packId: loaded.pack.id, tag: options.tag ?? ((input: TagInput) => tagText(compiled, input)) };
  });
  const hash = packsRulesHash(packs);
  const packIds = taggers.map((t) => t.packId);
  const nowIso = now.toISOString();
  const counted = await staleQuery(db, hash)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.n);
  const result: TagPendingResult = { articles: 0, tags: 0 };
  let lastId = 0;
  for (;;) {
    const rows = await staleQuery(db, hash)
      .leftJoin('feeds', 'feeds.id', 'articles.feed_id')
      .select([
        'articles.id',
        'articles.title',
        'articles.summary',
        'articles.text',
        'articles.language',
        'articles.updated_at',
        'feeds.language as feed_language',
      ])
      .where('articles.id', '>', lastId)
      .orderBy('articles.id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    const tagRows = rows.flatMap((r) => {
      const input = { title: r.title, summary: r.summary, text: r.text, language: r.language ?? r.feed_language };
      return taggers.flatMap((t) => t.tag(input).map((d) => tagRow(d, r.id, t.packId, nowIso)));
    });
    await writeTransaction(db, async (trx) => {
      await trx
        .deleteFrom('tags')
        .where('pack_id', 'in', packIds)
        .where(
          'article_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      for (let i = 0; i < tagRows.length; i += 400)
        await trx
          .insertInto('tags')
          .values(tagRows.slice(i, i + 400))
          .execute();
      for (const r of rows) {
        await trx
          .updateTable('articles')
          .set({ tagged_with: hash })
          .where('id', '=', r.id)
          .where('updated_at', '=', r.updated_at)
          .execute();
      }
    });
    result.articles += rows.length;
    result.tags += tagRows.length;
    onProgress?.(Math.min(result.articles, total), total);
  }
  return result;
}

/** Marks every article stale, so the next tagPending re-reads them all (`bellwether retag`). */
export async function markAllStale(db: Kysely<Database>): Promise<number> {
  const res = await db.updateTable('articles').set({ tagged_with: null }).executeTakeFirst();
  return Number(res.numUpdatedRows);
}
