// Request logs carry method, path, status and duration, as JSON fields.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { requestLog } from './request-log.ts';

describe('requestLog', () => {
  it('logs one line per request with method, path, status and ms; /metrics only at debug', async () => {
    const lines: string[] = [];
    const app = new Hono();
    app.use('*', requestLog(createLogger('info', (l) => lines.push(l), { format: 'json' })));
    app.get('/x', (c) => c.text('ok'));
    app.get('/metrics', (c) => c.text(''));
    await app.request('/x?secret=1');
    await app.request('/missing', { method: 'POST' });
    await app.request('/metrics');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request',
        method: 'GET',
        path: '/x',
        status: 200,
        ms: expect.any(Number),
      }),
      expect.objectContaining({ msg: 'request', method: 'POST', path: '/missing', status: 404 }),
    ]);
  });
});
