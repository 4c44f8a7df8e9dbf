// The scheduler jobs: without SMTP_URL start-up says so in one line; the outbox still runs for webhooks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsEnv, openAlertsEnv, subscribe } from '../../test/helpers/alerts-env.ts';
import { startSmtp } from '../../test/helpers/alerts-smtp.ts';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logger.ts';
import { alertJobs } from './jobs.ts';
import { storeAlerts } from './record.ts';

let env: AlertsEnv;
beforeEach(async () => {
  env = await openAlertsEnv();
});
afterEach(async () => {
  await env.close();
});

describe('alertJobs', () => {
  it('email off: one clear log line, alerts still recorded, the outbox runs for webhooks', async () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    const config = loadConfig({ DATABASE_URL: env.file }, env.dir);
    const jobs = alertJobs({ db: env.db, config, pack: env.pack, log });
    expect(jobs.map((j) => j.name)).toEqual(['alerts', 'outbox']);
    expect(lines.filter((l) => l.includes('email alerts are off: SMTP_URL is not set'))).toHaveLength(1);
    await jobs[0]!.run(new Date('2026-11-20T00:00:00.000Z'));
    expect((await env.db.selectFrom('alerts').select('kind').execute()).map((a) => a.kind)).toEqual([
      'deadline_approaching',
    ]);
  });
  it('email on: the outbox job joins, and nothing is logged about email being off', () => {
    const lines: string[] = [];
    const config = loadConfig({ DATABASE_URL: env.file, SMTP_URL: 'smtp://127.0.0.1:2525' }, env.dir);
    const jobs = alertJobs({ db: env.db, config, pack: env.pack, log: createLogger('info', (l) => lines.push(l)) });
    expect(jobs.map((j) => j.name)).toEqual(['alerts', 'outbox']);
    expect(lines).toEqual([]);
  });
  it('the outbox job sends at most OUTBOX_MAX_PER_RUN deliveries a run; the rest go in the next', async () => {
    const smtp = await startSmtp();
    try {
      for (let i = 0; i < 5; i++) await subscribe(env.db, `reader${i}@example.org`);
      const at = new Date(Date.now() - 60_000);
      const draft = {
        kind: 'indicator_shift' as const,
        ruleKey: 'k',
        title: 'Five readers, two a run',
        body: '',
        data: { probabilities: {}, previous: null, scenarioNames: {}, shifted: [], stories: [] },
      };
      await env.db.transaction().execute((trx) => storeAlerts(trx, env.pack.pack.id, [draft], [], null, 0, at));
      const config = loadConfig({ DATABASE_URL: env.file, SMTP_URL: smtp.url, OUTBOX_MAX_PER_RUN: '2' }, env.dir);
      const outbox = alertJobs({ db: env.db, config, pack: env.pack, log: createLogger('silent') })[1]!;
      const now = new Date(Date.now() + 3_600_000); // past any batching window
      await outbox.run(now);
      expect(smtp.received).toHaveLength(2);
      await outbox.run(now);
      await outbox.run(now);
      expect(smtp.received).toHaveLength(5);
    } finally {
      await smtp.close();
    }
  });
});
