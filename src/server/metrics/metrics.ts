// /metrics in Prometheus text format: feeds, errors, articles, tags, snapshot age, request latency.
import type { Hono, MiddlewareHandler } from 'hono';
import type { ServerContext } from '../deps.ts';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface LatencyHistogram {
  observe(route: string, seconds: number): void;
  render(): string;
}

export function createHistogram(): LatencyHistogram {
  const series = new Map<string, { counts: number[]; sum: number; count: number }>();
  return {
    observe(route, seconds) {
      const s = series.get(route) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      BUCKETS.forEach((b, i) => {
        if (seconds <= b) s.counts[i]! += 1;
      });
      s.sum += seconds;
      s.count += 1;
      series.set(route, s);
    },
    render() {
      const lines = [
        '# HELP bellwether_http_request_duration_seconds HTTP request latency by route.',
        '# TYPE bellwether_http_request_duration_seconds histogram',
      ];
      for (const [route, s] of series) {
        const r = route.replace(/["\\\n]/g, '_');
        BUCKETS.forEach((b, i) =>
          lines.push(`bellwether_http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${s.counts[i]}`),
        );
        lines.push(`bellwether_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${s.count}`);
        lines.push(`bellwether_http_request_duration_seconds_sum{route="${r}"} ${s.sum}`);
        lines.push(`bellwether_http_request_duration_seconds_count{route="${r}"} ${s.count}`);
      }
      return lines.join('\n');
    },
  };
}

/** Times every request under its route pattern (not the raw path, to bound the label set). */
export function timing(h: LatencyHistogram): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    h.observe(c.req.routePath || 'unmatched', (performance.now() - start) / 1000);
  };
}

const gauge = (name: string, help: string, value: number, type = 'gauge') =>
  `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}`;

export function registerMetrics(app: Hono, ctx: ServerContext, h: LatencyHistogram): void {
  const db = ctx.deps.db;
  const packId = ctx.deps.pack.pack.id;
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
    const age = last?.at ? (ctx.now().getTime() - Date.parse(String(last.at))) / 1000 : -1;
    const mem = process.memoryUsage();
    const text = [
      gauge('bellwether_feeds', 'Active feeds.', Number(feeds?.total ?? 0)),
      gauge('bellwether_feeds_polled', 'Active feeds polled at least once.', Number(feeds?.polled ?? 0)),
      gauge('bellwether_feeds_failing', 'Active feeds whose last poll failed.', Number(feeds?.failing ?? 0)),
      gauge('bellwether_feed_errors', 'Consecutive failures summed over active feeds.', Number(feeds?.errors ?? 0)),
      gauge('bellwether_articles', 'Articles stored.', Number(articles?.n ?? 0)),
      gauge('bellwether_tags', 'Tags for the loaded pack.', Number(tags?.n ?? 0)),
      gauge('bellwether_snapshot_age_seconds', 'Seconds since the newest snapshot (-1 when none).', Math.round(age)),
      gauge('process_resident_memory_bytes', 'Resident set size of the server process.', mem.rss),
      gauge('nodejs_heap_used_bytes', 'V8 heap in use.', mem.heapUsed),
      gauge('nodejs_heap_total_bytes', 'V8 heap reserved.', mem.heapTotal),
      gauge('nodejs_external_memory_bytes', 'Memory held outside the V8 heap (buffers, native modules).', mem.external),
      h.render(),
    ].join('\n');
    c.header('Cache-Control', 'no-store');
    return c.text(`${text}\n`, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
