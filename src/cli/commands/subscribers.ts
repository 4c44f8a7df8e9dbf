// `bellwether subscribers add|list|remove`: who receives email alerts and which ones.
import type { Command } from 'commander';
import { WEBHOOK_FORMATS, type WebhookFormat } from '../../alerts/channels/webhook.ts';
import {
  SubscriberError,
  addSubscriber,
  addWebhookSubscriber,
  listSubscribers,
  removeSubscriber,
} from '../../alerts/subscribers.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../json-output.ts';

interface DbOpts {
  db?: string;
  pack?: string;
}

async function withRuntime<T>(
  opts: DbOpts,
  fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>,
): Promise<T> {
  const rt = await openRuntime({ databaseUrl: opts.db, packFile: opts.pack });
  try {
    return await fn(rt);
  } catch (error) {
    if (error instanceof SubscriberError) throw CliError.wrap('bellwether: ', error);
    throw error;
  } finally {
    await rt.close();
  }
}

export function registerSubscribers(program: Command): void {
  const cmd = program.command('subscribers').description('manage alert subscribers (email and webhooks)');
  cmd
    .command('add')
    .description('add a subscriber (or update an existing one)')
    .argument('<email>', 'email address')
    .option('--rules <json>', 'rule overrides, e.g. \'{"kinds":["probability_move"],"min_points":15}\'')
    .option('--digest <period>', 'one email a day instead of one per alert (only: daily)')
    .option('--admin', 'also receive admin alerts (feeds failing)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--pack <file>', 'pack file (default: PACK)')
    .action(async (email: string, opts: DbOpts & { rules?: string; digest?: string; admin?: boolean }) => {
      if (opts.digest !== undefined && opts.digest !== 'daily')
        throw new CliError(`bellwether: --digest: expected "daily" (got "${opts.digest}")`);
      await withRuntime(opts, async (rt) => {
        const { subscriber, created } = await addSubscriber(
          rt.db,
          {
            email,
            rules: opts.rules ?? null,
            digest: opts.digest === 'daily' ? 'daily' : null,
            admin: opts.admin,
            questions: rt.packs.map((p) => p.pack.id),
          },
          rt.now(),
        );
        process.stdout.write(
          `${created ? 'added' : 'updated'} ${subscriber.email}${subscriber.digest ? ' (daily digest)' : ''}${subscriber.is_admin ? ' (admin)' : ''}\n`,
        );
        process.stdout.write(`unsubscribe link: ${rt.config.baseUrl}/unsubscribe/${subscriber.token}\n`);
      });
    });
  cmd
    .command('add-webhook')
    .description('add a webhook subscriber: a signed generic JSON webhook, a Slack or a Discord incoming webhook')
    .argument('<url>', 'the webhook URL (http or https)')
    .option('--format <format>', `payload format: ${WEBHOOK_FORMATS.join(', ')}`, 'webhook')
    .option('--rules <json>', 'rule overrides, as for add')
    .option('--digest <period>', 'one delivery a day instead of one per alert (only: daily)')
    .option('--admin', 'also receive admin alerts (feeds failing)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--pack <file>', 'pack file (default: PACK)')
    .action(
      async (url: string, opts: DbOpts & { format: string; rules?: string; digest?: string; admin?: boolean }) => {
        if (!WEBHOOK_FORMATS.includes(opts.format as WebhookFormat))
          throw new CliError(`bellwether: --format: expected ${WEBHOOK_FORMATS.join(', ')} (got "${opts.format}")`);
        if (opts.digest !== undefined && opts.digest !== 'daily')
          throw new CliError(`bellwether: --digest: expected "daily" (got "${opts.digest}")`);
        await withRuntime(opts, async (rt) => {
          const { subscriber, created } = await addWebhookSubscriber(
            rt.db,
            {
              url,
              format: opts.format as WebhookFormat,
              rules: opts.rules ?? null,
              questions: rt.packs.map((p) => p.pack.id),
              digest: opts.digest === 'daily' ? 'daily' : null,
              admin: opts.admin,
            },
            rt.now(),
          );
          process.stdout.write(
            `${created ? 'added' : 'updated'} ${subscriber.channel} ${subscriber.url} as ${subscriber.email}\n`,
          );
          if (subscriber.secret)
            process.stdout.write(`signing secret (HMAC-SHA256, header X-Bellwether-Signature): ${subscriber.secret}\n`);
        });
      },
    );
  cmd
    .command('list')
    .description('list subscribers')
    .option(
      '--json',
      'print one JSON document {"subscribers":[{"email","digest","admin","rules","createdAt","unsubscribedAt"}]}',
    )
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--pack <file>', 'pack file (default: PACK)')
    .action(async (opts: DbOpts & { json?: boolean }) => {
      await withRuntime(opts, async (rt) => {
        const subs = await listSubscribers(rt.db);
        if (opts.json) {
          // The unsubscribe token is a credential: it is not listed.
          return printJson({
            subscribers: subs.map((s) => ({
              email: s.email,
              digest: s.digest,
              admin: s.is_admin === 1,
              rules: s.rules === null ? null : (JSON.parse(s.rules) as unknown),
              createdAt: s.created_at,
              unsubscribedAt: s.unsubscribed_at,
            })),
          });
        }
        if (subs.length === 0) process.stdout.write('no subscribers\n');
        for (const s of subs) {
          const flags = [
            s.digest ? 'digest' : 'immediate',
            s.is_admin ? 'admin' : null,
            s.unsubscribed_at ? `unsubscribed ${s.unsubscribed_at}` : 'active',
            s.rules ? `rules ${s.rules}` : null,
          ];
          const who = s.channel === 'email' ? s.email : `${s.channel} ${s.url} (${s.email})`;
          process.stdout.write(`${who}\t${flags.filter(Boolean).join(', ')}\n`);
        }
      });
    });
  cmd
    .command('remove')
    .description('delete a subscriber and its queued emails')
    .argument('<email>', 'email address (for a webhook, the identity `subscribers list` shows)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--pack <file>', 'pack file (default: PACK)')
    .action(async (email: string, opts: DbOpts) => {
      await withRuntime(opts, async (rt) => {
        await removeSubscriber(rt.db, email);
        process.stdout.write(`removed ${email}\n`);
      });
    });
}
