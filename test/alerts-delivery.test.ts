// The outbox sender against a real SMTP server on 127.0.0.1: content and headers, batching,
// 451 then accepted, 550, SMTP down then up, EAUTH, no greeting, the per-run maximum.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmailChannel, createEmailChannel } from '../src/alerts/channels/email.ts';
import { type DrainOptions, drainOutbox } from '../src/alerts/outbox.ts';
import { enqueueDigests } from '../src/alerts/digest.ts';
import { checkFeedHealthAlerts, recordAlerts, storeAlerts } from '../src/alerts/record.ts';
import type { AlertDraft } from '../src/alerts/types.ts';
import {
  type AlertsEnv,
  addFailingFeed,
  addSignal,
  addSnapshot,
  openAlertsEnv,
  subscribe,
} from './helpers/alerts-env.ts';
import { type TestSmtp, startSmtp } from './helpers/alerts-smtp.ts';

let env: AlertsEnv;
let smtp: TestSmtp;
let channels: EmailChannel[];
beforeEach(async () => {
  env = await openAlertsEnv();
  smtp = await startSmtp();
  channels = [];
});
afterEach(async () => {
  channels.forEach((c) => c.close());
  await smtp.close();
  await env.close();
});

const T0 = new Date('2026-11-20T10:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

function opts(url = smtp.url, over: Partial<DrainOptions> = {}): DrainOptions {
  const channel = createEmailChannel(url, { from: 'Bellwether <alerts@bw.example>', timeoutMs: 1500 });
  channels.push(channel);
  return {
    db: env.db,
    channel,
    baseUrl: 'https://bw.example',
    packTitle: 'Alerts test pack',
    batchMinutes: 5,
    ...over,
  };
}

function draft(i: number): AlertDraft {
  return {
    kind: 'indicator_shift',
    ruleKey: `shift:x${i}:active`,
    title: `Alert number ${i}`,
    body: '',
    data: {
      probabilities: { deal: 0.3 },
      previous: null,
      scenarioNames: { deal: 'Deal' },
      shifted: [`shift ${i}`],
      stories: [],
    },
  };
}

async function queue(n: number, now: Date, batchMinutes = 5): Promise<void> {
  await env.db.transaction().execute((trx) =>
    storeAlerts(
      trx,
      'alerts-test',
      Array.from({ length: n }, (_, i) => draft(i)),
      [],
      null,
      batchMinutes,
      now,
    ),
  );
}

async function statuses(): Promise<string[]> {
  return (await env.db.selectFrom('outbox').select('status').orderBy('id').execute()).map((r) => r.status);
}

describe('content and headers', () => {
  it('subject says what moved; bodies carry probabilities, stories, dashboard and unsubscribe links; stable Message-ID', async () => {
    const sub = await subscribe(env.db, 'reader@example.org');
    await addSnapshot(env.db, '2026-11-20T08:00:00.000Z', { deal: 0.18, frozen: 0.3, collapse: 0.52 });
    const art = await addSignal(env.db, {
      indicator: 'principal_meeting',
      at: '2026-11-20T09:00:00.000Z',
      modality: 'scheduled',
      title: 'Leaders to meet & talk',
      url: 'https://news.example/meet?a=1&b=2',
    });
    await env.db
      .transaction()
      .execute(async (trx) =>
        recordAlerts(
          trx,
          await addSnapshot(trx, T0.toISOString(), { deal: 0.31, frozen: 0.3, collapse: 0.39 }, { articles: [art] }),
          env.pack,
          T0,
        ),
      );
    expect((await drainOutbox(opts(), at(1))).sent).toBe(0); // still inside the batch window
    expect(await drainOutbox(opts(), at(6))).toEqual({ sent: 1, retrying: 0, failed: 0, stoppedBy: null });
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.to).toEqual(['reader@example.org']);
    expect(m.subject).toBe('Principal meeting scheduled — Deal by Thanksgiving: 18% → 31% (+2 more)');
    expect(m.messageId).toMatch(/^<bw-\d+\.\d+\.[0-9a-f]{12}@bw\.example>$/);
    expect(m.messageId).toBe(
      (await env.db.selectFrom('outbox').select('message_id').executeTakeFirstOrThrow()).message_id,
    );
    expect(m.headers.get('list-unsubscribe')).toEqual([`<https://bw.example/unsubscribe/${sub.token}>`]);
    expect(m.headers.get('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(m.text).toContain('Deal by Thanksgiving: 31% (was 18%)');
    expect(m.text).toContain('https://news.example/meet?a=1&b=2');
    expect(m.text).toContain('Dashboard: https://bw.example/');
    expect(m.html).toContain('<a href="https://news.example/meet?a=1&amp;b=2">Leaders to meet &amp; talk</a>');
    expect(m.html).toContain(`https://bw.example/unsubscribe/${sub.token}`);
    expect(await statuses()).toEqual(['sent', 'sent', 'sent']);
  });

  it('feed text with <script> and a CR/LF Bcc injection comes out inert, with no extra header or recipient', async () => {
    await subscribe(env.db, 'ops@example.org', { admin: true });
    await addFailingFeed(env.db, {
      url: 'https://evil.example/rss',
      name: 'Evil <script>alert(1)</script>\r\nBcc: victim@evil.example\r\nX-Injected: 1',
      since: '2026-11-18T00:00:00.000Z',
      error: '<img src=x onerror=alert(1)>',
    });
    await checkFeedHealthAlerts(env.db, env.pack, T0);
    expect((await drainOutbox(opts(), at(10))).sent).toBe(1);
    const m = smtp.received[0]!;
    expect(m.to).toEqual(['ops@example.org']);
    expect(m.headers.has('bcc')).toBe(false);
    expect(m.headers.has('x-injected')).toBe(false);
    expect(m.subject).toBe(
      'Feed failing for 58 h: Evil <script>alert(1)</script> Bcc: victim@evil.example X-Injected: 1',
    );
    expect(m.html).not.toMatch(/<script|<img/i);
    expect(m.html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('batching and limits', () => {
  it('alerts for one subscriber within batch_minutes go out as one email; a later one separately', async () => {
    await subscribe(env.db, 'reader@example.org');
    await queue(1, at(0));
    await queue(2, at(3));
    await queue(1, at(12));
    expect((await drainOutbox(opts(), at(30))).sent).toBe(2);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Alert number 0 (+2 more)', 'Alert number 0']);
    expect(smtp.received[0]!.text).toContain('Alert number 1');
  });

  it('emails queued longer than maxAgeHours (e.g. while email was off) are dropped, not sent late', async () => {
    await subscribe(env.db, 'reader@example.org');
    await queue(1, at(0));
    await queue(1, at(60 * 70));
    expect((await drainOutbox(opts(smtp.url, { maxAgeHours: 48 }), at(60 * 72))).sent).toBe(1);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Alert number 0']);
    const rows = await env.db.selectFrom('outbox').select(['status', 'last_error']).orderBy('id').execute();
    expect(rows).toEqual([
      { status: 'failed', last_error: 'expired: not sent within 48 h' },
      { status: 'sent', last_error: null },
    ]);
  });

  it('200 alerts in one run: SMTP receives at most maxPerRun emails; the rest stay queued and go next run, none twice', async () => {
    for (let i = 0; i < 10; i += 1) await subscribe(env.db, `r${i}@example.org`);
    await queue(20, at(0), 0);
    expect(
      await env.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 200 });
    const o = opts(smtp.url, { maxPerRun: 4, maxAlertsPerEmail: 10 });
    expect((await drainOutbox(o, at(1))).sent).toBe(4);
    expect(smtp.received).toHaveLength(4);
    expect((await statuses()).filter((s) => s === 'pending')).toHaveLength(160);
    for (let run = 0; run < 10; run += 1) await drainOutbox(o, at(2 + run));
    expect(smtp.received).toHaveLength(20);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(20);
    expect(new Set(smtp.received.map((m) => `${m.to[0]}|${m.subject}`)).size).toBe(20);
    expect((await statuses()).every((s) => s === 'sent')).toBe(true);
  });
});

describe('batched claims', () => {
  it('a batch is sent over pooled connections at once (at most `concurrency` in flight), each email once', async () => {
    for (let i = 0; i < 12; i += 1) await subscribe(env.db, `r${i}@example.org`);
    await queue(1, at(0));
    // Each reply is held 50 ms; count the DATA commands held at once.
    let inFlight = 0;
    let most = 0;
    smtp.onData = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 50));
      inFlight -= 1;
    };
    const r = await drainOutbox(opts(smtp.url, { maxPerRun: 100, concurrency: 4 }), at(5));
    expect(r).toEqual({ sent: 12, retrying: 0, failed: 0, stoppedBy: null });
    expect(most).toBeGreaterThan(1); // one email at a time before batching
    expect(most).toBeLessThanOrEqual(4);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(12);
    expect(await statuses()).toEqual(Array(12).fill('sent'));
  });

  it('a server going away mid-batch: the claims not yet tried are given back unchanged, and go next run', async () => {
    for (let i = 0; i < 8; i += 1) await subscribe(env.db, `r${i}@example.org`);
    await queue(1, at(0));
    // The run's first email goes alone and is accepted; the next is answered 421 (closing the channel).
    smtp.script = ['accept', 421];
    const r = await drainOutbox(opts(smtp.url, { maxPerRun: 100, concurrency: 1 }), at(5));
    expect(r).toEqual({ sent: 1, retrying: 1, failed: 0, stoppedBy: 'unreachable' });
    const rows = await env.db
      .selectFrom('outbox')
      .select(['status', 'attempts', 'next_attempt_at', 'claimed_by', 'last_error'])
      .orderBy('id')
      .execute();
    expect(rows.filter((x) => x.status === 'sent')).toHaveLength(1);
    expect(rows.filter((x) => x.status === 'pending' && x.attempts === 1 && x.last_error !== null)).toHaveLength(1);
    // Six claimed in the same batch and never tried: pending, no attempt counted, due at once, unclaimed.
    const untried = rows.filter((x) => x.attempts === 0);
    expect(untried).toHaveLength(6);
    for (const x of untried)
      expect(x).toMatchObject({ status: 'pending', next_attempt_at: at(5).toISOString(), claimed_by: null });
    expect((await drainOutbox(opts(smtp.url, { maxPerRun: 100 }), at(5.5))).sent).toBe(6);
    expect((await drainOutbox(opts(smtp.url, { maxPerRun: 100 }), at(10))).sent).toBe(1);
    expect(smtp.received).toHaveLength(8);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(8);
    expect(await statuses()).toEqual(Array(8).fill('sent'));
  });
});

describe('daily digest', () => {
  it('a digest subscriber gets one email with every alert of the day; immediate subscribers get theirs as usual', async () => {
    await subscribe(env.db, 'daily@example.org', { digest: 'daily' });
    await subscribe(env.db, 'now@example.org');
    await queue(3, at(0));
    await queue(1, at(120));
    await enqueueDigests(env.db, at(60 * 22), { baseUrl: 'https://bw.example' });
    expect((await drainOutbox(opts(), at(60 * 22))).sent).toBe(3);
    const digest = smtp.received.filter((m) => m.to[0] === 'daily@example.org');
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toBe('Alerts test pack: daily digest — 4 alerts');
    expect(digest[0]!.messageId).toMatch(/^<bw-digest-\d+-2026-11-21\.[0-9a-f]{12}@bw\.example>$/);
    expect(digest[0]!.text.match(/^\* Signal changed: Alert number/gm)).toHaveLength(4);
    expect(smtp.received.filter((m) => m.to[0] === 'now@example.org')).toHaveLength(2);
  });
});

describe('SMTP faults', () => {
  it('451 then accepting: retried after the backoff with the same Message-ID, delivered once', async () => {
    await subscribe(env.db, 'reader@example.org');
    await queue(1, at(0));
    smtp.script = [451];
    expect(await drainOutbox(opts(), at(5))).toEqual({ sent: 0, retrying: 1, failed: 0, stoppedBy: null });
    const row = await env.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: at(6).toISOString() });
    expect(row.last_error).toMatch(/greylisted/);
    expect((await drainOutbox(opts(), at(5.5))).sent).toBe(0); // not before the backoff
    expect((await drainOutbox(opts(), at(6))).sent).toBe(1);
    expect((await drainOutbox(opts(), at(60))).sent).toBe(0);
    expect(smtp.dataCount).toBe(2);
    expect(smtp.received.map((m) => m.messageId)).toEqual([row.message_id]);
  });

  it('550: permanently failed with the server message, never retried', async () => {
    await subscribe(env.db, 'reader@example.org');
    await queue(1, at(0));
    smtp.script = [550];
    expect(await drainOutbox(opts(), at(5))).toEqual({ sent: 0, retrying: 0, failed: 1, stoppedBy: null });
    const row = await env.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/550.*mailbox unavailable/);
    await drainOutbox(opts(), at(600));
    expect(smtp.dataCount).toBe(1);
  });

  it('SMTP down while alerts fire, then up: every email delivered, none twice', async () => {
    const port = smtp.port;
    await smtp.close();
    for (let i = 0; i < 3; i += 1) await subscribe(env.db, `r${i}@example.org`);
    await queue(2, at(0));
    const down = await drainOutbox(opts(`smtp://127.0.0.1:${port}`), at(5));
    expect(down).toMatchObject({ sent: 0, stoppedBy: 'unreachable' });
    smtp = await startSmtp({ port });
    expect((await drainOutbox(opts(`smtp://127.0.0.1:${port}`), at(5.5))).sent).toBe(2); // the failed one waits its backoff
    expect((await drainOutbox(opts(`smtp://127.0.0.1:${port}`), at(7))).sent).toBe(1);
    expect((await drainOutbox(opts(`smtp://127.0.0.1:${port}`), at(60))).sent).toBe(0);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['r0@example.org', 'r1@example.org', 'r2@example.org']);
    expect(await statuses()).toEqual(Array(6).fill('sent'));
  });

  it('EAUTH: one attempt, the run stops, and the next try waits at least 30 minutes', async () => {
    const authSmtp = await startSmtp({ rejectAuth: true });
    try {
      for (let i = 0; i < 3; i += 1) await subscribe(env.db, `r${i}@example.org`);
      await queue(1, at(0));
      const r = await drainOutbox(opts(`smtp://user:wrong@127.0.0.1:${authSmtp.port}`), at(5));
      expect(r).toMatchObject({ sent: 0, retrying: 1, stoppedBy: 'auth' });
      expect(authSmtp.authCount).toBe(1);
      const rows = await env.db.selectFrom('outbox').selectAll().where('attempts', '>', 0).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.next_attempt_at >= at(35).toISOString()).toBe(true);
      expect((await drainOutbox(opts(`smtp://user:wrong@127.0.0.1:${authSmtp.port}`), at(6))).retrying).toBe(1); // another row, still one try per run
      expect(authSmtp.authCount).toBe(2);
    } finally {
      await authSmtp.close();
    }
  });

  it('421 on connect stops the run after one connection; the emails wait their turn (issue 18, 10)', async () => {
    // RFC 5321 §3.8: 421 means the server is closing the channel; every next message would get it too.
    let connections = 0;
    const busy = createServer((socket) => {
      connections += 1;
      socket.end('421 4.3.2 too busy, try again later\r\n');
    });
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      for (let i = 0; i < 3; i += 1) await subscribe(env.db, `r${i}@example.org`);
      await queue(1, at(0));
      const port = (busy.address() as { port: number }).port;
      expect(await drainOutbox(opts(`smtp://127.0.0.1:${port}`), at(5))).toEqual({
        sent: 0,
        retrying: 1,
        failed: 0,
        stoppedBy: 'unreachable',
      });
      expect(connections).toBe(1);
      const tried = await env.db.selectFrom('outbox').selectAll().where('attempts', '>', 0).execute();
      expect(tried.map((r) => [r.status, r.last_error])).toEqual([
        ['pending', expect.stringMatching(/421 4\.3\.2 too busy/)],
      ]);
      expect(await statuses()).toEqual(['pending', 'pending', 'pending']);
    } finally {
      busy.close();
    }
  });

  it('a server that never greets: the attempt times out (configured), the row stays pending', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      await subscribe(env.db, 'reader@example.org');
      await queue(1, at(0));
      const port = (silent.address() as { port: number }).port;
      const started = Date.now();
      expect(await drainOutbox(opts(`smtp://127.0.0.1:${port}`), at(5))).toMatchObject({
        retrying: 1,
        stoppedBy: 'unreachable',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await statuses()).toEqual(['pending']);
    } finally {
      silent.close();
    }
  });
});
