// The ordered list of migrations. A static provider (rather than a folder scan) works the same
// under tsx, vitest and any bundler. Add each new dated migration here.
import type { Migration } from 'kysely';
import * as m_2026_11_21T0000_initial from './2026-11-21T0000-initial.ts';
import * as m_2026_11_21T0100_ingest from './2026-11-21T0100-ingest.ts';
import * as m_2026_11_21T0300_engine from './2026-11-21T0300-engine.ts';
import * as m_2026_11_21T0400_alerts from './2026-11-21T0400-alerts.ts';
import * as m_2026_11_21T0500_server from './2026-11-21T0500-server.ts';
import * as m_2026_12_02T0000_resolved_by from './2026-12-02T0000-resolved-by.ts';
import * as m_2026_12_02T0100_market from './2026-12-02T0100-market.ts';
import * as m_2026_12_02T0100_outbox_claimed_by from './2026-12-02T0100-outbox-claimed-by.ts';
import * as m_2026_12_02T0100_webhooks from './2026-12-02T0100-webhooks.ts';
import * as m_2026_12_02T0200_tag_features from './2026-12-02T0200-tag-features.ts';
import * as m_2026_12_02T1100_multi from './2026-12-02T1100-multi.ts';
import * as m_2026_12_02T1300_cluster_last_seen from './2026-12-02T1300-cluster-last-seen.ts';
import * as m_2026_12_03T0100_feed_schedule from './2026-12-03T0100-feed-schedule.ts';

// In name order: Kysely applies them sorted by name.
export const migrations: Record<string, Migration> = {
  '2026-11-21T0000-initial': m_2026_11_21T0000_initial,
  '2026-11-21T0100-ingest': m_2026_11_21T0100_ingest,
  '2026-11-21T0300-engine': m_2026_11_21T0300_engine,
  '2026-11-21T0400-alerts': m_2026_11_21T0400_alerts,
  '2026-11-21T0500-server': m_2026_11_21T0500_server,
  '2026-12-02T0000-resolved-by': m_2026_12_02T0000_resolved_by,
  '2026-12-02T0100-market': m_2026_12_02T0100_market,
  '2026-12-02T0100-outbox-claimed-by': m_2026_12_02T0100_outbox_claimed_by,
  '2026-12-02T0100-webhooks': m_2026_12_02T0100_webhooks,
  '2026-12-02T0200-tag-features': m_2026_12_02T0200_tag_features,
  '2026-12-02T1100-multi': m_2026_12_02T1100_multi,
  '2026-12-02T1300-cluster-last-seen': m_2026_12_02T1300_cluster_last_seen,
  '2026-12-03T0100-feed-schedule': m_2026_12_03T0100_feed_schedule,
};
