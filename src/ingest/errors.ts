// The ingest stage's error type: one class, a stable literal-union code, the HTTP status / Retry-After when relevant, and the cause.

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

export class IngestError extends Error {
  override name = 'IngestError';
  code: IngestErrorCode;
  status?: number;
  retryAfter?: Date;
  override cause?: unknown;

  constructor(code: IngestErrorCode, message: string, init: IngestErrorInit = {}) {
    super(message);
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
    if (init.cause !== undefined) this.cause = init.cause;
  }
}

export function isIngestError(e: unknown): e is IngestError {
  return e instanceof IngestError;
}
