// /metrics in Prometheus text format through prom-client: Node's process metrics (one set per process),
// and per app the domain gauges read from the database at scrape time plus request latency by route, and the
// domain counters `start` feeds (./domain.ts).
import type { Hono, MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxStatus } from '../../db/schema.ts';
import type { ServerContext } from '../deps.ts';

const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Process and Node metrics (memory, CPU, event-loop lag, GC): collected once per process, however many apps. */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface AppMetrics {
  registry: Registry;
  requestDuration: Histogram<'route'>;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  const requestDuration = new Histogram({
    name: 'bellwether_http_request_duration_seconds',
    help: 'HTTP request latency by route.',
    labelNames: ['route'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  return { registry, requestDuration };
}

/** Times every request under its route pattern (not the raw path, to bound the label set). */
export function timing(m: AppMetrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    m.requestDuration.observe({ route: c.req.routePath || 'unmatched' }, (performance.now() - start) / 1000);
  };
}

/** The domain gauges, each set from the database when /metrics is scraped. */
function domainGauges(registry: Registry) {
  const g = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    feeds: g('bellwether_feeds', 'Active feeds.'),
    polled: g('bellwether_feeds_polled', 'Active feeds polled at least once.'),
    failing: g('bellwether_feeds_failing', 'Active feeds whose last poll failed.'),
    errors: g('bellwether_feed_errors', 'Consecutive failures summed over active feeds.'),
    articles: g('bellwether_articles', 'Articles stored.'),
    tags: g('bellwether_tags', 'Tags for the loaded pack.'),
    snapshotAge: g('bellwether_snapshot_age_seconds', 'Seconds since the newest snapshot (-1 when none).'),
    outbox: g('bellwether_outbox_messages', 'Alert emails in the outbox by status (pending = the queue depth).', [
      'status',
    ]),
  };
}

export function registerMetrics(app: Hono, ctx: ServerContext, m: AppMetrics): void {
  const db = ctx.deps.db;
  const packId = ctx.deps.pack.pack.id;
  const gauges = domainGauges(m.registry);
  app.get('/metrics', async (c) => {
    const feeds = await db
      .selectFrom('feeds')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when('last_checked_at', 'is not', null).then(1).else(0).end()).as('polled'),
        eb.fn.sum<number>(eb.case().when('consecutive_failures', '>', 0).then(1).else(0).end()).as('failing'),
        eb.fn.sum<number>('consecutive_failures').as('errors'),
      ])
      .where('status', '=', 'active')
      .executeTakeFirst();
    const articles = await db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const tags = await db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pack_id', '=', packId)
      .executeTakeFirst();
    const last = await db
      .selectFrom('snapshots')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('pack_id', '=', packId)
      .executeTakeFirst();
    const outbox = await db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    gauges.feeds.set(Number(feeds?.total ?? 0));
    gauges.polled.set(Number(feeds?.polled ?? 0));
    gauges.failing.set(Number(feeds?.failing ?? 0));
    gauges.errors.set(Number(feeds?.errors ?? 0));
    gauges.articles.set(Number(articles?.n ?? 0));
    gauges.tags.set(Number(tags?.n ?? 0));
    gauges.snapshotAge.set(last?.at ? Math.round((ctx.now().getTime() - Date.parse(String(last.at))) / 1000) : -1);
    for (const status of OUTBOX_STATUSES)
      gauges.outbox.set({ status }, Number(outbox.find((r) => r.status === status)?.n ?? 0));
    const domain = ctx.deps.domainMetrics ? `\n${await ctx.deps.domainMetrics.registry.metrics()}` : '';
    const text = `${await processMetrics().metrics()}\n${await m.registry.metrics()}${domain}`;
    c.header('Cache-Control', 'no-store');
    return c.text(text, 200, { 'Content-Type': m.registry.contentType });
  });
}
