// `bellwether alerts test|list`: send a test email; show recent alerts and their delivery state.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { DeliveryError, createEmailChannel } from '../../alerts/channels/email.ts';
import { listAlerts } from '../../alerts/queries.ts';
import { ALERT_KIND_NAMES } from '../../alerts/types.ts';
import { messageHost } from '../../alerts/retry.ts';
import { escapeHtml } from '../../alerts/render.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../json-output.ts';
import { openRuntime } from '../../pipeline/runtime.ts';

interface DbOpts {
  db?: string;
  pack?: string;
}

export function registerAlerts(program: Command): void {
  const cmd = program.command('alerts').description('email alerts: send a test, list recent alerts');
  cmd
    .command('test')
    .description('send a test email through SMTP_URL and report the SMTP error plainly if it fails')
    .requiredOption('--to <address>', 'recipient')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--pack <file>', 'pack file (default: PACK)')
    .action(async (opts: DbOpts & { to: string }) => {
      const rt = await openRuntime({ databaseUrl: opts.db, packFile: opts.pack });
      try {
        if (!rt.config.smtpUrl)
          throw new CliError(
            'bellwether: SMTP_URL is not set: email is off (set SMTP_URL=smtp://user:pass@host:587)',
            'invalid_config',
          );
        const channel = createEmailChannel(rt.config.smtpUrl, { from: rt.config.alertFrom });
        const title = `Bellwether test email — ${rt.pack.pack.title}`;
        try {
          await channel.send({
            to: opts.to,
            subject: title,
            messageId: `<bw-test-${randomBytes(8).toString('hex')}@${messageHost(rt.config.baseUrl)}>`,
            headers: {},
            text: `This is a test email from Bellwether.\nDashboard: ${rt.config.baseUrl}/\n`,
            html: `<p>This is a test email from Bellwether.</p><p><a href="${escapeHtml(rt.config.baseUrl)}/">Dashboard</a></p>`,
          });
        } catch (error) {
          const e = error as DeliveryError;
          throw new CliError(
            `bellwether: test email to ${opts.to} failed (${e.code}${e.responseCode ? `, SMTP ${e.responseCode}` : ''}): ${e.message}`,
            e instanceof DeliveryError ? e.code : 'unreachable',
            { cause: e },
          );
        } finally {
          channel.close();
        }
        process.stdout.write(`test email sent to ${opts.to}\n`);
      } finally {
        await rt.close();
      }
    });
  cmd
    .command('list')
    .description('recent alerts and their delivery state')
    .option('--limit <n>', 'how many alerts', '20')
    .option(
      '--json',
      'print one JSON document {"alerts":[{"id","kind","kindName","title","body","data","createdAt","delivery"}]}',
    )
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--pack <file>', 'pack file (default: PACK)')
    .action(async (opts: DbOpts & { limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliError(`bellwether: --limit: expected a positive integer (got "${opts.limit}")`);
      const rt = await openRuntime({ databaseUrl: opts.db, packFile: opts.pack });
      try {
        const rows = await listAlerts(rt.db, { limit });
        if (opts.json) return printJson({ alerts: rows.map((a) => ({ ...a, kindName: ALERT_KIND_NAMES[a.kind] })) });
        if (rows.length === 0) process.stdout.write('no alerts yet\n');
        for (const a of rows) {
          const d = a.delivery;
          const state = `sent ${d.sent}, pending ${d.pending + d.sending}, failed ${d.failed}${d.lastError ? ` (last error: ${d.lastError})` : ''}`;
          process.stdout.write(
            `${a.createdAt}  ${(ALERT_KIND_NAMES[a.kind] ?? a.kind).padEnd(22)} ${a.title}\n    ${state}\n`,
          );
        }
      } finally {
        await rt.close();
      }
    });
}
