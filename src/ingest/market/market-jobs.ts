// The scheduled polling of a pack's market sources: one job per source, every `every_minutes`, storing one
// dated point per successful poll. A failure is logged and retried sooner (capped backoff), never thrown.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { writeTransaction } from '../../db/write-transaction.ts';
import type { Logger } from '../../logger.ts';
import { marketSourceKey } from '../../pack/load.ts';
import type { MarketSource, Pack } from '../../pack/schema.ts';
import type { Job, JobRetry } from '../../scheduler/jobs.ts';
import { type MarketConfig, pollMarket } from './poll-market.ts';

export interface MarketJobDeps {
  db: Kysely<Database>;
  config: MarketConfig;
  pack: Pick<Pack, 'id' | 'market_sources'>;
  log: Logger;
  /** Per-request deadline (tests shorten it). */
  timeoutMs?: number;
}

/** First retry after a failure; doubled per consecutive failure, never later than the source's interval. */
export const MARKET_RETRY_MS = 5 * 60_000;

export function marketRetryMs(failures: number, everyMs: number): number {
  return Math.min(everyMs, MARKET_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

export interface MarketPointInput {
  packId: string;
  scenarioId: string;
  source: string;
  at: string;
  probability: number;
  url: string | null;
}

/** Stores one polled point; a second point for the same source and time is ignored. Returns whether it was new. */
export async function storeMarketPoint(db: Kysely<Database>, p: MarketPointInput, now: Date): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const res = await trx
      .insertInto('market_points')
      .values({
        pack_id: p.packId,
        scenario_id: p.scenarioId,
        source: p.source,
        at: p.at,
        probability: p.probability,
        url: p.url,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['pack_id', 'source', 'at']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  });
}

function marketJob(deps: MarketJobDeps, source: MarketSource): Job {
  const key = marketSourceKey(source);
  const everyMs = source.every_minutes * 60_000;
  let failures = 0;
  return {
    name: `market:${deps.pack.id}:${key}`,
    everyMs,
    leaseMs: 2 * 60_000,
    run: async (now: Date): Promise<void | JobRetry> => {
      try {
        const reading = await pollMarket(source, deps.config, {
          now: () => now,
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
        });
        const point = {
          packId: deps.pack.id,
          scenarioId: source.scenario,
          source: key,
          at: now.toISOString(),
          ...reading,
        };
        await storeMarketPoint(deps.db, point, now);
        failures = 0;
        deps.log.info(`market ${key}: ${source.scenario} at ${(reading.probability * 100).toFixed(1)} %`);
      } catch (error) {
        failures += 1;
        // A 429/503 with Retry-After is honoured when it asks for longer than the backoff (the scheduler
        // still caps the wait at the source's interval).
        const retryAfter = (error as { retryAfter?: Date }).retryAfter;
        const asked = retryAfter instanceof Date ? retryAfter.getTime() - now.getTime() : 0;
        const retryInMs = Math.min(everyMs, Math.max(marketRetryMs(failures, everyMs), asked));
        deps.log.warn(`market ${key}: poll failed, retrying in ${Math.round(retryInMs / 60_000)} min`, {
          error: (error as Error).message,
          code: (error as { code?: string }).code ?? null,
          failures,
        });
        return { retryInMs };
      }
    },
  };
}

/** One scheduler job per market source of the pack (none when it declares none). */
export function marketJobs(deps: MarketJobDeps): Job[] {
  return deps.pack.market_sources.map((s) => marketJob(deps, s));
}
