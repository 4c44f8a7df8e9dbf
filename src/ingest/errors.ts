// The ingest stage's error type: one class, a stable literal-union code, the HTTP status / Retry-After when relevant, and the cause.
import { BellwetherError } from '../errors.ts';

export type IngestErrorCode =
  | 'timeout'
  | 'http_status'
  | 'too_large'
  | 'not_a_feed'
  | 'parse_error'
  | 'network'
  | 'dns'
  | 'tls'
  | 'connection_refused'
  | 'connection_reset'
  | 'redirect'
  | 'blocked_address'
  | 'bad_url'
  | 'gone'
  | 'rate_limited';

export interface IngestErrorInit {
  status?: number;
  retryAfter?: Date;
  cause?: unknown;
}

export class IngestError extends BellwetherError<IngestErrorCode> {
  readonly code: IngestErrorCode;
  status?: number;
  retryAfter?: Date;

  constructor(code: IngestErrorCode, message: string, init: IngestErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }
}

export function isIngestError(e: unknown): e is IngestError {
  return e instanceof IngestError;
}
