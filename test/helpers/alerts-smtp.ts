// A real SMTP server (smtp-server) on 127.0.0.1 for the alerts tests: records every accepted
// message, and can be told to answer DATA with an error code or to hold the reply.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  raw: string;
  to: string[];
  headers: Map<string, string[]>;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

export interface TestSmtp {
  url: string;
  port: number;
  received: Received[];
  /** DATA commands seen (accepted or not) and AUTH attempts. */
  dataCount: number;
  authCount: number;
  /** Answers for the next DATA commands, in order: a code (e.g. 451, 550) or 'accept'. */
  script: Array<number | 'accept'>;
  /** Called when DATA arrives, before the reply; return a promise to hold the reply. */
  onData: (() => Promise<void> | void) | null;
  close(): Promise<void>;
}

export interface SmtpOptions {
  port?: number;
  /** Require AUTH and reject every credential (535). */
  rejectAuth?: boolean;
}

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: '',
    port: 0,
    received: [],
    dataCount: 0,
    authCount: 0,
    script: [],
    onData: null,
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: !options.rejectAuth,
    allowInsecureAuth: true,
    disabledCommands: options.rejectAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS of 127.0.0.1 per connection (it costs ~100 ms here, offline).
    disableReverseLookup: true,
    onAuth(_auth, _session, callback) {
      state.authCount += 1;
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.dataCount += 1;
        void (async () => {
          if (state.onData) await state.onData();
          const step = state.script.shift() ?? 'accept';
          if (step !== 'accept') {
            const err = Object.assign(
              new Error(step >= 500 ? 'mailbox unavailable, go away' : 'greylisted, try later'),
              { responseCode: step },
            );
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          state.received.push(
            parseMail(
              raw,
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          callback();
        })();
      });
    },
  });
  // A client killed mid-message (the crash tests) resets its connection: that is the client's end, not the
  // server's, and smtp-server reports it here; unhandled it would be an uncaught exception.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const p = (server.server.address() as AddressInfo).port;
  state.port = p;
  state.url = `smtp://127.0.0.1:${p}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function parseHeaders(block: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    map.set(name, [...(map.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  return map;
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Just enough MIME for our messages: headers, and the text/html parts of multipart/alternative. */
export function parseMail(raw: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const ctype = headers.get('content-type')?.[0] ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(ctype)?.[1];
  let text = '';
  let html = '';
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [`${raw.slice(0, split)}\r\n\r\n${body}`];
  for (const part of parts) {
    const s = part.replace(/^\r\n/, '');
    const i = s.indexOf('\r\n\r\n');
    const h = parseHeaders(s.slice(0, i));
    const content = decodeBody(s.slice(i + 4), h.get('content-transfer-encoding')?.[0] ?? '');
    if (/text\/html/i.test(h.get('content-type')?.[0] ?? '')) html = content;
    else text = content;
  }
  return {
    raw,
    to,
    headers,
    subject: decodeWords(headers.get('subject')?.[0] ?? ''),
    messageId: headers.get('message-id')?.[0] ?? '',
    text,
    html,
  };
}
