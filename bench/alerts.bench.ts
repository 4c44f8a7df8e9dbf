// Alerts benchmark: the pure decision, recording with 100 subscribers on a temp SQLite file,
// rendering, and draining the outbox to a local SMTP server. Prints figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmailChannel } from '../src/alerts/channels/email.ts';
import { type Signal, decideAlerts } from '../src/alerts/decide.ts';
import { drainOutbox } from '../src/alerts/outbox.ts';
import { recordAlerts } from '../src/alerts/record.ts';
import { renderEmail } from '../src/alerts/render.ts';
import { addSignal, addSnapshot, openAlertsEnv, subscribe } from '../test/helpers/alerts-env.ts';
import { startSmtp } from '../test/helpers/alerts-smtp.ts';

function time<T>(label: string, n: number, unit: string, fn: () => T): T {
  const t = performance.now();
  let out!: T;
  for (let i = 0; i < n; i += 1) out = fn();
  const ms = performance.now() - t;
  process.stdout.write(
    `${label}: ${Math.round((n / ms) * 1000).toLocaleString('en')} ${unit}/s (${(ms / n).toFixed(3)} ms each)\n`,
  );
  return out;
}

const env = await openAlertsEnv(mkdtempSync(path.join(tmpdir(), 'bw-alerts-bench-')));
const { pack } = env.pack;
const base = Date.parse('2026-11-20T00:00:00.000Z');
const signals: Signal[] = Array.from({ length: 500 }, (_, i) => ({
  indicatorId: pack.indicators[i % 2]!.id,
  modality: i % 3 === 0 ? 'scheduled' : 'cancelled',
  polarity: 'affirmed',
  at: new Date(base - i * 600_000).toISOString(),
  isNew: i < 20,
  story: { title: `Story ${i}`, url: `https://n.example/${i}`, publishedAt: '' },
}));
const event = {
  packId: pack.id,
  snapshotId: 1,
  at: new Date(base).toISOString(),
  probabilities: { deal: 0.31, frozen: 0.3, collapse: 0.39 },
  previous: {
    at: new Date(base - 3_600_000).toISOString(),
    probabilities: { deal: 0.18, frozen: 0.3, collapse: 0.52 },
  },
  levels: { strike_volume: { value: 900, z: 2.5, band: 'surge' } },
};
const history = Array.from({ length: 96 }, (_, i) => ({
  at: new Date(base - i * 900_000).toISOString(),
  probabilities: { deal: 0.2, frozen: 0.3, collapse: 0.5 },
}));
const d = time('decideAlerts (500 signals, 96 snapshots in window)', 20_000, 'decisions', () =>
  decideAlerts({ settings: pack.alerts, pack, event, history, signals, state: {}, stories: [], now: event.at }),
);

const alerts = d.alerts.map((a) => ({ title: a.title, body: a.body, createdAt: event.at, data: a.data }));
time(`renderEmail (${alerts.length} alerts in one email)`, 20_000, 'emails', () =>
  renderEmail(alerts, { baseUrl: 'https://bw.example', packTitle: pack.title, token: 'x'.repeat(32) }),
);

for (let i = 0; i < 100; i += 1) await subscribe(env.db, `r${i}@example.org`);
let t = performance.now();
const runs = 50;
for (let i = 0; i < runs; i += 1) {
  const now = new Date(base + i * 8 * 3_600_000);
  await addSignal(env.db, {
    indicator: 'principal_meeting',
    at: new Date(now.getTime() - 60_000).toISOString(),
    modality: i % 2 ? 'scheduled' : 'cancelled',
  });
  const p = 0.2 + (i % 2) * 0.15;
  await env.db
    .transaction()
    .execute(async (trx) =>
      recordAlerts(
        trx,
        await addSnapshot(trx, now.toISOString(), { deal: p, frozen: 0.3, collapse: 0.7 - p }),
        env.pack,
        now,
      ),
    );
}
let ms = performance.now() - t;
const queued = Number(
  (
    await env.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
process.stdout.write(
  `recordAlerts, 100 subscribers: ${(ms / runs).toFixed(2)} ms per snapshot (${queued} outbox rows in ${runs} snapshots)\n`,
);

const smtp = await startSmtp();
const channel = createEmailChannel(smtp.url, { from: 'bench@bw.example' });
t = performance.now();
const r = await drainOutbox(
  {
    db: env.db,
    channel,
    baseUrl: 'https://bw.example',
    packTitle: pack.title,
    batchMinutes: 5,
    maxPerRun: 300,
    maxAgeHours: 24 * 60,
  },
  new Date(base + 30 * 86_400_000),
);
const sent = r.sent;
ms = performance.now() - t;
process.stdout.write(
  `drainOutbox to a local SMTP server (synchronous=FULL claims, one connection per email): ${sent} emails in ${Math.round(ms)} ms = ${Math.round((sent / ms) * 1000)} emails/s (smtp-server holds each greeting 100 ms against early talkers)\n`,
);
channel.close();
await smtp.close();
await env.close();
rmSync(env.dir, { recursive: true, force: true });
