// Webhook channels through the outbox against real HTTP receivers on 127.0.0.1: a signed generic
// webhook, Slack and Discord payloads, failures and retries with the same delivery id, timeouts,
// slow receivers, permanent refusals, email off, and a crash between claim and send.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/alerts/channels/webhook.ts';
import { type DrainOptions, drainOutbox } from '../src/alerts/outbox.ts';
import { storeAlerts } from '../src/alerts/record.ts';
import { addWebhookSubscriber } from '../src/alerts/subscribers.ts';
import type { AlertDraft } from '../src/alerts/types.ts';
import { type AlertsEnv, openAlertsEnv, subscribe } from './helpers/alerts-env.ts';

interface Hit {
  headers: IncomingMessage['headers'];
  body: string;
}
type Reply = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let env: AlertsEnv;
const servers: Server[] = [];
beforeEach(async () => {
  env = await openAlertsEnv();
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await env.close();
});

/** A local receiver that records every request and answers with `reply`. */
async function receiver(reply: Reply = (_q, res) => res.writeHead(204).end()) {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      reply(req, res, hits.length);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits };
}

const T0 = new Date('2026-11-20T10:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

function draft(i: number, title = `Alert number ${i}`): AlertDraft {
  return {
    kind: 'probability_move',
    ruleKey: `move:x${i}`,
    title,
    body: 'Collapse rose 12 points.',
    data: {
      probabilities: { deal: 0.3, collapse: 0.7 },
      previous: null,
      scenarioNames: { deal: 'Deal', collapse: 'Collapse' },
      scenarioId: 'collapse',
      points: 12,
      shifted: [],
      stories: [
        {
          title: 'Kremlin rejects <b>truce</b> @everyone',
          url: 'https://news.example/1',
          publishedAt: T0.toISOString(),
        },
        { title: 'Bad link', url: 'javascript:alert(1)', publishedAt: T0.toISOString() },
      ],
    },
  };
}

async function queue(n: number, now = T0, title?: string): Promise<void> {
  await env.db.transaction().execute((trx) =>
    storeAlerts(
      trx,
      'alerts-test',
      Array.from({ length: n }, (_, i) => draft(i, title)),
      [],
      null,
      0,
      now,
    ),
  );
}

const opts = (over: Partial<DrainOptions> = {}): DrainOptions => ({
  db: env.db,
  baseUrl: 'https://bw.example',
  packTitle: 'Alerts test pack',
  batchMinutes: 0,
  webhookTimeoutMs: 2000,
  ...over,
});

const outbox = () => env.db.selectFrom('outbox').selectAll().orderBy('id').execute();

describe('webhook channels', () => {
  it('generic: one signed JSON POST per delivery, verifiable with the secret, with a delivery id', async () => {
    const r = await receiver();
    const { subscriber } = await addWebhookSubscriber(env.db, { url: r.url, format: 'webhook' }, T0);
    expect(subscriber.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await queue(2);
    expect(await drainOutbox(opts(), at(1))).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    expect(r.hits).toHaveLength(1);
    const { headers, body } = r.hits[0]!;
    const sig = String(headers['x-bellwether-signature']);
    const t = Number(headers['x-bellwether-timestamp']);
    expect(t).toBe(Math.floor(at(1).getTime() / 1000));
    // What a receiver does: recompute over the raw body with its copy of the secret.
    const mac = createHmac('sha256', subscriber.secret!).update(`${t}.${body}`).digest('hex');
    expect(sig).toBe(`t=${t},v1=${mac}`);
    expect(signWebhook('other-secret', t, body)).not.toBe(sig);
    const payload = JSON.parse(body) as {
      version: number;
      delivery_id: string;
      unsubscribe_url: string;
      alerts: { url: string; kind_name: string; stories: { url: string | null }[] }[];
    };
    expect(payload.version).toBe(1);
    expect(payload.delivery_id).toBe(headers['x-bellwether-delivery']);
    expect(payload.alerts).toHaveLength(2);
    expect(payload.alerts[0]!.url).toMatch(/^https:\/\/bw\.example\/alerts\/\d+$/);
    expect(payload.alerts[0]!.kind_name).toBe('Probability moved');
    expect(payload.alerts[0]!.stories.map((s) => s.url)).toEqual(['https://news.example/1', null]);
    expect(payload.unsubscribe_url).toContain(`/unsubscribe/${subscriber.token}`);
    expect((await outbox()).map((o) => o.status)).toEqual(['sent', 'sent']);
  });

  it('Slack and Discord: their payload shapes, with links and no markup or pings from feed text', async () => {
    const slack = await receiver();
    const discord = await receiver();
    await addWebhookSubscriber(env.db, { url: slack.url, format: 'slack' }, T0);
    await addWebhookSubscriber(env.db, { url: `${discord.url}?d=1`, format: 'discord' }, T0);
    await queue(1);
    expect(await drainOutbox(opts(), at(1))).toMatchObject({ sent: 2 });
    const s = JSON.parse(slack.hits[0]!.body) as { text: string };
    expect(s.text).toContain('*Alerts test pack*');
    expect(s.text).toMatch(/<https:\/\/bw\.example\/alerts\/\d+\|Alert number 0> \(Probability moved\)/);
    expect(s.text).toContain('<https://news.example/1|Kremlin rejects &lt;b&gt;truce&lt;/b&gt; @everyone>');
    expect(s.text).not.toContain('javascript:');
    expect(s.text).toContain('Deal 30% · Collapse 70%');
    expect(slack.hits[0]!.headers['x-bellwether-signature']).toBeUndefined();
    const d = JSON.parse(discord.hits[0]!.body) as { content: string; allowed_mentions: { parse: string[] } };
    expect(d.allowed_mentions.parse).toEqual([]);
    expect(d.content).toContain('[Kremlin rejects <b\\>truce</b\\> \\@everyone](<https://news.example/1>)');
    expect(d.content.length).toBeLessThanOrEqual(2000);
  });

  it('a failing receiver is retried with backoff and the same delivery id until it answers', async () => {
    const r = await receiver((_q, res, n) => res.writeHead(n < 3 ? 503 : 200).end());
    await addWebhookSubscriber(env.db, { url: r.url, format: 'webhook' }, T0);
    await queue(1);
    expect(await drainOutbox(opts(), at(1))).toMatchObject({ sent: 0, retrying: 1 });
    const after1 = (await outbox())[0]!;
    expect(after1).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('HTTP 503') });
    expect(Date.parse(after1.next_attempt_at)).toBe(at(1).getTime() + 60_000); // 1 min, then 2, 4, ...
    expect(await drainOutbox(opts(), at(1.5))).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    expect(await drainOutbox(opts(), at(2))).toMatchObject({ retrying: 1 });
    expect(await drainOutbox(opts(), at(5))).toMatchObject({ sent: 1 });
    expect(r.hits).toHaveLength(3);
    expect(new Set(r.hits.map((h) => h.headers['x-bellwether-delivery'])).size).toBe(1);
    // Each attempt is signed afresh with its own timestamp.
    expect(new Set(r.hits.map((h) => h.headers['x-bellwether-timestamp'])).size).toBe(3);
  });

  it('a receiver that does not answer in time is retried; a slow one within the timeout is delivered', async () => {
    const silent = await receiver(() => undefined); // reads the body, never answers
    const slow = await receiver((_q, res) => void setTimeout(() => res.writeHead(200).end(), 300));
    await addWebhookSubscriber(env.db, { url: silent.url, format: 'webhook' }, T0);
    await addWebhookSubscriber(env.db, { url: slow.url, format: 'slack' }, T0);
    await queue(1);
    const r = await drainOutbox(opts({ webhookTimeoutMs: 1000 }), at(1));
    expect(r).toMatchObject({ sent: 1, retrying: 1, stoppedBy: null });
    const rows = await outbox();
    expect(rows.find((o) => o.status === 'pending')!.last_error).toContain('no answer within 1000 ms');
    expect(slow.hits).toHaveLength(1);
  });

  it('refused for good (4xx) fails at once; a closed port is retried; other subscribers still get theirs', async () => {
    const gone = await receiver((_q, res) => res.writeHead(410).end());
    const ok = await receiver();
    const closed = await receiver();
    servers.pop()!.close();
    await addWebhookSubscriber(env.db, { url: gone.url, format: 'webhook' }, T0);
    await addWebhookSubscriber(env.db, { url: closed.url, format: 'discord' }, T0);
    await addWebhookSubscriber(env.db, { url: ok.url, format: 'webhook' }, T0);
    await queue(1);
    expect(await drainOutbox(opts(), at(1))).toMatchObject({ sent: 1, failed: 1, retrying: 1, stoppedBy: null });
    const rows = await outbox();
    expect(rows.map((o) => o.status)).toEqual(['failed', 'pending', 'sent']);
    expect(rows[0]!.last_error).toContain('HTTP 410');
    expect(rows[1]!.last_error).toContain('ECONNREFUSED');
  });

  it('with email off, webhook rows go out and email rows wait', async () => {
    const r = await receiver();
    await subscribe(env.db, 'reader@example.org');
    await addWebhookSubscriber(env.db, { url: r.url, format: 'webhook' }, T0);
    await queue(1);
    expect(await drainOutbox(opts({ channel: undefined }), at(1))).toMatchObject({ sent: 1, failed: 0 });
    const rows = await env.db
      .selectFrom('outbox')
      .innerJoin('subscribers', 'subscribers.id', 'outbox.subscriber_id')
      .select(['subscribers.channel', 'outbox.status'])
      .execute();
    expect(rows.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'email', status: 'pending' },
      { channel: 'webhook', status: 'sent' },
    ]);
  });

  it('a crash after the claim loses nothing: the lease expires and the same delivery id goes out', async () => {
    const r = await receiver();
    await addWebhookSubscriber(env.db, { url: r.url, format: 'webhook' }, T0);
    await queue(1);
    // What a crash between claim and send leaves: the row claimed ('sending') with a message id and a lease.
    await env.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        message_id: '<bw-1.1.abc@bw.example>',
        attempts: 1,
        next_attempt_at: at(11).toISOString(),
      })
      .execute();
    expect(await drainOutbox(opts(), at(5))).toMatchObject({ sent: 0 }); // lease still held
    expect(await drainOutbox(opts(), at(12))).toMatchObject({ sent: 1 });
    expect(r.hits.map((h) => h.headers['x-bellwether-delivery'])).toEqual(['bw-1.1.abc@bw.example']);
  });

  it('adding the same webhook again updates it and keeps its secret; bad URLs and formats are refused', async () => {
    const first = await addWebhookSubscriber(env.db, { url: 'https://hooks.example/a', format: 'webhook' }, T0);
    const again = await addWebhookSubscriber(
      env.db,
      { url: 'https://hooks.example/a', format: 'webhook', digest: 'daily' },
      T0,
    );
    expect(again.created).toBe(false);
    expect(again.subscriber.secret).toBe(first.subscriber.secret);
    expect(again.subscriber.digest).toBe('daily');
    expect(again.subscriber.email).toMatch(/^webhook-[0-9a-f]{16}@webhooks\.invalid$/);
    await expect(addWebhookSubscriber(env.db, { url: 'ftp://x.example/', format: 'slack' }, T0)).rejects.toThrow(
      'webhook URLs must be http or https',
    );
    await expect(
      addWebhookSubscriber(env.db, { url: 'https://x.example/', format: 'teams' as 'slack' }, T0),
    ).rejects.toThrow('unknown webhook format "teams"');
  });
});
