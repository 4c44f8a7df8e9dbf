// Feed management: the pack's feeds (syncPackFeeds), add/remove/list with health, OPML import/export.
import { BellwetherError } from '../errors.ts';
import net from 'node:net';
import type { Kysely } from 'kysely';
import type { Database, Feed, FeedOrigin, FeedStatus } from '../db/schema.ts';
import type { PackFeed } from '../pack/schema.ts';
import { cronProblem, nextCronTime } from '../scheduler/cron.ts';
import { bareHostname, isBlockedAddress } from './fetch/address-guard.ts';

export const DEFAULT_INTERVAL_MINUTES = 15;

export type FeedErrorCode =
  'bad_url' | 'blocked_address' | 'exists' | 'not_found' | 'bad_tier' | 'bad_opml' | 'bad_schedule';

export class FeedError extends BellwetherError<FeedErrorCode> {
  constructor(
    readonly code: FeedErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The longest feed URL accepted, from the CLI and the admin API alike. */
export const MAX_FEED_URL_CHARS = 2_048;

/** A feed URL in its stored form: parsed (host lower-cased, IPv6 literals compressed), without fragment. */
function parseUrl(raw: string): URL {
  const trimmed = raw.trim();
  if (trimmed.length > MAX_FEED_URL_CHARS) {
    throw new FeedError(
      'bad_url',
      `feed URL too long: ${trimmed.length} characters (at most ${MAX_FEED_URL_CHARS}): "${trimmed.slice(0, 80)}…"`,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new FeedError('bad_url', `not a URL: "${raw}" (expected an http:// or https:// feed address)`);
  }
  url.hash = '';
  return url;
}

/**
 * Checks a feed URL before it is stored: http/https only, no credentials, at most
 * MAX_FEED_URL_CHARS, and (unless private addresses are allowed) no IP literal in a private,
 * loopback or link-local range and no localhost name. Host names are checked again at connect
 * time on every hop by the fetcher (DNS may change). Returns the URL normalised.
 */
export function validateFeedUrl(raw: string, allowPrivate: boolean): string {
  const url = parseUrl(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError('bad_url', `unsupported scheme "${url.protocol}" in ${raw} (only http and https feeds)`);
  }
  if (url.username || url.password)
    throw new FeedError('bad_url', `credentials in feed URLs are not supported: ${raw}`);
  // WHATWG URL already turned 2130706433 and 0x7f.1 into 127.0.0.1. A trailing dot is the same
  // name, fully qualified: "localhost." is localhost.
  const host = bareHostname(url.hostname).replace(/\.+$/, '');
  const literal = net.isIP(host) !== 0;
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (literal && isBlockedAddress(host)))) {
    throw new FeedError(
      'blocked_address',
      `refusing ${raw}: ${host} is a private, loopback or link-local address (set ALLOW_PRIVATE_FEEDS=1 to allow)`,
    );
  }
  return url.toString();
}

/** The stored form of a URL given to `feeds remove` (as `feeds add` stored it), or the text itself when it does not parse. */
function storedForm(raw: string): string {
  try {
    return parseUrl(raw).toString();
  } catch {
    return raw.trim();
  }
}

async function findFeed(db: Kysely<Database>, url: string): Promise<Feed | undefined> {
  return db
    .selectFrom('feeds')
    .selectAll()
    .where((eb) => eb.or([eb('url', '=', url), eb('original_url', '=', url)]))
    .orderBy('id')
    .executeTakeFirst();
}

export interface SyncResult {
  added: number;
  updated: number;
  /** Pack feeds the user removed: left removed. */
  keptRemoved: number;
}

/** Checks a feed's cron schedule (UTC, five fields); returns it trimmed, or null for none. */
export function validateSchedule(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const schedule = raw.trim();
  const problem = cronProblem(schedule);
  if (problem) throw new FeedError('bad_schedule', `not a usable cron expression "${raw}": ${problem}`);
  return schedule;
}

/**
 * When a feed whose schedule just changed is next due: the next cron time after its last poll (or after its
 * interval, schedule removed); unchanged while it has never been polled (due at once) or is backing off.
 */
function rescheduled(existing: Feed, schedule: string | null, intervalMinutes: number): { next_check_at?: string } {
  if (existing.schedule === schedule || !existing.last_checked_at || existing.consecutive_failures > 0) return {};
  const last = new Date(existing.last_checked_at);
  const next = schedule
    ? nextCronTime(schedule, last)
    : new Date(last.getTime() + Math.max(1, intervalMinutes) * 60_000);
  return next ? { next_check_at: next.toISOString() } : {};
}

/**
 * Upserts the pack's feeds: new ones are due at once, known ones take the pack's name, tier,
 * language, interval, schedule and full-text setting (only if the pack added them; a changed schedule
 * moves the next check to the new schedule's time after the last poll). A feed the user
 * removed (status 'removed') is never resurrected; one that is gone stays gone.
 */
export async function syncPackFeeds(
  db: Kysely<Database>,
  packFeeds: readonly PackFeed[],
  now: Date,
  options: { intervalMinutes?: number } = {},
): Promise<SyncResult> {
  const result: SyncResult = { added: 0, updated: 0, keptRemoved: 0 };
  const iso = now.toISOString();
  for (const pf of packFeeds) {
    const interval = pf.interval_minutes ?? options.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
    const settings = {
      name: pf.name ?? null,
      tier: pf.tier,
      language: pf.language ?? null,
      poll_interval_minutes: interval,
      schedule: pf.schedule?.trim() ?? null,
      full_text: pf.full_text ? 1 : 0,
    };
    const existing = await findFeed(db, pf.url);
    if (existing?.status === 'removed') {
      result.keptRemoved++;
    } else if (existing) {
      if (existing.origin === 'pack') {
        await db
          .updateTable('feeds')
          .set({ ...settings, ...rescheduled(existing, settings.schedule, interval) })
          .where('id', '=', existing.id)
          .execute();
        result.updated++;
      }
    } else {
      await insertFeed(db, { url: pf.url, ...settings, origin: 'pack' }, iso);
      result.added++;
    }
  }
  return result;
}

interface FeedSettings {
  url: string;
  name: string | null;
  tier: number;
  language: string | null;
  poll_interval_minutes: number;
  schedule: string | null;
  full_text: number;
  origin: FeedOrigin;
}

async function insertFeed(db: Kysely<Database>, s: FeedSettings, iso: string): Promise<number> {
  const row = await db
    .insertInto('feeds')
    .values({
      ...s,
      original_url: s.url,
      status: 'active',
      consecutive_failures: 0,
      next_check_at: iso,
      created_at: iso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AddFeedInput {
  url: string;
  tier: number;
  name?: string | null;
  language?: string | null;
  intervalMinutes?: number;
  /** A cron expression (UTC) naming when to poll, instead of every `intervalMinutes`. */
  schedule?: string | null;
  fullText?: boolean;
  origin?: FeedOrigin;
}

/** Adds a feed (or re-activates one removed or gone); throws FeedError on a bad URL or an active duplicate. */
export async function addFeed(
  db: Kysely<Database>,
  input: AddFeedInput,
  now: Date,
  allowPrivate: boolean,
): Promise<{ id: number; reactivated: boolean }> {
  const url = validateFeedUrl(input.url, allowPrivate);
  if (!Number.isInteger(input.tier) || input.tier < 1 || input.tier > 5)
    throw new FeedError('bad_tier', `tier must be a whole number 1-5 (got ${input.tier})`);
  const settings: FeedSettings = {
    url,
    name: input.name ?? null,
    tier: input.tier,
    language: input.language ?? null,
    poll_interval_minutes: input.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES,
    schedule: validateSchedule(input.schedule),
    full_text: input.fullText ? 1 : 0,
    origin: input.origin ?? 'cli',
  };
  const existing = await findFeed(db, url);
  if (existing && existing.status === 'active') throw new FeedError('exists', `feed already present: ${existing.url}`);
  if (existing) {
    const { url: _keep, ...rest } = settings;
    await db
      .updateTable('feeds')
      .set({
        ...rest,
        status: 'active',
        next_check_at: now.toISOString(),
        consecutive_failures: 0,
        failing_since: null,
      })
      .where('id', '=', existing.id)
      .execute();
    return { id: existing.id, reactivated: true };
  }
  return { id: await insertFeed(db, settings, now.toISOString()), reactivated: false };
}

/**
 * The feed an archive's items are stored under (`bellwether replay`): the existing row for that URL, or a
 * new one that is never polled (status removed). Its URL may be a pseudo-URL such as `replay:Reuters`.
 */
export async function ensureArchiveFeed(
  db: Kysely<Database>,
  input: { url: string; name: string; tier: number; language: string | null },
  now: Date,
): Promise<{ id: number; tier: number; language: string | null }> {
  const existing = await db
    .selectFrom('feeds')
    .select(['id', 'tier', 'language'])
    .where('url', '=', input.url)
    .executeTakeFirst();
  if (existing) return existing;
  const { id } = await db
    .insertInto('feeds')
    .values({
      url: input.url,
      original_url: input.url,
      name: input.name,
      tier: input.tier,
      language: input.language,
      poll_interval_minutes: DEFAULT_INTERVAL_MINUTES,
      full_text: 0,
      origin: 'cli',
      status: 'removed',
      consecutive_failures: 0,
      next_check_at: '9999-12-31T00:00:00.000Z',
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, tier: input.tier, language: input.language };
}

/** Marks a feed removed (its articles stay; the pack will not bring it back). */
export async function removeFeed(db: Kysely<Database>, url: string): Promise<Feed> {
  // `feeds add` stored the normalised URL (`[2001:DB8:0::1]` as `[2001:db8::1]`): look that up first.
  const existing = (await findFeed(db, storedForm(url))) ?? (await findFeed(db, url.trim()));
  if (!existing || existing.status === 'removed') throw new FeedError('not_found', `no such feed: ${url}`);
  await db
    .updateTable('feeds')
    .set({ status: 'removed', lease_owner: null, lease_expires_at: null })
    .where('id', '=', existing.id)
    .execute();
  return existing;
}

/** A feed's health as every reader shows it (CLI `feeds list`, dashboard, API). */
export interface FeedHealth {
  id: number;
  url: string;
  name: string | null;
  tier: number;
  language: string | null;
  origin: FeedOrigin;
  /** Minutes between polls (unused while `schedule` is set). */
  intervalMinutes: number;
  /** The cron expression (UTC) naming when the feed is polled, or null: every `intervalMinutes`. */
  schedule: string | null;
  /** active | failing | gone | removed */
  status: FeedStatus | 'failing';
  lastSuccessAt: string | null;
  lastCheckedAt: string | null;
  /** `code: message` of the last failure, or null. */
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastHttpStatus: number | null;
  failingSince: string | null;
  consecutiveFailures: number;
  nextCheckAt: string | null;
  itemCount: number;
}

export async function listFeeds(
  db: Kysely<Database>,
  options: { includeRemoved?: boolean } = {},
): Promise<FeedHealth[]> {
  let q = db
    .selectFrom('feeds')
    .leftJoin('articles', 'articles.feed_id', 'feeds.id')
    .selectAll('feeds')
    .select((eb) => eb.fn.count<number>('articles.id').as('item_count'))
    .groupBy('feeds.id')
    .orderBy('feeds.id');
  if (!options.includeRemoved) q = q.where('feeds.status', '!=', 'removed');
  const rows = await q.execute();
  return rows.map((f) => ({
    id: f.id,
    url: f.url,
    name: f.name,
    tier: f.tier,
    language: f.language,
    origin: f.origin,
    intervalMinutes: f.poll_interval_minutes,
    schedule: f.schedule,
    status: f.status === 'active' && f.consecutive_failures > 0 ? 'failing' : f.status,
    lastSuccessAt: f.last_success_at,
    lastCheckedAt: f.last_checked_at,
    lastError: f.last_error_code ? `${f.last_error_code}: ${f.last_error_message ?? ''}` : null,
    lastErrorCode: f.last_error_code,
    lastErrorMessage: f.last_error_message,
    lastHttpStatus: f.last_http_status,
    failingSince: f.failing_since,
    consecutiveFailures: f.consecutive_failures,
    nextCheckAt: f.status === 'active' ? f.next_check_at : null,
    itemCount: Number(f.item_count),
  }));
}

/** Makes every active feed due now (the admin "ingest now" on a web instance: the workers fetch them). */
export async function markFeedsDue(db: Kysely<Database>, now: Date): Promise<number> {
  const res = await db
    .updateTable('feeds')
    .set({ next_check_at: now.toISOString() })
    .where('status', '=', 'active')
    .where('next_check_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
