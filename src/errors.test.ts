import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { CliError, EXIT_CODES, exitCodeOf } from './cli/errors.ts';
import { ConfigError } from './config/index.ts';
import { ERROR_KINDS, isBellwetherError } from './errors.ts';
import { FeedError } from './ingest/feeds.ts';
import { IngestError } from './ingest/errors.ts';
import { silentLogger } from './logger.ts';
import { ResolutionError } from './scenarios/resolutions.ts';
import { ApiError, HTTP_STATUS, registerErrors } from './server/http/errors.ts';

describe('one error model', () => {
  it('names every error after its class and keeps its literal code, kind and cause', () => {
    const cause = new Error('socket hang up');
    const e = new IngestError('network', 'feed unreachable', { cause });
    expect(e.name).toBe('IngestError');
    expect(e.kind).toBe('failed');
    expect(e.cause).toBe(cause);
    expect(new ConfigError('PORT', 'expected a port').name).toBe('ConfigError');
    expect(new ResolutionError('already_resolved', 'x').kind).toBe('conflict');
    expect(isBellwetherError(new Error('plain'))).toBe(false);
  });

  it('gives every code a kind that both tables map', () => {
    for (const kind of Object.values(ERROR_KINDS)) {
      expect(EXIT_CODES[kind]).toBeGreaterThan(0);
      expect(HTTP_STATUS[kind]).toBeGreaterThanOrEqual(400);
    }
  });

  it('maps kinds to exit codes: invalid input 2, conflict 3, failure 1, busy 75', () => {
    expect(exitCodeOf(new CliError('--tier must be 1-5'))).toBe(2);
    expect(exitCodeOf(new FeedError('exists', 'already added'))).toBe(3);
    expect(exitCodeOf(new IngestError('timeout', 'slow'))).toBe(1);
    expect(exitCodeOf(new IngestError('rate_limited', '429'))).toBe(75);
    const wrapped = CliError.wrap('bellwether feeds: ', new FeedError('bad_url', 'not http'));
    expect(wrapped.message).toBe('bellwether feeds: not http');
    expect(wrapped.code).toBe('bad_url');
    expect(exitCodeOf(wrapped)).toBe(2);
  });

  it('treats a wrong verb or option as invalid input (2), and help as success (0)', async () => {
    const err = process.stderr.write;
    const out = process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await runCli(['resolve', 'deal', '--no-such-option'])).toBe(2);
      expect(await runCli(['no-such-verb'])).toBe(2);
      expect(await runCli(['--help'])).toBe(0);
    } finally {
      process.stderr.write = err;
      process.stdout.write = out;
    }
  });

  it('answers thrown errors once, in onError: stage errors by kind, ApiError as given, the rest as 500', async () => {
    const app = new Hono();
    app.get('/api/v1/conflict', () => {
      throw new FeedError('exists', 'feed 3 already exists');
    });
    app.get('/api/v1/limited', () => {
      throw new ApiError(429, 'rate_limited', 'slow down', { 'Retry-After': '60' });
    });
    app.get('/api/v1/bug', () => {
      throw new TypeError('undefined is not a function');
    });
    app.get('/page', () => {
      throw new TypeError('boom');
    });
    registerErrors(app, silentLogger);
    const conflict = await app.request('/api/v1/conflict');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: { code: 'exists', message: 'feed 3 already exists' } });
    const limited = await app.request('/api/v1/limited');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('60');
    expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: 'slow down' } });
    const bug = await app.request('/api/v1/bug');
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
    const page = await app.request('/page');
    expect(page.status).toBe(500);
    expect(await page.text()).toBe('Internal error');
    const missing = await app.request('/api/v1/nothing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no such endpoint' } });
  });
});
