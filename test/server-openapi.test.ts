// Validates real API responses (the admin routes' too) against the served OpenAPI 3.1 document (ajv 2020-12 +
// formats), checks that every route the app registers under /api/ is in it and nothing else is, and that the
// document itself is well formed (its schemas compile strictly, its refs resolve, its path parameters match).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { createReadCache } from '../src/server/model/read-cache.ts';
import { questionApp } from '../src/server/questions/routes.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
const TOKEN = 'admin-token-0123456789abcdef';
let t: TestDb;
let app: ReturnType<typeof createApp>;
let deps: ReturnType<typeof testDeps>;
interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }> }>;
}
let doc: {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
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
  deps = testDeps(t, { now: () => now, pack, env: { ADMIN_TOKEN: TOKEN } });
  app = createApp(deps);
  doc = (await (await app.request('/api/openapi.json')).json()) as typeof doc;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
});
afterAll(() => t.close());

/** A JSON pointer into the document (RFC 6901). */
const pointer = (...parts: string[]) => parts.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

function validate(path: string, status: string, body: unknown, template = path.split('?')[0]!, method = 'get'): void {
  expect(
    doc.paths[template]?.[method]?.responses[status]?.content?.['application/json'],
    `${method} ${template} ${status}`,
  ).toBeDefined();
  const at = pointer('paths', template, method, 'responses', status, 'content', 'application/json', 'schema');
  const ok = ajv.validate({ $ref: `openapi.json#${at}` }, body);
  expect(ok, `${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
}

describe('OpenAPI 3.1 description', () => {
  it('is OpenAPI 3.1 and documents every public GET, each question mirroring the default question', () => {
    expect(doc.openapi).toBe('3.1.0');
    const single = [
      '/api/v1/alerts',
      '/api/v1/alerts.csv',
      '/api/v1/days/{day}',
      '/api/v1/evidence',
      '/api/v1/evidence.csv',
      '/api/v1/feeds',
      '/api/v1/history',
      '/api/v1/history.csv',
      '/api/v1/indicators',
      '/api/v1/market',
      '/api/v1/scenarios',
      '/api/v1/scenarios/{id}/explanation',
      '/api/v1/stream',
      '/api/v1/watch',
    ];
    const scoped = single.map((p) => p.replace('/api/v1/', '/api/v1/questions/{question}/'));
    const publicGets = Object.keys(doc.paths).filter((p) => !p.includes('/admin') && doc.paths[p]!.get);
    expect(publicGets.sort()).toEqual(
      [...single, '/api/openapi.json', '/api/v1/questions', '/api/v1/questions/{question}', ...scoped].sort(),
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
    const ref = doc.paths['/api/v1/scenarios']!.get!.responses['200']!.content!['application/json']!.schema.$ref;
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

/** `GET /api/v1/x/:id` and `get /api/v1/x/{id}` both read `GET /api/v1/x/{}`. */
const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:[^/]+|\{[^}]+\}/g, '{}')}`;

/**
 * The app's routes under /api/ that are not endpoints, each with what it is. A new one fails the test below
 * until it is documented (an endpoint) or listed here (middleware or a catch-all answering 404).
 */
const NOT_ENDPOINTS: Record<string, string> = {
  'ALL /api/*': 'security headers, body limit and the public CORS (http/security.ts)',
  'ALL /api/v1/admin/*': 'the admin guard',
  'ALL /api/v1/admin': 'the admin guard',
  'ALL /api/v1/questions/{}/admin/*': "the admin guard, then a 404 naming the question's admin routes",
  'ALL /api/v1/questions/{}/admin': "the admin guard, then a 404 naming the question's admin routes",
  'GET /api/v1/questions/{}/*': "the forwarder to each question's own API (its routes are checked one by one)",
};

describe('every route under /api/ is in the document', () => {
  it('the app and each question app register exactly the documented operations', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => routeKey(method, path)),
    );
    const registered = new Set<string>();
    const unexplained: string[] = [];
    const take = (method: string, path: string) => {
      const key = routeKey(method, path);
      if (key in NOT_ENDPOINTS) return;
      // A method-less (ALL) or wildcard route is middleware or a catch-all: it must be listed, not guessed.
      if (method === 'ALL' || path.includes('*')) unexplained.push(key);
      else registered.add(key);
    };
    for (const r of app.routes) if (r.path.startsWith('/api/')) take(r.method, r.path);
    // What the forwarder reaches: the question app's /api/v1/X is served as /api/v1/questions/ID/X.
    const sub = questionApp({ deps, cache: createReadCache(deps.db, deps.pack.pack.id, 0), now: () => now }, deps.pack);
    for (const r of sub.routes)
      if (r.path.startsWith('/api/v1/')) take(r.method, r.path.replace('/api/v1/', '/api/v1/questions/:qid/'));
    expect(unexplained, 'middleware or catch-alls not listed in NOT_ENDPOINTS').toEqual([]);
    // Both ways: no route the server answers is missing, and the document promises none it does not have.
    expect([...registered].sort()).toEqual([...new Set(documented)].sort());
    expect(registered.has('DELETE /api/v1/questions/{}/admin/subscribers/{}')).toBe(true);
  });

  it('a route added to the app and not documented fails the check', () => {
    const extra = createApp(deps);
    extra.get('/api/v1/undocumented', (c) => c.text('x'));
    const keys = extra.routes.filter((r) => r.path.startsWith('/api/')).map((r) => routeKey(r.method, r.path));
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => routeKey(m, p))),
    );
    expect(keys.filter((k) => !(k in NOT_ENDPOINTS) && !documented.has(k))).toEqual(['GET /api/v1/undocumented']);
  });
});

describe('the document is well formed', () => {
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );

  it('has the parts OpenAPI 3.1 requires, every operation answering with described responses', () => {
    const shape = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    const response = { type: 'object', required: ['description'], properties: { description: { type: 'string' } } };
    const operation = {
      type: 'object',
      required: ['summary', 'responses'],
      properties: {
        summary: { type: 'string', minLength: 1 },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'in', 'schema'],
            properties: { name: { type: 'string' }, in: { enum: ['path', 'query', 'header', 'cookie'] } },
          },
        },
        requestBody: { type: 'object', required: ['content'] },
        security: { type: 'array', items: { type: 'object' } },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^[1-5][0-9][0-9]$' },
          additionalProperties: response,
        },
      },
    };
    const valid = shape.validate(
      {
        type: 'object',
        required: ['openapi', 'info', 'paths', 'components'],
        properties: {
          openapi: { const: '3.1.0' },
          info: {
            type: 'object',
            required: ['title', 'version'],
            properties: { title: { type: 'string' }, version: { type: 'string' } },
          },
          components: {
            type: 'object',
            required: ['schemas', 'securitySchemes'],
            properties: { schemas: { type: 'object' }, securitySchemes: { type: 'object' } },
          },
          jsonSchemaDialect: { const: 'https://json-schema.org/draft/2020-12/schema' },
          paths: {
            type: 'object',
            propertyNames: { pattern: '^/api/' },
            additionalProperties: {
              type: 'object',
              propertyNames: { enum: ['get', 'post', 'put', 'patch', 'delete'] },
              additionalProperties: operation,
            },
          },
        },
      },
      doc,
    );
    expect(valid, shape.errorsText(shape.errors)).toBe(true);
  });

  it('its schemas compile strictly as JSON Schema 2020-12 and every $ref resolves', () => {
    const strict = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(strict);
    // Every component is a schema on its own: put under $defs (their refs pointed there), each compiled strictly.
    const defs = JSON.parse(
      JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', 'doc#/$defs/'),
    ) as Record<string, unknown>;
    strict.addSchema({ $id: 'doc', $defs: defs });
    for (const name of Object.keys(defs))
      expect(() => strict.compile({ $ref: `doc#/$defs/${name}` }), name).not.toThrow();
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) {
      const target = /#\/components\/schemas\/(.+)"$/.exec(r)?.[1];
      expect(target && target in doc.components.schemas, r).toBe(true);
    }
  });

  it('path parameters match the path templates, and the admin routes name their bearer scheme', () => {
    expect(doc.components.securitySchemes).toEqual({
      admin: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    for (const { path, method, op } of operations()) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inPath);
      expect(declared.every((p) => p.required === true)).toBe(true);
      const admin = path.includes('/admin/');
      expect(op.security ?? null, `${method} ${path}`).toEqual(admin ? [{ admin: [] }] : null);
      if (admin) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '404', '429']));
      if (method === 'post' && path !== '/api/v1/admin/ingest')
        expect(op.requestBody, `${method} ${path}`).toBeDefined();
    }
  });
});

describe('the admin routes answer as documented', () => {
  const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: auth,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const check = async (method: string, path: string, template: string, status: number, body?: unknown) => {
    const res = await call(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    validate(path, String(status), res.body, template, method.toLowerCase());
    return res.body;
  };

  it('the instance routes: feeds, ingestion, resolutions, subscribers', async () => {
    await check('GET', '/api/v1/admin/feeds', '/api/v1/admin/feeds', 200);
    const feed = await check('POST', '/api/v1/admin/feeds', '/api/v1/admin/feeds', 201, {
      url: 'https://news.example.org/feed.xml',
      tier: 2,
      schedule: '*/10 * * * *',
    });
    await check('POST', '/api/v1/admin/feeds', '/api/v1/admin/feeds', 409, {
      url: 'https://news.example.org/feed.xml',
    });
    await check('POST', '/api/v1/admin/feeds', '/api/v1/admin/feeds', 400, { url: 'https://x.example', tier: 9 });
    await check('DELETE', `/api/v1/admin/feeds/${String(feed.id)}`, '/api/v1/admin/feeds/{id}', 200);
    await check('DELETE', '/api/v1/admin/feeds/0x10', '/api/v1/admin/feeds/{id}', 400);
    await check('DELETE', '/api/v1/admin/feeds/999999', '/api/v1/admin/feeds/{id}', 404);
    await check('POST', '/api/v1/admin/ingest', '/api/v1/admin/ingest', 501);
    await check('POST', '/api/v1/admin/resolutions', '/api/v1/admin/resolutions', 201, {
      scenario: 'frozen',
      outcome: 'no',
      resolvedAt: '2026-11-21T12:00:00Z',
    });
    await check('POST', '/api/v1/admin/resolutions', '/api/v1/admin/resolutions', 409, {
      scenario: 'frozen',
      outcome: 'no',
    });
    await check('POST', '/api/v1/admin/resolutions', '/api/v1/admin/resolutions', 400, { scenario: 'nope' });
    const sub = await check('POST', '/api/v1/admin/subscribers', '/api/v1/admin/subscribers', 201, {
      email: 'reader@example.org',
    });
    await check('POST', '/api/v1/admin/subscribers', '/api/v1/admin/subscribers', 409, { email: 'reader@example.org' });
    await check('POST', '/api/v1/admin/subscribers', '/api/v1/admin/subscribers', 201, {
      webhook: { url: 'https://hooks.example.org/in', format: 'webhook' },
    });
    await check('POST', '/api/v1/admin/subscribers', '/api/v1/admin/subscribers', 200, {
      webhook: { url: 'https://hooks.example.org/in', format: 'webhook' },
    });
    await check('GET', '/api/v1/admin/subscribers', '/api/v1/admin/subscribers', 200);
    await check('DELETE', `/api/v1/admin/subscribers/${String(sub.id)}`, '/api/v1/admin/subscribers/{id}', 200);
    await check('DELETE', `/api/v1/admin/subscribers/${String(sub.id)}`, '/api/v1/admin/subscribers/{id}', 404);
  });

  it("each question's routes: resolutions, subscribers and removing one from the question", async () => {
    const qid = deps.pack.pack.id;
    const base = '/api/v1/questions/{question}/admin';
    await check('POST', `/api/v1/questions/${qid}/admin/resolutions`, `${base}/resolutions`, 201, {
      scenario: 'collapse',
      outcome: 'no',
    });
    await check('POST', '/api/v1/questions/nope/admin/resolutions', `${base}/resolutions`, 404, {
      scenario: 'collapse',
      outcome: 'no',
    });
    const sub = await check('POST', `/api/v1/questions/${qid}/admin/subscribers`, `${base}/subscribers`, 201, {
      email: 'desk@example.org',
      rules: { kinds: ['probability_move'] },
    });
    await check('GET', `/api/v1/questions/${qid}/admin/subscribers`, `${base}/subscribers`, 200);
    const removed = await check(
      'DELETE',
      `/api/v1/questions/${qid}/admin/subscribers/${String(sub.id)}`,
      `${base}/subscribers/{id}`,
      200,
    );
    expect(removed).toEqual({ id: sub.id, question: qid, questions: [], unsubscribed: true });
    await check(
      'DELETE',
      `/api/v1/questions/${qid}/admin/subscribers/${String(sub.id)}`,
      `${base}/subscribers/{id}`,
      404,
    );
  });

  it('the guard answers match the Error schema', async () => {
    const res = await app.request('/api/v1/admin/feeds');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('Bearer');
    validate('/api/v1/admin/feeds', '401', await res.json());
    const cross = await app.request('/api/v1/admin/feeds', { headers: { ...auth, Origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    validate('/api/v1/admin/feeds', '403', await cross.json());
  });
});
