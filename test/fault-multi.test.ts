// Fault test (issue 14.4): three workers and two web instances (the built `bellwether` bin) on one PostgreSQL,
// a local feed server and a local SMTP server, for two minutes, while a random worker is killed with SIGKILL
// every 15 seconds and restarted at once. Afterwards: no feed was polled twice within its interval (the feed
// server's request log); every alert email was delivered exactly once (Message-IDs: none missing, none
// repeated); snapshots are in time order with no gap longer than a poll cycle; and no request to the web
// instances, polled throughout, was answered 5xx (or refused). PostgreSQL only: several workers on one
// SQLite file are covered by test/concurrency.test.ts; this is the PostgreSQL deployment of issue 14.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscriber } from '../src/alerts/subscribers.ts';
import { openDatabase } from '../src/db/connect.ts';
import { type TestSmtp, startSmtp } from './helpers/alerts-smtp.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { rss } from './helpers/ingest-feeds.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from './helpers/test-database.ts';

const root = path.resolve(import.meta.dirname, '..');
const RUN_MS = 120_000;
const KILL_EVERY_MS = 15_000;
/** Every feed is polled once a minute (the shortest interval a pack allows); the poller jitters it ±10%. */
const INTERVAL_MS = 60_000;
const FEEDS = 30;
const SUBSCRIBERS = 8;
/** Indicators whose first story fires a "quiet → active" alert, one every 12 s of the run. */
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india'];
const ITEM_EVERY_MS = 4_000;

function writePack(dir: string): string {
  const horizon = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const indicators = WORDS.map((w, i) => {
    const up = ['deal', 'frozen', 'collapse'][i % 3];
    const lik = { deal: 1, frozen: 1, collapse: 1, [up!]: 1.6 };
    return `  - { id: ${w}, name: ${w}, likelihoods: ${JSON.stringify(lik)}, rules: [{ id: ${w}-r, any: [${w}] }] }`;
  });
  const file = path.join(dir, 'pack.yaml');
  writeFileSync(
    file,
    [
      'id: fault-test',
      'title: Fault test pack',
      'question: Deal, freeze or collapse?',
      `horizon: ${horizon}`,
      'poll_interval_minutes: 1',
      'scenarios:',
      '  - { id: deal, name: Deal, prior: 0.3, resolution: A deal. }',
      '  - { id: frozen, name: Frozen, prior: 0.3, resolution: A freeze. }',
      '  - { id: collapse, name: Collapse, prior: 0.4, resolution: Neither. }',
      'indicators:',
      ...indicators,
      'alerts: { probability_move: { points: 50, hours: 24 }, cooldown_minutes: 60, batch_minutes: 0 }',
      'feeds: []',
      '',
    ].join('\n'),
  );
  return file;
}

/** Feed `f` at time `t`: every item published so far (one per ITEM_EVERY_MS per feed), newest first. */
function feedBody(f: number, started: number, t: number): string {
  const n = Math.floor((t - started) / ITEM_EVERY_MS) + 1;
  const items = [];
  for (let k = Math.max(0, n - 40); k < n; k++) {
    const word = WORDS[Math.min(WORDS.length - 1, Math.floor((k * ITEM_EVERY_MS) / 12_000))]!;
    const at = new Date(started + k * ITEM_EVERY_MS);
    items.push({
      guid: `f${f}-${k}`,
      link: `https://news.example/${f}/${k}`,
      title: `Report ${f}.${k}: ${word} talks, feed ${f} story ${k} ${(f * 7919 + k * 104729).toString(36)}`,
      description: `Story ${k} of feed ${f} about ${word}.`,
      pubDate: at.toUTCString(),
    });
  }
  return rss(items.reverse(), `Feed ${f}`);
}

interface Proc {
  role: 'web' | 'worker';
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<void>;
}

describe.skipIf(!onPostgres)('several instances on one PostgreSQL, workers killed (PostgreSQL pass only)', () => {
  let dir: string;
  let db: TestDatabase;
  let server: FeedServer;
  let smtp: TestSmtp;
  const procs: Proc[] = [];
  let started = 0;
  /** When the feeds stop changing: the end of the two minutes of kills (set when they begin). */
  let frozenAt = Infinity;

  beforeAll(async () => {
    dir = tempDir('bw-fault-multi-');
    db = await createTestDatabase(dir);
    smtp = await startSmtp();
    server = await startFeedServer();
    started = Date.now();
    for (let f = 0; f < FEEDS; f++)
      server.route(`/f/${f}.xml`, (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        // Nothing new after the run, so the settling outbox and forecast reach an end.
        res.end(feedBody(f, started, Math.min(Date.now(), frozenAt)));
      });
    const h = openDatabase(db.target);
    try {
      const now = new Date(started);
      // The feeds fall due one every 2 s, so polls (and forecast cycles) go on all minute, kills land among them.
      await h.db
        .insertInto('feeds')
        .values(
          Array.from({ length: FEEDS }, (_, f) => ({
            url: server.url(`/f/${f}.xml`),
            original_url: null,
            tier: 1,
            poll_interval_minutes: 1,
            full_text: 0,
            origin: 'cli' as const,
            status: 'active' as const,
            consecutive_failures: 0,
            next_check_at: new Date(started + (f * INTERVAL_MS) / FEEDS).toISOString(),
            created_at: now.toISOString(),
          })),
        )
        .execute();
      for (let i = 0; i < SUBSCRIBERS; i++)
        await addSubscriber(h.db, { email: `reader${i}@example.org`, rules: null, digest: null }, now);
    } finally {
      await h.close();
    }
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await server?.close();
    await smtp?.close();
    await db?.drop();
  });

  function launch(role: 'web' | 'worker', pack: string): Proc {
    const child = spawn(process.execPath, ['bin/bellwether.js', 'start', '--role', role], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PACK: pack,
        PORT: '0',
        HOST: '127.0.0.1',
        SMTP_URL: smtp.url,
        BASE_URL: 'http://127.0.0.1:8080',
        ALLOW_PRIVATE_FEEDS: '1',
        FETCH_PER_HOST: '8',
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = / at (http:\/\/\S+) \(database/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code, signal) => reject(new Error(`${role} exited (${code ?? signal}) before listening`)));
    });
    url.catch(() => undefined);
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${role} ${child.pid}] ${d.toString()}`));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const p = { role, child, url, exited };
    procs.push(p);
    return p;
  }

  it('no feed polled twice in its interval, every email once, snapshots in order without gaps, no 5xx', async () => {
    const pack = writePack(dir);
    // Workers first: they migrate (here the database is already migrated) and bring the pack up to date.
    const workers = [launch('worker', pack), launch('worker', pack), launch('worker', pack)];
    await Promise.all(workers.map((w) => w.url));
    const webs = [launch('web', pack), launch('web', pack)];
    const webUrls = await Promise.all(webs.map((w) => w.url));

    // Readers on both web instances all along: any 5xx or refused request is a failure.
    const failures: string[] = [];
    let requests = 0;
    let reading = true;
    const paths = ['/', '/api/v1/scenarios', '/healthz', '/feed.json', '/evidence', '/api/v1/alerts'];
    const readers = webUrls.map(async (base, i) => {
      for (let n = i; reading; n++) {
        const p = paths[n % paths.length]!;
        try {
          const res = await fetch(base + p);
          await res.arrayBuffer();
          if (res.status >= 500) failures.push(`${base}${p}: ${res.status}`);
        } catch (error) {
          failures.push(`${base}${p}: ${(error as Error).message}`);
        }
        requests++;
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    // A random worker killed every 15 s and restarted at once.
    let kills = 0;
    const live = workers.slice();
    const runStart = Date.now();
    frozenAt = runStart + RUN_MS;
    while (Date.now() - runStart < RUN_MS) {
      await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
      if (Date.now() - runStart >= RUN_MS) break;
      const i = Math.floor(Math.random() * live.length);
      live[i]!.child.kill('SIGKILL');
      await live[i]!.exited;
      kills++;
      live[i] = launch('worker', pack);
    }
    // Let the outbox drain and the last cycle finish, then stop the workers; the web instances must then
    // show the newest snapshot (the change counter, read at most once a second).
    const h = openDatabase(db.target);
    try {
      // Settling: the feeds stopped changing at the end of the run; once every feed has been polled since,
      // no snapshot has been written for 10 s and the outbox is empty, the workers have nothing left to do.
      const settleEnd = Date.now() + 150_000;
      let lastCount = -1;
      let stableSince = Date.now();
      for (;;) {
        const polledSince = new Set(server.requests.filter((r) => r.at > frozenAt).map((r) => r.path));
        const open = await h.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', 'in', ['pending', 'sending'])
          .executeTakeFirstOrThrow();
        const count = Number(
          (
            await h.db
              .selectFrom('snapshots')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
        if (count !== lastCount) [lastCount, stableSince] = [count, Date.now()];
        const settled = polledSince.size === FEEDS && Number(open.n) === 0 && Date.now() - stableSince > 10_000;
        if (settled || Date.now() > settleEnd) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      // SIGTERM: each worker finishes its jobs in flight and exits; one that hangs fails the test.
      for (const w of live) w.child.kill('SIGTERM');
      const stopped = await Promise.race([
        Promise.all(live.map((w) => w.exited)).then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 30_000)),
      ]);
      let activity = '';
      if (!stopped) {
        const { sql } = await import('kysely');
        const rows = await sql<Record<string, unknown>>`select pid, state, wait_event_type, wait_event,
          left(query, 120) as query from pg_stat_activity where datname = current_database()`.execute(h.db);
        activity = JSON.stringify(rows.rows);
      }
      expect(stopped, `every worker stops within 30 s of SIGTERM; the database's sessions: ${activity}`).toBe(true);
      await new Promise((r) => setTimeout(r, 1500));
      reading = false;
      await Promise.all(readers);

      const snapshots = await h.db
        .selectFrom('snapshots')
        .select(['id', 'at'])
        .where('pack_id', '=', 'fault-test')
        .orderBy('id')
        .execute();
      for (const base of webUrls) {
        const api = (await (await fetch(`${base}/api/v1/scenarios`)).json()) as { asOf: string | null };
        expect(api.asOf, `${base} shows the newest snapshot`).toBe(snapshots.at(-1)?.at);
      }

      // 1. No feed polled twice within its interval (less the poller's 10% jitter and scheduling slack).
      const polls = new Map<string, number[]>();
      for (const r of server.requests) polls.set(r.path, [...(polls.get(r.path) ?? []), r.at]);
      let shortest = Infinity;
      for (const [, times] of polls)
        for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i]! - times[i - 1]!);
      expect(server.requests.length, 'feeds were polled repeatedly').toBeGreaterThanOrEqual(FEEDS * 2);
      expect(shortest, 'shortest time between two polls of one feed (ms)').toBeGreaterThanOrEqual(
        INTERVAL_MS * 0.9 - 9_000,
      );

      // 2. Every alert email delivered exactly once.
      const outbox = await h.db.selectFrom('outbox').select(['status', 'message_id']).execute();
      const expected = new Set(outbox.map((r) => r.message_id));
      const received = smtp.received.map((m) => m.messageId);
      expect(outbox.length, 'alerts were queued for the subscribers').toBeGreaterThanOrEqual(SUBSCRIBERS * 3);
      expect(outbox.filter((r) => r.status !== 'sent')).toEqual([]);
      expect(received.length - new Set(received).size, 'emails delivered twice').toBe(0);
      expect(new Set(received)).toEqual(expected);

      // 3. Snapshots in time order, none missing for longer than a poll cycle.
      expect(snapshots.length).toBeGreaterThan(10);
      let gap = 0;
      for (let i = 1; i < snapshots.length; i++) {
        expect(snapshots[i]!.at >= snapshots[i - 1]!.at, `snapshot ${snapshots[i]!.id} in time order`).toBe(true);
        gap = Math.max(gap, Date.parse(snapshots[i]!.at) - Date.parse(snapshots[i - 1]!.at));
      }
      expect(gap, 'longest time between two snapshots (ms)').toBeLessThanOrEqual(INTERVAL_MS);

      // 4. No request answered 5xx.
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(200);
      expect(kills).toBeGreaterThanOrEqual(6);
      process.stdout.write(
        `fault-multi: ${kills} kills, ${server.requests.length} polls (shortest gap ${shortest} ms), ` +
          `${received.length} emails, ${snapshots.length} snapshots (longest gap ${gap} ms), ${requests} web requests\n`,
      );
    } finally {
      await h.close();
    }
  }, 420_000);
});
