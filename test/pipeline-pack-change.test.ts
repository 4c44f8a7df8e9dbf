// A pack edited between runs rebuilds the forecast history: the stored snapshots follow the current pack.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.ts';
import { ensureCurrentPack, runForecastCycle } from '../src/pipeline/pipeline.ts';
import { parsePack } from '../src/pack/load.ts';
import { openTempDb, type TempDb } from './helpers/temp-db.ts';

const root = path.resolve(import.meta.dirname, '..');
const text = readFileSync(path.join(root, 'test/fixtures/packs/minimal.yaml'), 'utf8');
const packA = parsePack(text, 'minimal.yaml');
// The analyst makes a scheduled leaders' meeting twice as telling for a deal.
const packB = parsePack(
  text.replace(
    'likelihoods: { deal: 3, frozen: 1.5, collapse: 0.5 }',
    'likelihoods: { deal: 6, frozen: 1.5, collapse: 0.5 }',
  ),
  'minimal.yaml',
);

let t: TempDb | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

const latest = async (db: TempDb['db']) => {
  const row = await db
    .selectFrom('snapshots')
    .select(['probabilities', 'at'])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return JSON.parse(row.probabilities) as Record<string, number>;
};

describe('ensureCurrentPack', () => {
  it('records the first pack, leaves an unchanged one alone, and rebuilds the history after an edit', async () => {
    t = await openTempDb();
    const db = t.db;
    const at = '2026-11-10T08:00:00.000Z';
    await db
      .insertInto('articles')
      .values({
        feed_id: null,
        cluster_id: null,
        guid_hash: 'g1',
        guid: 'g1',
        url: 'https://wire.example/1',
        canonical_url: 'https://wire.example/1',
        content_hash: 'c1',
        title: 'Trump and Putin to meet at a summit in Budapest next week',
        summary: '',
        text: '',
        language: 'en',
        published_at: at,
        fetched_at: at,
        updated_at: at,
        simhash: '0000000000000000',
        tagged_with: null,
      })
      .execute();
    const now = new Date('2026-11-10T12:00:00Z');
    expect(await ensureCurrentPack({ db, pack: packA, log: silentLogger }, now)).toBe('first');
    await runForecastCycle({ db, pack: packA, log: silentLogger }, now);
    const before = await latest(db);
    expect(await ensureCurrentPack({ db, pack: packA, log: silentLogger }, now)).toBe('unchanged');

    expect(await ensureCurrentPack({ db, pack: packB, log: silentLogger }, now)).toBe('recomputed');
    const after = await latest(db);
    expect(after.deal).toBeGreaterThan(before.deal! + 0.01);
    expect(await ensureCurrentPack({ db, pack: packB, log: silentLogger }, now)).toBe('unchanged');
  });
});
