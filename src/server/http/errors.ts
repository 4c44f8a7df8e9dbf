// The server's one error mapping: handlers throw, `onError` answers. API paths get
// `{"error":{"code","message"}}`; pages get a short HTML page. Statuses follow the error's kind (src/errors.ts).
import type { Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { userFacingDbError } from '../../db/busy.ts';
import { type ErrorKind, isBellwetherError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';

/** An HTTP answer with a stable machine-readable code (`bad_request`, `unauthorized`, ...) and extra headers. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
    this.name = 'ApiError';
  }
}

/** A stage's error reaching a handler becomes the status of its kind, with its own code and message. */
export const HTTP_STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  failed: 502,
  busy: 503,
};

const isApi = (c: Context) => c.req.path.startsWith('/api/');

function answer(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  if (isApi(c)) return c.json({ error: { code, message } }, status);
  if (status >= 500) return c.text('Internal error', status);
  const title = status === 404 ? 'Not found' : 'Request refused';
  return c.html(
    `<!DOCTYPE html><title>${title}</title><h1>${title}</h1><p><a href="/">Back to the overview</a></p>`,
    status,
  );
}

export function registerErrors(app: Hono, log: Logger): void {
  app.notFound((c) => answer(c, 404, 'not_found', 'no such endpoint'));
  app.onError((thrown, c) => {
    // A SQLITE_BUSY from a read or write past the busy timeout is the `busy` error: 503 with Retry-After.
    const err = userFacingDbError(thrown) as Error;
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return answer(c, err.status, err.code, err.message);
    }
    if (err instanceof HTTPException)
      return answer(c, err.status, err.status === 404 ? 'not_found' : 'bad_request', err.message);
    if (isBellwetherError(err)) {
      const status = HTTP_STATUS[err.kind];
      if (err.kind === 'busy') c.header('Retry-After', '1');
      if (status >= 500) log.warn('request failed', { path: c.req.path, code: err.code, error: err.message });
      return answer(c, status, err.code, err.message);
    }
    log.error('request failed', { path: c.req.path, error: err.message });
    return answer(c, 500, 'internal', 'internal error');
  });
}
