// Alerts of an instance tracking several questions (PACKS): every alert carries its question id, a
// subscriber may be limited to questions, and the email (real SMTP) and webhook (real HTTP receiver)
// say which question each message is about.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../src/alerts/channels/email.ts';
import { drainOutbox } from '../src/alerts/outbox.ts';
import { storeAlerts } from '../src/alerts/record.ts';
import { addSubscriber, addWebhookSubscriber } from '../src/alerts/subscribers.ts';
import type { AlertDraft } from '../src/alerts/types.ts';
import { type AlertsEnv, openAlertsEnv, subscribe } from './helpers/alerts-env.ts';
import { startSmtp, type TestSmtp } from './helpers/alerts-smtp.ts';

let env: AlertsEnv;
let smtp: TestSmtp | null = null;
let server: Server | null = null;
beforeEach(async () => {
  env = await openAlertsEnv();
});
afterEach(async () => {
  await smtp?.close();
  smtp = null;
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
  await env.close();
});

const T0 = new Date('2026-11-20T10:00:00.000Z');
const draft = (title: string): AlertDraft => ({
  kind: 'probability_move',
  ruleKey: `move:${title}`,
  title,
  body: 'A move.',
  data: {
    probabilities: { deal: 0.3, collapse: 0.7 },
    previous: null,
    scenarioNames: { deal: 'Deal', collapse: 'Collapse' },
    scenarioId: 'collapse',
    points: 12,
    shifted: [],
    stories: [],
  },
});

const store = (question: string, title: string) =>
  env.db.transaction().execute((trx) => storeAlerts(trx, question, [draft(title)], [], null, 0, T0));

describe('alerts of several questions', () => {
  it('store the question id and reach only the subscribers of that question', async () => {
    const all = await subscribe(env.db, 'all@example.org');
    const gaza = await subscribe(env.db, 'gaza@example.org', { rules: '{"questions":["gaza"]}' });
    await store('ukraine', 'Ukraine moved');
    await store('gaza', 'Gaza moved');
    const alerts = await env.db.selectFrom('alerts').select(['id', 'pack_id', 'data']).orderBy('id').execute();
    expect(alerts.map((a) => [a.pack_id, (JSON.parse(a.data) as { questionId: string }).questionId])).toEqual([
      ['ukraine', 'ukraine'],
      ['gaza', 'gaza'],
    ]);
    const rows = await env.db.selectFrom('outbox').select(['subscriber_id', 'alert_id']).orderBy('id').execute();
    expect(rows).toEqual([
      { subscriber_id: all.id, alert_id: alerts[0]!.id },
      { subscriber_id: all.id, alert_id: alerts[1]!.id },
      { subscriber_id: gaza.id, alert_id: alerts[1]!.id },
    ]);
  });

  it('emails and webhooks say which question each alert is about', async () => {
    smtp = await startSmtp();
    const hits: string[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hits.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await subscribe(env.db, 'gaza@example.org', { rules: '{"questions":["gaza"]}' });
    await addWebhookSubscriber(env.db, { url, format: 'webhook' }, T0);
    await store('gaza', 'Gaza moved');
    const result = await drainOutbox(
      {
        db: env.db,
        channel: createEmailChannel(smtp.url, { from: 'Bellwether <alerts@bw.example>', timeoutMs: 1500 }),
        baseUrl: 'https://bw.example',
        packTitle: 'Ukraine peace push',
        questionTitles: { ukraine: 'Ukraine peace push', gaza: 'Gaza truce' },
        batchMinutes: 0,
      },
      new Date(T0.getTime() + 60_000),
    );
    expect(result).toMatchObject({ sent: 2, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.headers.get('x-bellwether-question')).toEqual(['gaza']);
    // The message is headed by its question's title, not the default question's.
    expect(mail.text).toContain('Gaza truce');
    expect(mail.text).not.toContain('Ukraine');
    expect(hits).toHaveLength(1);
    const payload = JSON.parse(hits[0]!) as { pack: string; alerts: { question: string; title: string }[] };
    expect(payload.pack).toBe('Gaza truce');
    expect(payload.alerts).toEqual([expect.objectContaining({ question: 'gaza', title: 'Gaza moved' })]);
  });

  it('refuses a question this instance does not track, naming the ones it does', async () => {
    await expect(
      addSubscriber(
        env.db,
        { email: 'typo@example.org', rules: '{"questions":["gazza"]}', questions: ['ukraine', 'gaza'] },
        T0,
      ),
    ).rejects.toThrow('--rules: questions: unknown question "gazza" (this instance tracks ukraine, gaza)');
    await expect(
      addWebhookSubscriber(
        env.db,
        { url: 'https://hooks.example/x', format: 'webhook', rules: '{"questions":["nope"]}', questions: ['gaza'] },
        T0,
      ),
    ).rejects.toThrow(/unknown question "nope"/);
    expect(await env.db.selectFrom('subscribers').select('id').execute()).toEqual([]);
  });

  it('refuses a questions rule that is not a list of ids', async () => {
    await expect(subscribe(env.db, 'x@example.org', { rules: '{"questions":"gaza"}' })).rejects.toThrow(
      /questions: .*array/i,
    );
  });
});
