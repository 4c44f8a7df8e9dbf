// Validates real API responses against the served OpenAPI 3.1 document (ajv 2020-12 + formats).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let app: ReturnType<typeof createApp>;
let doc: {
  openapi: string;
  paths: Record<
    string,
    { get: { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }
  >;
};
let ajv: InstanceType<typeof Ajv2020>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => {
    seedRealistic(db, t.pack.pack, { now, days: 40, perDay: 20 });
    db.prepare(
      `INSERT INTO market_points (pack_id, scenario_id, source, at, probability, url, created_at)
       VALUES (?, 'deal', 'polymarket:peace-deal', '2026-11-20T12:00:00.000Z', 0.21, 'https://polymarket.com/market/peace-deal', ?)`,
    ).run(t.pack.pack.id, now.toISOString());
  });
  const market = [
    {
      date: '2026-11-19',
      probability: 0.18,
      scenario: 'deal',
      source: 'Polymarket, as reported',
      url: 'https://example.org/r',
    },
  ];
  const pack = { ...t.pack, pack: { ...t.pack.pack, market } };
  app = createApp(testDeps(t, { now: () => now, pack }));
  doc = (await (await app.request('/api/openapi.json')).json()) as typeof doc;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
});
afterAll(() => t.close());

function validate(path: string, status: string, body: unknown, template = path.split('?')[0]!): void {
  const ref = doc.paths[template]!.get.responses[status]!.content!['application/json']!.schema.$ref;
  const ok = ajv.validate({ $ref: `openapi.json${ref}` }, body);
  expect(ok, `${path}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
}

describe('OpenAPI 3.1 description', () => {
  it('is OpenAPI 3.1 and documents every public GET', () => {
    expect(doc.openapi).toBe('3.1.0');
    const single = [
      '/api/v1/alerts',
      '/api/v1/alerts.csv',
      '/api/v1/days/{day}',
      '/api/v1/evidence',
      '/api/v1/evidence.csv',
      '/api/v1/history',
      '/api/v1/history.csv',
      '/api/v1/indicators',
      '/api/v1/market',
      '/api/v1/scenarios',
      '/api/v1/scenarios/{id}/explanation',
      '/api/v1/watch',
    ];
    // Each question's routes mirror the default question's (feeds are the instance's).
    const scoped = single.map((p) => p.replace('/api/v1/', '/api/v1/questions/{question}/'));
    expect(Object.keys(doc.paths).sort()).toEqual(
      [...single, '/api/v1/feeds', '/api/v1/questions', '/api/v1/questions/{question}', ...scoped].sort(),
    );
  });

  it.each([
    '/api/v1/scenarios',
    '/api/v1/history',
    '/api/v1/history?from=2026-11-01T00:00:00Z',
    '/api/v1/indicators',
    '/api/v1/evidence',
    '/api/v1/evidence?indicator=strike_volume&limit=3',
    '/api/v1/feeds',
    '/api/v1/alerts',
    '/api/v1/market',
    '/api/v1/market?from=2026-11-20T00:00:00Z',
    '/api/v1/watch',
    '/api/v1/watch?scenario=deal',
  ])('%s matches its schema', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    validate(path, '200', await res.json());
  });

  it.each([
    ['/api/v1/scenarios/collapse/explanation', '/api/v1/scenarios/{id}/explanation'],
    ['/api/v1/days/2026-11-20', '/api/v1/days/{day}'],
    ['/api/v1/questions', '/api/v1/questions'],
    ['/api/v1/questions/ukraine-peace', '/api/v1/questions/{question}'],
    ['/api/v1/questions/ukraine-peace/scenarios', '/api/v1/questions/{question}/scenarios'],
    ['/api/v1/questions/ukraine-peace/evidence?limit=3', '/api/v1/questions/{question}/evidence'],
    ['/api/v1/questions/ukraine-peace/days/2026-11-20', '/api/v1/questions/{question}/days/{day}'],
  ])('%s matches its schema', async (path, template) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    validate(path, '200', await res.json(), template);
  });

  it('error responses match the Error schema', async () => {
    const res = await app.request('/api/v1/evidence?limit=0');
    expect(res.status).toBe(400);
    validate('/api/v1/evidence', '400', await res.json());
  });

  it('the schemas are strict enough to catch a wrong response', () => {
    const ref = doc.paths['/api/v1/scenarios']!.get.responses['200']!.content!['application/json']!.schema.$ref;
    expect(ajv.validate({ $ref: `openapi.json${ref}` }, { question: 'q', asOf: 'yesterday', scenarios: [] })).toBe(
      false,
    );
    expect(ajv.validate({ $ref: `openapi.json${ref}` }, { question: 'q', asOf: null, scenarios: [{ id: 'a' }] })).toBe(
      false,
    );
  });

  it('an empty database still matches', async () => {
    const empty = await openTestDb();
    try {
      const a = createApp(testDeps(empty, { now: () => now }));
      for (const p of [
        '/api/v1/scenarios',
        '/api/v1/history',
        '/api/v1/indicators',
        '/api/v1/evidence',
        '/api/v1/feeds',
        '/api/v1/alerts',
        '/api/v1/market',
        '/api/v1/watch',
      ])
        validate(p, '200', await (await a.request(p)).json());
    } finally {
      await empty.close();
    }
  });
});
