// Scheduler jobs for alerts: time-based checks + digests, and the outbox sender.
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { LoadedPack } from '../pack/load.ts';
import type { Job } from '../scheduler/jobs.ts';
import { createEmailChannel, type EmailChannel } from './channels/email.ts';
import { enqueueDigests } from './digest.ts';
import { type DrainOptions, drainOutbox } from './outbox.ts';
import { checkDeadlineAlerts, checkFeedHealthAlerts } from './record.ts';

export interface AlertJobDeps {
  db: Kysely<Database>;
  config: Config;
  pack: LoadedPack;
  log: Logger;
  /** Every question's title by pack id (PACKS), for messages about other questions than `pack`. */
  questionTitles?: Readonly<Record<string, string>>;
  /** Injected by tests; built from config.smtpUrl otherwise. */
  channel?: EmailChannel;
  /** Told each delivery's outcome (see DrainOptions). */
  onDelivery?: DrainOptions['onDelivery'];
}

/** Deadlines, failing feeds and digests (due at the pack's `alerts.digest_at`), every 5 minutes. */
export function alertsJob(deps: AlertJobDeps): Job {
  return {
    name: 'alerts',
    everyMs: 5 * 60_000,
    async run(now) {
      const d = await checkDeadlineAlerts(deps.db, deps.pack, now);
      const f = await checkFeedHealthAlerts(deps.db, deps.pack, now);
      const g = await enqueueDigests(deps.db, now, {
        baseUrl: deps.config.baseUrl,
        at: deps.pack.pack.alerts.digest_at,
      });
      if (d.alerts + f.alerts + g.digests > 0)
        deps.log.info('alerts recorded', { deadline: d.alerts, feeds: f.alerts, digests: g.digests });
    },
  };
}

/** Another question's deadline checks (PACKS): feeds and digests are shared, so the default question's job keeps them. */
export function deadlineJob(deps: AlertJobDeps): Job {
  return {
    name: `alerts:${deps.pack.pack.id}`,
    everyMs: 5 * 60_000,
    async run(now) {
      const d = await checkDeadlineAlerts(deps.db, deps.pack, now);
      if (d.alerts > 0) deps.log.info('alerts recorded', { question: deps.pack.pack.id, deadline: d.alerts });
    },
  };
}

/**
 * Sends due outbox rows every 15 seconds: emails when SMTP_URL is set, webhooks (generic, Slack,
 * Discord) always. Every worker drains (not exclusive): each delivery is claimed by one of them.
 */
export function outboxJob(deps: AlertJobDeps): Job {
  const smtpUrl = deps.config.smtpUrl;
  const channel = deps.channel ?? (smtpUrl ? createEmailChannel(smtpUrl, { from: deps.config.alertFrom }) : undefined);
  return {
    name: 'outbox',
    everyMs: 15_000,
    exclusive: false,
    async run(now) {
      const r = await drainOutbox(
        {
          db: deps.db,
          channel,
          webhookTimeoutMs: deps.config.webhookTimeoutMs,
          maxPerRun: deps.config.outboxMaxPerRun,
          baseUrl: deps.config.baseUrl,
          packTitle: deps.pack.pack.title,
          ...(deps.questionTitles ? { questionTitles: deps.questionTitles } : {}),
          batchMinutes: deps.pack.pack.alerts.batch_minutes,
          log: deps.log,
          onDelivery: deps.onDelivery,
        },
        now,
      );
      if (r.sent + r.failed + r.retrying > 0) deps.log.info('outbox drained', { ...r });
    },
  };
}

/** Both jobs for src/main.ts; logs one line when email is off. */
export function alertJobs(deps: AlertJobDeps): Job[] {
  if (!deps.config.smtpUrl && !deps.channel)
    deps.log.info(
      'email alerts are off: SMTP_URL is not set (webhook subscribers still get theirs; alerts are recorded and shown on the dashboard, API and feed)',
    );
  return [alertsJob(deps), outboxJob(deps)];
}
