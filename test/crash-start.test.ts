// Crash suite (issue 18, deliverable 3): `bellwether start` killed with SIGKILL at random points during
// a forecast cycle (tagging, the snapshot, its alerts and outbox rows) and during an outbox drain
// (local SMTP server). After each kill integrity_check is ok and nothing is doubled; after a rerun
// every article is tagged once, the forecast and its alerts exist once, and every email has been
// delivered: each Message-ID at least once, a repeat only for a kill between the server's acceptance
// and our commit (at most one per kill, same Message-ID). BELLWETHER_CRASH_KILLS sets the kills.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAlerts } from '../src/alerts/record.ts';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { loadPack } from '../src/pack/load.ts';
import { replayCorpus } from '../src/pipeline/replay.ts';
import { subscribe } from './helpers/alerts-env.ts';
import { type TestSmtp, startSmtp } from './helpers/alerts-smtp.ts';
import { type CliChild, KILLS, cli, corpus, expectIntegrity, killAtRandom, query, runUntil } from './helpers/crash.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';

let dir: string;
let pack: string;
let smtp: TestSmtp;

beforeAll(async () => {
  dir = tempDir('bw-crash-start-');
  pack = writeMinimalPack(dir);
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

/** The jobs have begun: start prints its banner once the scheduler runs its first tick. */
const tracking = (c: CliChild) => c.stdout().includes('tracking');

function copy(from: string, name: string): string {
  const file = path.join(dir, name);
  const raw = new Database(from);
  raw.exec(`VACUUM INTO '${file}'`);
  raw.close();
  return file;
}

describe('crash suite: a forecast cycle in start', () => {
  let seeded: string;
  beforeAll(async () => {
    // Stored articles nobody has tagged yet, and subscribers: the first cycle tags them all, writes
    // the first snapshot and records its alerts and outbox rows in the snapshot's transaction.
    seeded = path.join(dir, 'forecast-seed.db');
    const h = openDatabase({ kind: 'sqlite', file: seeded });
    await migrateOrThrow(h.db);
    await replayCorpus({ db: h.db, loadedPack: loadPack(pack), items: corpus(1500, 20), tag: () => [] });
    for (const table of ['evidence_contributions', 'snapshots', 'tags', 'meta'] as const)
      await h.db.deleteFrom(table).execute();
    await h.db.updateTable('articles').set({ tagged_with: null }).execute();
    for (let i = 0; i < 3; i++) await subscribe(h.db, `reader${i}@example.org`);
    await h.close();
  }, 120_000);

  const cycleDone = (file: string) => () =>
    query<{ n: number }>(file, 'SELECT count(*) AS n FROM articles WHERE tagged_with IS NULL')[0]!.n === 0 &&
    query<{ n: number }>(
      file,
      "SELECT count(*) AS n FROM job_leases WHERE name = 'forecast' AND last_run_at IS NOT NULL",
    )[0]!.n === 1;

  function state(file: string) {
    const tags = query<{ k: string; n: number }>(
      file,
      `SELECT article_id || '|' || indicator_id || '|' || rule_id || '|' || field || '|' || polarity AS k, count(*) AS n
         FROM tags GROUP BY k ORDER BY k`,
    );
    const snapshots = query<{ probabilities: string }>(file, 'SELECT probabilities FROM snapshots ORDER BY id');
    const alerts = query<{ k: string }>(
      file,
      'SELECT kind || ' + "'|'" + ' || rule_key AS k FROM alerts ORDER BY k',
    ).map((r) => r.k);
    const outbox = query<{ n: number }>(
      file,
      'SELECT count(*) AS n FROM outbox GROUP BY alert_id, subscriber_id HAVING count(*) > 1',
    );
    const orphans = query<{ n: number }>(
      file,
      'SELECT count(*) AS n FROM outbox o LEFT JOIN alerts a ON a.id = o.alert_id WHERE a.id IS NULL',
    )[0]!.n;
    return { tags, snapshots, alerts, doubledOutbox: outbox.length, orphans };
  }

  it(`survives ${KILLS} SIGKILLs at random points; the rerun tags, forecasts and alerts exactly once`, async () => {
    const clean = copy(seeded, 'forecast-clean.db');
    const started = cli(['start'], { DATABASE_URL: clean, PACK: pack });
    await runUntil(started, cycleDone(clean), 120_000);
    const truth = state(clean);
    expect(truth.tags.length).toBeGreaterThan(100);
    expect(truth.snapshots).toHaveLength(1);

    const db = copy(seeded, 'forecast-killed.db');
    let midWay = 0;
    for (let k = 0; k < KILLS; k++) {
      const c = cli(['start'], { DATABASE_URL: db, PACK: pack });
      if (await killAtRandom(c, tracking, 1500)) midWay++;
      else await c.exited;
      expectIntegrity(db);
      const s = state(db);
      expect(s.tags.filter((t) => t.n > 1)).toEqual([]);
      expect(s.snapshots.length).toBeLessThanOrEqual(1);
      expect(s.doubledOutbox).toBe(0);
      expect(s.orphans).toBe(0);
    }
    await runUntil(cli(['start'], { DATABASE_URL: db, PACK: pack }), cycleDone(db), 120_000);
    expectIntegrity(db);
    const after = state(db);
    expect(after.tags).toEqual(truth.tags);
    // One snapshot, as in the clean run (its probabilities differ only by the seconds of decay between runs).
    expect(after.snapshots).toHaveLength(1);
    const p = (r: { probabilities: string }) => JSON.parse(r.probabilities) as Record<string, number>;
    for (const [id, v] of Object.entries(p(truth.snapshots[0]!))) expect(p(after.snapshots[0]!)[id]).toBeCloseTo(v, 6);
    expect(after.alerts).toEqual(truth.alerts);
    expect(after.doubledOutbox).toBe(0);
    expect(after.orphans).toBe(0);
    process.stdout.write(`crash suite (forecast cycle): ${midWay}/${KILLS} kills landed mid-run\n`);
    expect(midWay).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
  }, 600_000);
});

describe('crash suite: an outbox drain in start', () => {
  const EMAILS = 12;

  it(`survives ${KILLS} SIGKILLs at random points; every email is delivered, repeats only after a kill`, async () => {
    const db = path.join(dir, 'outbox.db');
    const h = openDatabase({ kind: 'sqlite', file: db });
    await migrateOrThrow(h.db);
    for (let i = 0; i < EMAILS; i++) await subscribe(h.db, `r${i}@example.org`);
    const draft = {
      kind: 'indicator_shift' as const,
      ruleKey: 'k',
      title: 'Queued before the crashes',
      body: '',
      data: { probabilities: {}, previous: null, scenarioNames: {}, shifted: [], stories: [] },
    };
    await h.db.transaction().execute((trx) => storeAlerts(trx, 'minimal', [draft], [], null, 0, new Date()));
    await h.close();
    // A slow server: each message takes a while, so kills land before, during and after DATA.
    smtp.received.length = 0;
    smtp.onData = () => new Promise((r) => setTimeout(r, 120));
    const env = { DATABASE_URL: db, PACK: pack, SMTP_URL: smtp.url };
    const outbox = () =>
      query<{ status: string; message_id: string | null }>(db, 'SELECT status, message_id FROM outbox');
    let midWay = 0;
    for (let k = 0; k < KILLS; k++) {
      const c = cli(['start'], env);
      if (await killAtRandom(c, tracking, 1500)) midWay++;
      else {
        c.child.kill('SIGTERM');
        await c.exited;
      }
      expectIntegrity(db);
      // Nothing marked sent that the server did not receive.
      const received = new Set(smtp.received.map((m) => m.messageId));
      for (const r of outbox().filter((r) => r.status === 'sent'))
        expect(received.has(r.message_id!), `${r.message_id} marked sent, never received`).toBe(true);
    }
    await runUntil(cli(['start'], env), () => outbox().every((r) => r.status === 'sent'), 120_000);
    expectIntegrity(db);
    const rows = outbox();
    const ids = new Set(rows.map((r) => r.message_id));
    expect(ids.size).toBeGreaterThanOrEqual(EMAILS);
    const received = smtp.received.map((m) => m.messageId);
    expect(new Set(received)).toEqual(ids);
    const repeats = received.length - ids.size;
    expect(repeats).toBeLessThanOrEqual(midWay);
    // Each subscriber got its own email, under one Message-ID.
    const perRecipient = new Map<string, Set<string>>();
    for (const m of smtp.received)
      perRecipient.set(m.to[0]!, (perRecipient.get(m.to[0]!) ?? new Set()).add(m.messageId));
    expect(perRecipient.size).toBe(EMAILS);
    process.stdout.write(
      `crash suite (outbox drain): ${midWay}/${KILLS} kills landed mid-run; ${ids.size} emails, ${repeats} repeated (same Message-ID)\n`,
    );
    expect(midWay).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
  }, 600_000);
});
