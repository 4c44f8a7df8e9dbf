// Child process for the crash tests: records an alert (committed), then drains the outbox.
// Mode "hang": the channel never returns (killed after the claim's commit, before sending).
// Mode "smtp": sends to SMTP_URL for real (killed while the server holds its reply to DATA).
// Mode "drain": records nothing, only drains to SMTP_URL (two of these race for the same rows).
import { createEmailChannel, type EmailChannel } from '../../src/alerts/channels/email.ts';
import { drainOutbox } from '../../src/alerts/outbox.ts';
import { recordAlerts } from '../../src/alerts/record.ts';
import { addSignal, addSnapshot, openAlertsEnv, subscribe } from './alerts-env.ts';

const [dir, mode, smtpUrl] = process.argv.slice(2);
const env = await openAlertsEnv(dir);
const t0 = new Date('2026-11-20T10:00:00.000Z');
if (mode !== 'drain') {
  await subscribe(env.db, 'reader@example.org');
  await addSignal(env.db, { indicator: 'principal_meeting', at: '2026-11-20T09:00:00.000Z', modality: 'scheduled' });
  await env.db
    .transaction()
    .execute(async (trx) =>
      recordAlerts(
        trx,
        await addSnapshot(trx, t0.toISOString(), { deal: 0.3, frozen: 0.3, collapse: 0.4 }),
        env.pack,
        t0,
      ),
    );
  process.stdout.write('committed\n');
}
const channel: EmailChannel =
  mode === 'hang'
    ? {
        send: () => {
          process.stdout.write('sending\n');
          return new Promise<void>(() => undefined);
        },
        close: () => undefined,
      }
    : createEmailChannel(smtpUrl!, { from: 'alerts@bw.example' });
const result = await drainOutbox(
  {
    db: env.db,
    channel,
    baseUrl: 'https://bw.example',
    packTitle: 'Alerts test pack',
    batchMinutes: 5,
    maxPerRun: 100,
  },
  new Date(t0.getTime() + 6 * 60_000),
);
process.stdout.write(`drained ${JSON.stringify(result)}\n`);
channel.close();
await env.close();
