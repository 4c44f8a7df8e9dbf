// One structured log line per request: method, path, status and duration. Scrapes of /metrics are logged
// at debug level only (a Prometheus server asks every few seconds); /healthz is answered before this runs.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../logger.ts';

export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 100) / 100,
    };
    if (c.req.path === '/metrics') log.debug('request', fields);
    else log.info('request', fields);
  };
}
