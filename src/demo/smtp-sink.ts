// A local SMTP server for the offline demo: accepts every message on 127.0.0.1 and keeps it in memory.
// smtp-server is a development dependency (only the demo and the tests run an SMTP server), so it is
// imported when the demo starts; a production install (npm ci --omit=dev) says so in one line.
import type { AddressInfo } from 'node:net';
import type * as SmtpServerModule from 'smtp-server';
import { BellwetherError } from '../errors.ts';

/** The demo cannot run here: a development dependency it needs is not installed. */
export class DemoError extends BellwetherError<'missing_dependency'> {
  readonly code = 'missing_dependency';
}

/** Imports smtp-server, or explains how to get it (the specifier is a parameter for the test). */
export async function importSmtpServer(specifier = 'smtp-server'): Promise<typeof SmtpServerModule> {
  try {
    return (await import(specifier)) as typeof SmtpServerModule;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new DemoError(
      `bellwether demo: the demo's local SMTP sink needs the development dependency ${specifier}, which is not installed here (a production install): run \`npm install\` in a clone to try the demo`,
      { cause },
    );
  }
}

export interface SinkMessage {
  from: string;
  to: string[];
  subject: string;
  messageId: string | null;
  raw: string;
  receivedAt: Date;
}

export interface SmtpSink {
  url: string;
  messages: SinkMessage[];
  close(): Promise<void>;
}

const header = (raw: string, name: string): string | null => {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  // Unfold continuation lines (RFC 5322 §2.2.3) before looking the header up.
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : null;
};

export async function startSmtpSink(): Promise<SmtpSink> {
  const { SMTPServer } = await importSmtpServer();
  const messages: SinkMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(raw, 'Subject') ?? '',
          messageId: header(raw, 'Message-ID'),
          raw,
          receivedAt: new Date(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}
