// Durability of the outbox across SIGKILL (child process): killed after the commit and before
// the send → delivered once after restart (at once: the dead claimer's lease is taken over); killed after DATA, before the reply → at most one
// duplicate, with the same Message-ID.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../src/alerts/channels/email.ts';
import { drainOutbox } from '../src/alerts/outbox.ts';
import { storeAlerts } from '../src/alerts/record.ts';
import { openAlertsEnv, prepareSharedDatabase, subscribe } from './helpers/alerts-env.ts';
import { type TestSmtp, startSmtp } from './helpers/alerts-smtp.ts';

const CHILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'helpers/alerts-crash-child.ts');
const T0 = Date.parse('2026-11-20T10:00:00.000Z');

let dir: string;
let smtp: TestSmtp;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bw-alerts-crash-'));
  await prepareSharedDatabase(dir);
  smtp = await startSmtp();
});
afterEach(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

function runChild(mode: 'hang' | 'smtp' | 'drain'): {
  child: ChildProcess;
  output(): string;
  waitFor(line: string): Promise<void>;
  exited: Promise<NodeJS.Signals | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, mode, smtp.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  return {
    child,
    exited,
    output: () => out,
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(line) ? resolve() : undefined);
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          check();
        });
        void exited.then(() => reject(new Error(`child exited before "${line}": ${err}`)));
        check();
      }),
  };
}

async function drainAt(minutes: number) {
  const env = await openAlertsEnv(dir);
  const channel = createEmailChannel(smtp.url, { from: 'alerts@bw.example', timeoutMs: 2000 });
  try {
    const r = await drainOutbox(
      { db: env.db, channel, baseUrl: 'https://bw.example', packTitle: 'Alerts test pack', batchMinutes: 5 },
      new Date(T0 + minutes * 60_000),
    );
    const rows = await env.db.selectFrom('outbox').select(['status', 'message_id']).execute();
    return { r, rows };
  } finally {
    channel.close();
    await env.close();
  }
}

describe('outbox across SIGKILL', () => {
  it('killed after the alert and claim commits, before sending: delivered exactly once after restart', async () => {
    const c = runChild('hang');
    await c.waitFor('sending');
    c.child.kill('SIGKILL');
    expect(await c.exited).toBe('SIGKILL');
    // The claim's lease has not expired yet, but its claimer is a dead process of this host: taken over at once.
    const early = await drainAt(7);
    expect(early.r.sent).toBe(1);
    expect(early.rows.map((r) => r.status)).toEqual(['sent']);
    expect((await drainAt(17)).r.sent).toBe(0);
    expect((await drainAt(60)).r.sent).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.messageId).toBe(early.rows[0]!.message_id);
  }, 30_000);

  it('killed after DATA, before the 250 reply: at most one duplicate, with the same Message-ID', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let dataSeen!: () => void;
    const seen = new Promise<void>((r) => (dataSeen = r));
    smtp.onData = () => {
      dataSeen();
      return held;
    };
    const c = runChild('smtp');
    await seen;
    c.child.kill('SIGKILL');
    await c.exited;
    smtp.onData = null;
    release();
    await new Promise((r) => setTimeout(r, 100));
    const after = await drainAt(17);
    expect(after.r.sent).toBe(1);
    expect((await drainAt(60)).r.sent).toBe(0);
    expect(smtp.received.length).toBeGreaterThanOrEqual(1);
    expect(smtp.received.length).toBeLessThanOrEqual(2);
    expect(new Set(smtp.received.map((m) => m.messageId))).toEqual(new Set([after.rows[0]!.message_id]));
  }, 30_000);
});

describe('two senders at once (two processes)', () => {
  it('never take the same row: every email delivered exactly once', async () => {
    const env = await openAlertsEnv(dir);
    for (let i = 0; i < 30; i += 1) await subscribe(env.db, `r${i}@example.org`);
    const draft = {
      kind: 'indicator_shift' as const,
      ruleKey: 'k',
      title: 'Shared alert',
      body: '',
      data: { probabilities: {}, previous: null, scenarioNames: {}, shifted: [], stories: [] },
    };
    await env.db.transaction().execute((trx) => storeAlerts(trx, 'alerts-test', [draft], [], null, 0, new Date(T0)));
    await env.close();
    // A slow server keeps both senders busy at the same time.
    smtp.onData = () => new Promise((r) => setTimeout(r, 40));
    const a = runChild('drain');
    const b = runChild('drain');
    await Promise.all([a.waitFor('drained'), b.waitFor('drained')]);
    await Promise.all([a.exited, b.exited]);
    expect(smtp.received).toHaveLength(30);
    const sent = [a, b].map((c) => (JSON.parse(/drained (\{.*\})/.exec(c.output())![1]!) as { sent: number }).sent);
    expect(sent[0]! + sent[1]!).toBe(30);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(30);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(30);
  }, 30_000);
});
