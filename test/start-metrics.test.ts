// /metrics after real work: `start` polls a good and a broken feed, tags and forecasts what it stored,
// and delivers a deadline alert by email (a real SMTP server) and by webhook (one receiver accepts, one
// answers 410); each counter and histogram then shows exactly that work.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { addSubscriber, addWebhookSubscriber } from '../src/alerts/subscribers.ts';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { startTracker, type Tracker } from '../src/main.ts';
import { startSmtp, type TestSmtp } from './helpers/alerts-smtp.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase } from './helpers/test-database.ts';

let feeds: FeedServer | null = null;
let smtp: TestSmtp | null = null;
let hooks: Server | null = null;
let tracker: Tracker | null = null;
afterAll(async () => {
  await tracker?.stop();
  await feeds?.close();
  await smtp?.close();
  hooks?.close();
});

/** The value of one series in Prometheus text, e.g. `bellwether_feed_fetches_total{outcome="ok"}`. */
function value(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

async function scrapeUntil(done: (text: string) => boolean, ms: number): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const text = await (await fetch(`${tracker!.url}/metrics`)).text();
    if (done(text) || Date.now() > end) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('/metrics counts what the tracker did', () => {
  it('fetches by outcome, items, tags, forecast time, outbox depth and deliveries by channel and outcome', async () => {
    feeds = await startFeedServer();
    const recent = new Date(Date.now() - 3_600_000).toUTCString();
    feeds.route('/good.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${[
        'Trump and Putin to meet at a summit in Budapest next week',
        'Kyiv and Moscow agree a ceasefire along the front line',
        'Grain prices steady in Chicago',
      ]
        .map((t, i) => `<item><title>${t}</title><guid>g-${i}</guid><pubDate>${recent}</pubDate></item>`)
        .join('')}</channel></rss>`,
    });
    feeds.route('/broken.xml', { status: 500, body: 'down' });
    smtp = await startSmtp();
    hooks = createServer((req, res) => {
      req.resume();
      res.statusCode = req.url === '/gone' ? 410 : 200;
      res.end();
    });
    await new Promise<void>((r) => hooks!.listen(0, '127.0.0.1', r));
    const hookUrl = (p: string) => `http://127.0.0.1:${(hooks!.address() as AddressInfo).port}${p}`;

    const dir = tempDir();
    // The deal deadline passed yesterday: the first alerts run records a deadline alert for every subscriber;
    // alerts go out at once (no batching window).
    const pack = writeMinimalPack(dir, {
      deadlineDays: -1,
      feedsYaml: `feeds:\n  - { url: "${feeds.url('/good.xml')}", name: Wire, tier: 1, language: en }\n  - { url: "${feeds.url('/broken.xml')}", name: Broken, tier: 2, language: en }\nalerts:\n  batch_minutes: 0`,
    });
    const made = await createTestDatabase(dir, 'bw.db');
    const handle = openDatabase(made.target);
    await migrateOrThrow(handle.db);
    const now = new Date();
    await addSubscriber(handle.db, { email: 'ops@example.org', admin: true }, now);
    await addWebhookSubscriber(handle.db, { url: hookUrl('/ok'), format: 'webhook', admin: true }, now);
    await addWebhookSubscriber(handle.db, { url: hookUrl('/gone'), format: 'webhook', admin: true }, now);
    await handle.close();

    tracker = await startTracker({
      handleSignals: false,
      env: {
        DATABASE_URL: made.url,
        PACK: pack,
        PORT: '0',
        HOST: '127.0.0.1',
        ALLOW_PRIVATE_FEEDS: '1',
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'silent',
      },
    });
    // Until the alerts are out (both webhooks tried: the outbox sends in no set order) and the polled stories
    // are tagged (the outbox job runs every 15 s, and the alert may land just after its first run).
    const text = await scrapeUntil(
      (t) =>
        value(t, 'bellwether_alert_deliveries_total{channel="email",outcome="sent"}') === 1 &&
        value(t, 'bellwether_alert_deliveries_total{channel="webhook",outcome="sent"}') === 1 &&
        (value(t, 'bellwether_alert_deliveries_total{channel="webhook",outcome="failed"}') ?? 0) >= 1 &&
        value(t, 'bellwether_tags_written_total') === 2,
      45_000,
    );
    expect(value(text, 'bellwether_feed_fetches_total{outcome="ok"}')).toBe(1);
    expect(value(text, 'bellwether_feed_fetches_total{outcome="error"}')).toBe(1);
    expect(value(text, 'bellwether_feed_fetches_total{outcome="not_modified"}')).toBe(0);
    expect(value(text, 'bellwether_feed_items_total{kind="new"}')).toBe(3);
    // Two of the three stories match the pack's rules (a summit, a ceasefire).
    expect(value(text, 'bellwether_articles_tagged_total')).toBe(3);
    expect(value(text, 'bellwether_tags_written_total')).toBe(2);
    expect(value(text, 'bellwether_forecast_duration_seconds_count')).toBeGreaterThan(0);
    expect(value(text, 'bellwether_forecast_duration_seconds_sum')).toBeGreaterThan(0);
    // The first deliveries; the stories just tagged moved the forecast, so more alerts may be queued or
    // going out while this scrape is taken: those counters can only have grown.
    const at = (series: string) => value(text, series) ?? Number.NaN;
    expect(at('bellwether_alert_deliveries_total{channel="email",outcome="sent"}')).toBeGreaterThanOrEqual(1);
    expect(at('bellwether_alert_deliveries_total{channel="webhook",outcome="sent"}')).toBeGreaterThanOrEqual(1);
    // 410 is permanent: the second webhook failed for good, never retried.
    expect(at('bellwether_alert_deliveries_total{channel="webhook",outcome="failed"}')).toBeGreaterThanOrEqual(1);
    expect(at('bellwether_alert_deliveries_total{channel="webhook",outcome="retrying"}')).toBe(0);
    expect(at('bellwether_outbox_messages{status="sent"}')).toBeGreaterThanOrEqual(2);
    expect(at('bellwether_outbox_messages{status="failed"}')).toBeGreaterThanOrEqual(1);
    expect(at('bellwether_outbox_messages{status="pending"}')).toBeGreaterThanOrEqual(0); // the queue depth
    expect(smtp.received.length).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
