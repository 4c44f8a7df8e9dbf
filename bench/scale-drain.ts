// Scale benchmark helper (not a benchmark itself): queues one alert for EMAILS subscribers of the database
// given as DATABASE_URL, drains the outbox through the real email channel to the SMTP server at SMTP_URL, and,
// as the same-run reference, sends as many bare messages through a pooled nodemailer transport alone.
// Prints one JSON line.
import nodemailer from 'nodemailer';
import { createEmailChannel } from '../src/alerts/channels/email.ts';
import { drainOutbox } from '../src/alerts/outbox.ts';
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/connect.ts';

const [databaseUrl, smtpUrl, nowIso, emailsArg] = process.argv.slice(2) as [string, string, string, string];
const EMAILS = Number(emailsArg);
const handle = openDatabase(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }).database);
const db = handle.db;
const now = new Date(nowIso);
const { id: alertId } = await db
  .insertInto('alerts')
  .values({
    pack_id: 'bench',
    kind: 'probability_move',
    rule_key: 'bench:drain',
    title: 'Collapse up 12 points in a day',
    body: 'The collapse scenario moved from 31% to 43% since yesterday.',
    data: JSON.stringify({
      probabilities: { deal: 0.2, frozen: 0.37, collapse: 0.43 },
      previous: { deal: 0.25, frozen: 0.44, collapse: 0.31 },
      scenarioNames: { deal: 'Deal', frozen: 'Frozen conflict', collapse: 'Collapse' },
      scenarioId: 'collapse',
      points: 12,
      shifted: [],
      stories: [{ title: 'Talks collapse in Geneva', url: 'https://news.example/1', publishedAt: nowIso }],
    }),
    snapshot_id: null,
    created_at: now.toISOString(),
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const subscribers = await db.selectFrom('subscribers').select('id').orderBy('id').limit(EMAILS).execute();
const rows = subscribers.map((s) => ({
  subscriber_id: s.id,
  alert_id: alertId,
  status: 'pending' as const,
  attempts: 0,
  next_attempt_at: now.toISOString(),
  created_at: now.toISOString(),
}));
for (let i = 0; i < rows.length; i += 1000)
  await db
    .insertInto('outbox')
    .values(rows.slice(i, i + 1000))
    .execute();

const channel = createEmailChannel(smtpUrl, { from: 'bench@bw.example' });
let t = performance.now();
const drained = await drainOutbox(
  { db, channel, baseUrl: 'https://bw.example', packTitle: 'Bench', batchMinutes: 5, maxPerRun: EMAILS },
  new Date(now.getTime() + 10 * 60_000),
);
const drainMs = performance.now() - t;
const errors = await db
  .selectFrom('outbox')
  .select('last_error')
  .distinct()
  .where('last_error', 'is not', null)
  .limit(3)
  .execute();
channel.close();

const bare = nodemailer.createTransport({ url: smtpUrl, pool: true });
t = performance.now();
for (let i = 0; i < EMAILS; i++)
  await bare.sendMail({ from: 'bench@bw.example', to: `bare${i}@example.org`, subject: 'bare', text: 'bare message' });
const bareMs = performance.now() - t;
bare.close();
process.stdout.write(
  `${JSON.stringify({ emails: EMAILS, ...drained, drainMs, bareMs, errors: errors.map((e) => e.last_error) })}\n`,
);
await handle.close();
