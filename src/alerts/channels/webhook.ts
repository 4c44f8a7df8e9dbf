// The webhook channels: a signed generic JSON webhook, Slack incoming webhooks and Discord webhooks.
// Payloads are pure functions of the alerts; delivery is one POST with a timeout, its failure sorted
// into retry (timeouts, refused connections, 408/429/5xx) or give up (other 4xx).
import { createHmac } from 'node:crypto';
import type { SubscriberChannel } from '../../db/schema.ts';
import { pct, subjectLine } from '../format.ts';
import type { RenderAlert } from '../render.ts';
import { ALERT_KIND_NAMES, type AlertKind } from '../types.ts';
import { DeliveryError } from './email.ts';

export type WebhookFormat = Exclude<SubscriberChannel, 'email'>;
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['webhook', 'slack', 'discord'];

export interface WebhookAlert extends RenderAlert {
  id: number;
  kind: AlertKind;
}

export interface WebhookContext {
  baseUrl: string;
  packTitle: string;
  /** The outbox delivery id: the same on every retry, so a receiver can drop duplicates. */
  deliveryId: string;
  unsubscribeUrl: string;
  digest: boolean;
}

const safeUrl = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);
/** Slack mrkdwn and Discord markdown: neutralise the characters that would turn text into links or markup. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const discordEscape = (s: string) => s.replace(/([\\*_~`|>[\]()@#])/g, '\\$1');

/** The generic payload: everything a program needs, versioned. */
export function genericPayload(alerts: WebhookAlert[], ctx: WebhookContext) {
  return {
    version: 1,
    delivery_id: ctx.deliveryId,
    pack: ctx.packTitle,
    digest: ctx.digest,
    dashboard_url: `${ctx.baseUrl}/`,
    unsubscribe_url: ctx.unsubscribeUrl,
    alerts: alerts.map((a) => ({
      id: a.id,
      url: `${ctx.baseUrl}/alerts/${a.id}`,
      kind: a.kind,
      kind_name: ALERT_KIND_NAMES[a.kind],
      title: a.title,
      body: a.body,
      created_at: a.createdAt,
      question: a.data.questionId ?? null,
      scenario: a.data.scenarioId ?? null,
      probabilities: a.data.probabilities,
      previous: a.data.previous,
      stories: a.data.stories.map((s) => ({ title: s.title, url: safeUrl(s.url), published_at: s.publishedAt })),
    })),
  };
}

function lines(
  alerts: WebhookAlert[],
  ctx: WebhookContext,
  esc: (s: string) => string,
  link: (t: string, u: string) => string,
) {
  const out: string[] = [];
  for (const a of alerts.slice(0, 10)) {
    out.push(`${link(esc(subjectLine(a.title, 200)), `${ctx.baseUrl}/alerts/${a.id}`)} (${ALERT_KIND_NAMES[a.kind]})`);
    for (const s of a.data.stories.slice(0, 3)) {
      const u = safeUrl(s.url);
      out.push(`• ${u ? link(esc(subjectLine(s.title, 200)), u) : esc(subjectLine(s.title, 200))}`);
    }
  }
  if (alerts.length > 10) out.push(`…and ${alerts.length - 10} more on the dashboard`);
  const latest = [...alerts].reverse().find((a) => Object.keys(a.data.probabilities).length > 0)?.data;
  if (latest)
    out.push(
      Object.entries(latest.probabilities)
        .map(([id, p]) => `${esc(latest.scenarioNames[id] ?? id)} ${pct(p)}`)
        .join(' · '),
    );
  return out;
}

/** Slack incoming webhook: `text` (mrkdwn) with links as <url|text>. */
export function slackPayload(alerts: WebhookAlert[], ctx: WebhookContext) {
  const head = `*${slackEscape(ctx.packTitle)}*${ctx.digest ? ' — daily digest' : ''}`;
  const body = lines(alerts, ctx, slackEscape, (t, u) => `<${u}|${t}>`);
  return { text: [head, ...body].join('\n'), unfurl_links: false };
}

/** Discord webhook: `content` (markdown, ≤ 2000 characters) with no pings. */
export function discordPayload(alerts: WebhookAlert[], ctx: WebhookContext) {
  const head = `**${discordEscape(ctx.packTitle)}**${ctx.digest ? ' — daily digest' : ''}`;
  const body = lines(alerts, ctx, discordEscape, (t, u) => `[${t}](<${u}>)`);
  let content = [head, ...body].join('\n');
  if (content.length > 2000) content = `${content.slice(0, 1990)}…`;
  return { content, allowed_mentions: { parse: [] as string[] } };
}

export function webhookBody(format: WebhookFormat, alerts: WebhookAlert[], ctx: WebhookContext): string {
  const payload =
    format === 'slack'
      ? slackPayload(alerts, ctx)
      : format === 'discord'
        ? discordPayload(alerts, ctx)
        : genericPayload(alerts, ctx);
  return JSON.stringify(payload);
}

/**
 * `X-Bellwether-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. A receiver
 * recomputes it over the raw body and rejects a mismatch, or a `t` more than a few minutes old (replay).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export interface WebhookRequest {
  url: string;
  format: WebhookFormat;
  body: string;
  deliveryId: string;
  secret: string | null;
  now: Date;
  timeoutMs: number;
}

/** POSTs one delivery; resolves on 2xx, throws a DeliveryError ('temporary' or 'permanent') otherwise. */
export async function deliverWebhook(r: WebhookRequest): Promise<void> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Bellwether-Webhook/1',
    'X-Bellwether-Delivery': r.deliveryId,
  };
  const t = Math.floor(r.now.getTime() / 1000);
  if (r.secret) {
    headers['X-Bellwether-Timestamp'] = String(t);
    headers['X-Bellwether-Signature'] = signWebhook(r.secret, t, r.body);
  }
  let res: Response;
  try {
    res = await fetch(r.url, {
      method: 'POST',
      headers,
      body: r.body,
      redirect: 'error',
      signal: AbortSignal.timeout(r.timeoutMs),
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${r.timeoutMs} ms` : (e.cause?.code ?? e.message);
    throw new DeliveryError('temporary', `webhook ${hostOf(r.url)}: ${why}`, null, { cause: error });
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.ok) return;
  const retry = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new DeliveryError(
    retry ? 'temporary' : 'permanent',
    `webhook ${hostOf(r.url)}: HTTP ${res.status}`,
    res.status,
  );
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
};
