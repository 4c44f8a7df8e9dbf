// The tracker's domain counters and histograms (prom-client): what `start` did since it started. The
// composition root (src/main.ts) reports each stage's results here; /metrics serves them beside the gauges.
import { Counter, Histogram, Registry } from 'prom-client';
import type { IngestSummary } from '../../ingest/index.ts';
import type { TagPendingResult } from '../../tagging/tag-pending.ts';

export type DeliveryOutcome = 'sent' | 'retrying' | 'failed';

export interface DomainMetrics {
  registry: Registry;
  /** One ingest run (scheduled or asked for by the admin API). */
  ingested(summary: IngestSummary): void;
  /** One forecast cycle (tagging, engine, snapshot) and how long it took. */
  forecast(seconds: number, tagging: TagPendingResult): void;
  /** One alert delivery attempt: `channel` is the subscriber's (email, webhook, slack, discord). */
  delivered(channel: string, outcome: DeliveryOutcome): void;
}

export function createDomainMetrics(): DomainMetrics {
  const registry = new Registry();
  const fetches = new Counter({
    name: 'bellwether_feed_fetches_total',
    help: 'Feed polls by outcome (ok, not_modified, error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const items = new Counter({
    name: 'bellwether_feed_items_total',
    help: 'Feed items stored by kind (new, updated).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const tagged = new Counter({
    name: 'bellwether_articles_tagged_total',
    help: 'Articles (re)tagged.',
    registers: [registry],
  });
  const tags = new Counter({ name: 'bellwether_tags_written_total', help: 'Tags written.', registers: [registry] });
  const cycle = new Histogram({
    name: 'bellwether_forecast_duration_seconds',
    help: 'One forecast cycle: tagging what is new, the engine, the snapshot and its alerts.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'bellwether_alert_deliveries_total',
    help: 'Alert deliveries by channel (email, webhook, slack, discord) and outcome (sent, retrying, failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  // Every series exists from the start (0), so a rate() or an absent() alert works before the first event.
  for (const outcome of ['ok', 'not_modified', 'error']) fetches.inc({ outcome }, 0);
  for (const kind of ['new', 'updated']) items.inc({ kind }, 0);
  for (const channel of ['email', 'webhook'])
    for (const outcome of ['sent', 'retrying', 'failed']) deliveries.inc({ channel, outcome }, 0);
  return {
    registry,
    ingested(summary) {
      for (const f of summary.feeds) {
        if (f.status === 'skipped') continue;
        fetches.inc({ outcome: f.status });
        if (f.new > 0) items.inc({ kind: 'new' }, f.new);
        if (f.updated > 0) items.inc({ kind: 'updated' }, f.updated);
      }
    },
    forecast(seconds, tagging) {
      cycle.observe(seconds);
      tagged.inc(tagging.articles);
      tags.inc(tagging.tags);
    },
    delivered(channel, outcome) {
      deliveries.inc({ channel, outcome });
    },
  };
}
