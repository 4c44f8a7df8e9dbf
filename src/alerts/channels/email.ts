// The email channel: nodemailer over SMTP_URL, with SMTP failures sorted into what to do next.
import { BellwetherError } from '../../errors.ts';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export type DeliveryErrorCode =
  /** 4xx reply: try again later. */
  | 'temporary'
  /** 5xx reply: the server refused for good. */
  | 'permanent'
  /** Credentials rejected: every message would fail the same way. */
  | 'auth'
  /** No connection, no greeting or a refused one, 421, timeout, TLS failure: the server, not the message. */
  | 'unreachable';

export class DeliveryError extends BellwetherError<DeliveryErrorCode> {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly responseCode: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface EmailChannel {
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface EmailChannelOptions {
  from: string;
  /** Milliseconds to wait for the connection and for the greeting (default 5000). */
  timeoutMs?: number;
}

interface SmtpErrorShape {
  code?: string;
  /** The SMTP command that failed; nodemailer says 'CONN' for the connection and greeting. */
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Maps a nodemailer error to a DeliveryError (pure; exported for tests). */
export function classifySmtpError(error: unknown): DeliveryError {
  const e = (error ?? {}) as SmtpErrorShape;
  const text = (e.response ?? e.message ?? String(error)).trim();
  const rc = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH')
    return new DeliveryError('auth', `authentication failed: ${text}`, rc, { cause: error });
  // A refused greeting, or 421 at any step (RFC 5321 §3.8: the server is closing the channel), is
  // about the server, not the message: the next messages would meet it too.
  if (e.command === 'CONN' || rc === 421)
    return new DeliveryError('unreachable', `the SMTP server refused the connection: ${text}`, rc, { cause: error });
  if (rc !== null && rc >= 500 && rc < 600) return new DeliveryError('permanent', text, rc, { cause: error });
  if (rc !== null && rc >= 400 && rc < 500) return new DeliveryError('temporary', text, rc, { cause: error });
  return new DeliveryError('unreachable', `${e.code ? `${e.code}: ` : ''}${text}`, rc, { cause: error });
}

export function createEmailChannel(smtpUrl: string, options: EmailChannelOptions): EmailChannel {
  const timeout = options.timeoutMs ?? 5000;
  // Pooled: a drain sends its emails over connections kept open between messages instead of a new
  // connection, greeting and EHLO per email (9 emails/s before, issue 14). A connection idle for a
  // second closes, so nothing stays open between drains or after shutdown, and no server times it out.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    idleTimeout: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: Math.max(timeout * 4, 20_000),
  } satisfies SMTPPool.Options);
  return {
    async send(m) {
      try {
        await transport.sendMail({
          from: options.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          headers: m.headers,
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: () => transport.close(),
  };
}
