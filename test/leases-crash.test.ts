// Issue 18.7: after a crash, the next process takes over a dead process's leases at once instead of
// waiting for them to expire (10 minutes for a claimed email). A lease names its owner as host:pid:random;
// a lease whose owner is a process of this host that no longer exists is free. Proved with the real CLI:
// `start` is killed with SIGKILL while it holds an email's send lease (the SMTP server holds its reply to
// DATA); a restarted `start` sends it in seconds.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeAlerts } from '../src/alerts/record.ts';
import { PACK_FILE, openAlertsEnv, subscribe } from './helpers/alerts-env.ts';
import { type TestSmtp, startSmtp } from './helpers/alerts-smtp.ts';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
let smtp: TestSmtp;
let dir: string;
/** The database `start` runs on: the SQLite file in `dir`, or the PostgreSQL database openAlertsEnv made for it. */
let databaseUrl: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  smtp = await startSmtp();
  dir = tempDir('bw-leases-');
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await smtp.close();
});

function start(): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['bin/bellwether.js', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PACK: PACK_FILE,
      PORT: '0',
      HOST: '127.0.0.1',
      SMTP_URL: smtp.url,
      BASE_URL: 'http://127.0.0.1:8080',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return { child, exited: new Promise((r) => child.on('exit', r)) };
}

async function until(what: string, probe: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('leases of a killed process', () => {
  it('a restarted start takes over the dead outbox job lease and the email it was sending, at once', async () => {
    const env = await openAlertsEnv(dir);
    databaseUrl = env.file;
    await subscribe(env.db, 'reader@example.org');
    const draft = {
      kind: 'indicator_shift' as const,
      ruleKey: 'k',
      title: 'An alert queued before the crash',
      body: '',
      data: { probabilities: {}, previous: null, scenarioNames: {}, shifted: [], stories: [] },
    };
    await env.db.transaction().execute((trx) => storeAlerts(trx, 'alerts-test', [draft], [], null, 0, new Date()));
    await env.close();

    // The first process claims the email and sends DATA; the server never answers; the process is killed.
    smtp.onData = () => new Promise<void>(() => undefined);
    const first = start();
    await until('DATA from the first start', () => smtp.dataCount >= 1, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    smtp.onData = null;

    const leases = await openAlertsEnv(dir);
    const row = await leases.db
      .selectFrom('outbox')
      .select(['status', 'message_id', 'claimed_by'])
      // The row queued above is the first; the tracker may have queued alerts of its own, and PostgreSQL
      // returns rows in no set order (an updated row moves), so name it.
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('sending');
    expect(row.claimed_by, 'the killed process still holds the send lease').toBeTruthy();
    await leases.close();

    // Without the takeover this waits 10 minutes (the send lease).
    const second = start();
    await until('the email to be delivered by the restarted start', () => smtp.received.length >= 1, 20_000);
    // (the restarted tracker may queue alerts of its own: count the one sent before the crash)
    expect(smtp.received.filter((m) => m.messageId === row.message_id)).toHaveLength(1);
    second.child.kill('SIGTERM');
    await second.exited;
    const after = await openAlertsEnv(dir);
    const statuses = await after.db
      .selectFrom('outbox')
      .select('status')
      .where('message_id', '=', row.message_id)
      .execute();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((r) => r.status === 'sent')).toBe(true);
    await after.close();
  }, 60_000);
});
