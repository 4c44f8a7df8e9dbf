// Per-feed cron schedules end to end (issue 15 point 7): real local HTTP server, a real database (SQLite file
// or PostgreSQL), the real claim and refresh. A scheduled feed is due exactly at its cron times (UTC), not
// between them; failures skip cron times; a changed schedule in the pack moves the next check.
import { describe, expect, it } from 'vitest';
import { claimDueFeeds, newLeaseOwner } from '../src/ingest/lease.ts';
import { runIngest, syncPackFeeds } from '../src/ingest/index.ts';
import type { PackFeed } from '../src/pack/schema.ts';
import { useFeedServerAndDb } from './helpers/ingest-db.ts';
import { numberedItems, rss, testDeps } from './helpers/ingest-feeds.ts';

// A fixed day, never today's: Tuesday 4 March 2031.
const at = (hhmmss: string) => new Date(`2031-03-04T${hhmmss}Z`);
const ctx = useFeedServerAndDb();

const xml = { 'content-type': 'application/rss+xml; charset=utf-8' };
const packFeed = (path: string, schedule?: string): PackFeed => ({
  url: ctx.server.url(path),
  tier: 1,
  full_text: false,
  ...(schedule ? { schedule } : {}),
});
const row = (path: string) =>
  ctx.t.db.selectFrom('feeds').selectAll().where('url', '=', ctx.server.url(path)).executeTakeFirstOrThrow();
/** One ingest run of the due feeds at `now`; the paths fetched. */
async function pollAt(now: Date): Promise<string[]> {
  const before = new Map(['/wire.xml', '/plain.xml'].map((p) => [p, ctx.server.hits(p)]));
  await runIngest(testDeps(ctx.t.db), { now });
  return [...before].filter(([p, n]) => ctx.server.hits(p) > n).map(([p]) => p);
}

describe('a feed with a cron schedule', () => {
  it('is due exactly at its cron times and not between; an unscheduled sibling keeps its interval', async () => {
    ctx.server.route('/wire.xml', { status: 200, headers: xml, body: rss(numberedItems(1, 2)) });
    ctx.server.route('/plain.xml', { status: 200, headers: xml, body: rss(numberedItems(3, 2)) });
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml', '*/5 * * * *'), packFeed('/plain.xml')], at('10:01:00'), {
      intervalMinutes: 60,
    });
    expect((await row('/wire.xml')).schedule).toBe('*/5 * * * *');
    expect((await row('/plain.xml')).schedule).toBeNull();

    // New feeds are due at once; then the wire service at :05, :10, :15 …, the other every 60 min (±10%).
    expect((await pollAt(at('10:02:00'))).sort()).toEqual(['/plain.xml', '/wire.xml']);
    expect((await row('/wire.xml')).next_check_at).toBe('2031-03-04T10:05:00.000Z');
    for (const [time, expected] of [
      ['10:03:00', []],
      ['10:04:59', []],
      ['10:05:00', ['/wire.xml']],
      ['10:05:30', []],
      ['10:09:59', []],
      ['10:10:00', ['/wire.xml']],
      ['10:14:00', []],
      ['10:15:00', ['/wire.xml']],
      ['10:20:30', ['/wire.xml']], // a run late for 10:20 polls it then; the next is 10:25, not 10:25:30
      ['10:24:59', []],
    ] as const) {
      expect(await pollAt(at(time)), `at ${time}`).toEqual(expected);
    }
    expect((await row('/wire.xml')).next_check_at).toBe('2031-03-04T10:25:00.000Z');
    const plain = new Date((await row('/plain.xml')).next_check_at).getTime() - at('10:02:00').getTime();
    expect(plain).toBeGreaterThanOrEqual(54 * 60_000);
    expect(plain).toBeLessThanOrEqual(66 * 60_000);
  });

  it('backs off by skipping cron times after failures, and is back on schedule after a success', async () => {
    let status = 500;
    ctx.server.route('/wire.xml', (_q, res) =>
      status === 200 ? void res.writeHead(200, xml).end(rss(numberedItems(1, 2))) : void res.writeHead(status).end(),
    );
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml', '*/5 * * * *')], at('10:00:00'));
    expect(await pollAt(at('10:00:10'))).toEqual(['/wire.xml']); // 1st failure: the next cron time
    expect(await row('/wire.xml')).toMatchObject({
      consecutive_failures: 1,
      next_check_at: '2031-03-04T10:05:00.000Z',
    });
    expect(await pollAt(at('10:05:00'))).toEqual(['/wire.xml']); // 2nd: one cron time skipped
    expect(await row('/wire.xml')).toMatchObject({
      consecutive_failures: 2,
      next_check_at: '2031-03-04T10:15:00.000Z',
    });
    expect(await pollAt(at('10:10:00'))).toEqual([]);
    expect(await pollAt(at('10:15:00'))).toEqual(['/wire.xml']); // 3rd: three skipped
    expect((await row('/wire.xml')).next_check_at).toBe('2031-03-04T10:35:00.000Z');
    expect(await pollAt(at('10:20:00'))).toEqual([]);
    expect(await pollAt(at('10:30:00'))).toEqual([]);
    status = 200;
    expect(await pollAt(at('10:35:00'))).toEqual(['/wire.xml']);
    expect(await row('/wire.xml')).toMatchObject({
      consecutive_failures: 0,
      next_check_at: '2031-03-04T10:40:00.000Z',
    });
  });

  it('a claim moves the next check to the next cron time; two workers at once fetch it once', async () => {
    ctx.server.route('/wire.xml', { status: 200, headers: xml, body: rss(numberedItems(1, 2)) });
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml', '0 6,18 * * *')], at('05:00:00'));
    // A worker that dies after its claim: the feed waits for its next cron time, not an interval.
    const claimed = await claimDueFeeds(ctx.t.db, newLeaseOwner(), { now: at('05:00:00'), limit: 10 });
    expect(claimed.map((f) => f.next_check_at)).toEqual(['2031-03-04T06:00:00.000Z']);
    // Its lease (15 min) has expired by 06:00: two runs at once share it, one fetch.
    await Promise.all([
      runIngest(testDeps(ctx.t.db), { now: at('06:00:00') }),
      runIngest(testDeps(ctx.t.db), { now: at('06:00:00') }),
    ]);
    expect(ctx.server.hits('/wire.xml')).toBe(1);
    expect((await row('/wire.xml')).next_check_at).toBe('2031-03-04T18:00:00.000Z');
    expect(await pollAt(at('17:59:59'))).toEqual([]);
    expect(await pollAt(at('18:00:00'))).toEqual(['/wire.xml']);
    expect((await row('/wire.xml')).next_check_at).toBe('2031-03-05T06:00:00.000Z');
  });

  it('a schedule that is not a cron expression (a row edited by hand) falls back to the interval', async () => {
    ctx.server.route('/wire.xml', { status: 200, headers: xml, body: rss(numberedItems(1, 2)) });
    ctx.server.route('/plain.xml', { status: 200, headers: xml, body: rss(numberedItems(3, 2)) });
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml'), packFeed('/plain.xml')], at('10:00:00'), {
      intervalMinutes: 60,
    });
    await ctx.t.db
      .updateTable('feeds')
      .set({ schedule: 'every so often' })
      .where('url', '=', ctx.server.url('/wire.xml'))
      .execute();
    expect((await pollAt(at('10:00:00'))).sort()).toEqual(['/plain.xml', '/wire.xml']);
    const next = new Date((await row('/wire.xml')).next_check_at).getTime() - at('10:00:00').getTime();
    expect(next).toBeGreaterThanOrEqual(54 * 60_000);
    expect(next).toBeLessThanOrEqual(66 * 60_000);
  });

  it("a schedule changed in the pack takes effect from the feed's last poll", async () => {
    ctx.server.route('/wire.xml', { status: 200, headers: xml, body: rss(numberedItems(1, 2)) });
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml')], at('10:00:00'), { intervalMinutes: 60 });
    await pollAt(at('10:02:00'));
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml', '*/5 * * * *')], at('10:03:00'), { intervalMinutes: 60 });
    expect(await row('/wire.xml')).toMatchObject({
      schedule: '*/5 * * * *',
      next_check_at: '2031-03-04T10:05:00.000Z',
    });
    await syncPackFeeds(ctx.t.db, [packFeed('/wire.xml')], at('10:04:00'), { intervalMinutes: 60 });
    expect(await row('/wire.xml')).toMatchObject({ schedule: null, next_check_at: '2031-03-04T11:02:00.000Z' });
  });
});
