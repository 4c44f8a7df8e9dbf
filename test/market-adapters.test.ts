// Polymarket and Metaculus adapters against local 127.0.0.1 servers answering with recorded-shape JSON:
// the probability read, and every way an answer can go wrong (malformed JSON, 500, a stall, a wrong shape).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { type MarketConfig, MarketError, pollMarket } from '../src/ingest/index.ts';
import type { MarketSource } from '../src/pack/schema.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures/market', name), 'utf8');
const json = (body: string, status = 200) => ({ status, headers: { 'content-type': 'application/json' }, body });

let api: FeedServer;
let config: MarketConfig;
const poly = (market: string, outcome = 'Yes'): MarketSource => ({
  kind: 'polymarket',
  market,
  outcome,
  scenario: 'deal',
  every_minutes: 60,
});
const meta = (question: number): MarketSource => ({ kind: 'metaculus', question, scenario: 'deal', every_minutes: 60 });

beforeAll(async () => {
  api = await startFeedServer();
  config = loadConfig(
    {
      ALLOW_PRIVATE_FEEDS: '1',
      POLYMARKET_API_URL: api.url('/gamma'),
      METACULUS_API_URL: api.url('/mc/'),
      METACULUS_API_TOKEN: 'test-token',
    },
    '/tmp',
  );
  api.route('/gamma/markets', (req, res) => {
    const slug = new URL(req.url ?? '/', 'http://x').searchParams.get('slug');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(slug === 'russia-x-ukraine-ceasefire-in-2026' ? fixture('polymarket-markets-by-slug.json') : '[]');
  });
  api.route('/gamma/markets/516710', json(fixture('polymarket-market-by-id.json')));
  api.route(
    '/gamma/markets/1',
    json('[{"outcomes": "[\\"Yes\\", \\"No\\"]", "outcomePrices": "[\\"1.7\\", \\"0\\"]"}]'),
  );
  api.route('/gamma/markets/2', json('{"outcomes": "not json", "outcomePrices": "[]"}'));
  api.route('/gamma/markets/3', json('{"id": "3", "outcomes": [', 200));
  api.route('/gamma/markets/4', json('{"error": "internal"}', 500));
  api.route('/gamma/markets/5', () => undefined); // never answers
  api.route('/mc/api/posts/31823/', json(fixture('metaculus-post.json')));
  api.route('/mc/api/posts/31824/', json(fixture('metaculus-post-numeric.json')));
  api.route('/mc/api/posts/31825/', json(fixture('metaculus-post-hidden.json')));
  api.route('/mc/api/posts/8898/', json(fixture('metaculus-api2-legacy.json')));
  api.route('/mc/api/posts/9/', json('<!doctype html><title>Just a moment...</title>', 200));
  api.route('/mc/api/posts/10/', { status: 403, body: 'forbidden' });
});
afterAll(() => api.close());

describe('Polymarket adapter', () => {
  it('reads the Yes price of a market found by slug', async () => {
    expect(await pollMarket(poly('russia-x-ukraine-ceasefire-in-2026'), config)).toEqual({
      probability: 0.235,
      url: 'https://polymarket.com/market/russia-x-ukraine-ceasefire-in-2026',
    });
  });

  it('reads a market by numeric id, and another outcome when asked', async () => {
    expect((await pollMarket(poly('516710'), config)).probability).toBe(0.241);
    expect((await pollMarket(poly('516710', 'No'), config)).probability).toBe(0.759);
    await expect(pollMarket(poly('516710', 'Maybe'), config)).rejects.toThrow(
      'polymarket 516710: no outcome "Maybe" (the market has Yes, No)',
    );
  });

  it.each([
    ['an unknown slug', 'no-such-market', MarketError, 'polymarket no-such-market: no market has this slug'],
    ['a price outside [0, 1]', '1', MarketError, 'polymarket 1: the price of "Yes" is not a probability (got "1.7")'],
    ['outcomes that are not a JSON array', '2', MarketError, 'polymarket 2: outcomes is not a JSON array'],
    ['malformed JSON', '3', MarketError, '/gamma/markets/3: the response is not JSON'],
    ['a 500', '4', Error, 'HTTP 500'],
  ])('fails clearly on %s', async (_name, market, type, message) => {
    const error = await pollMarket(poly(market), config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(message);
  });

  it('gives up on a server that never answers, at the deadline', async () => {
    const error = await pollMarket(poly('5'), config, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect((error as Error).message).toContain('no complete response within 300 ms');
  });
});

describe('Metaculus adapter', () => {
  it('reads the recency-weighted community centre of a binary question, sending the token', async () => {
    expect(await pollMarket(meta(31823), config)).toEqual({
      probability: 0.18,
      url: 'https://www.metaculus.com/questions/31823/',
    });
    const req = api.requests.filter((r) => r.path === '/mc/api/posts/31823/').at(-1)!;
    expect(req.headers.authorization).toBe('Token test-token');
    expect(req.headers.accept).toBe('application/json');
  });

  it('reads the older api2 shape (community_prediction.full.q2)', async () => {
    expect((await pollMarket(meta(8898), config)).probability).toBe(0.16);
  });

  it.each([
    ['a numeric question', 31824, 'metaculus 31824: a numeric question has no single probability'],
    ['a hidden prediction', 31825, 'metaculus 31825: no community prediction yet'],
    ['an HTML challenge page', 9, 'the response is not JSON'],
    ['a 403', 10, 'HTTP 403'],
  ])('fails clearly on %s', async (_name, id, message) => {
    await expect(pollMarket(meta(id), config)).rejects.toThrow(message);
  });
});

describe('redirects', () => {
  it('follows a redirect but sends the Metaculus token only to the configured origin', async () => {
    const other = await startFeedServer();
    try {
      other.route('/moved/77/', json(fixture('metaculus-post.json')));
      api.route('/mc/api/posts/77/', { status: 302, headers: { location: other.url('/moved/77/') } });
      api.route('/mc/api/posts/78/', { status: 302, headers: { location: '/mc/api/posts/31823/' } });
      expect((await pollMarket(meta(77), config)).probability).toBe(0.18);
      expect(other.requests.at(-1)!.headers.authorization).toBeUndefined();
      expect((await pollMarket(meta(78), config)).probability).toBe(0.18);
      expect(api.requests.at(-1)!.headers.authorization).toBe('Token test-token');
    } finally {
      await other.close();
    }
  });
});

describe('SSRF guard', () => {
  it('refuses a loopback API unless private addresses are allowed, before connecting', async () => {
    const guarded = loadConfig({ POLYMARKET_API_URL: api.url('/gamma') }, '/tmp');
    const before = api.hits();
    await expect(pollMarket(poly('516710'), guarded)).rejects.toMatchObject({ code: 'blocked_address' });
    expect(api.hits()).toBe(before);
  });
});
