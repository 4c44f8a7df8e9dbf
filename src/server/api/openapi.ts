// The OpenAPI 3.1 description of the JSON API (JSON Schema 2020-12); tests validate real responses against it.
const str = { type: 'string' } as const;
const nullable = (t: string, extra: Record<string, unknown> = {}) => ({ type: [t, 'null'], ...extra });
const dateTime = { type: 'string', format: 'date-time' } as const;
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (name: string, description: string) => ({
  description,
  headers: { ETag: { schema: str }, 'Cache-Control': { schema: str } },
  content: { 'application/json': { schema: ref(name) } },
});
const bad = { description: 'Invalid parameters', content: { 'application/json': { schema: ref('Error') } } };
const q = (name: string, description: string, schema: Record<string, unknown> = str) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const probabilities = { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } };

const schemas = {
  Error: obj({ error: obj({ code: str, message: str }) }),
  Scenario: obj({
    id: str,
    name: str,
    probability: nullable('number', { minimum: 0, maximum: 1 }),
    change24h: nullable('number'),
    change7d: nullable('number'),
    deadline: nullable('string'),
    deadlinePassed: {
      type: 'boolean',
      description:
        'The deadline has passed and the scenario is not resolved: it is spent until someone records the outcome.',
    },
    resolved: { type: 'boolean' },
    outcome: { enum: ['yes', 'no', null] },
    resolution: {
      anyOf: [
        obj({
          outcome: { enum: ['yes', 'no'] },
          resolvedAt: dateTime,
          resolvedBy: nullable('string', { description: "The admin token's label, or cli:<user>" }),
          note: nullable('string'),
        }),
        { type: 'null' },
      ],
    },
  }),
  Scenarios: obj({
    question: str,
    horizon: { type: 'string', format: 'date' },
    closed: {
      type: 'boolean',
      description: 'The horizon has passed or a scenario resolved yes: the question no longer moves.',
    },
    attention: {
      type: 'array',
      items: str,
      description:
        'What an operator should do (a deadline or the horizon passed unresolved); empty when nothing is owed.',
    },
    asOf: { anyOf: [dateTime, { type: 'null' }] },
    scenarios: { type: 'array', items: ref('Scenario') },
  }),
  History: obj({ points: { type: 'array', items: obj({ t: dateTime, probabilities }) } }),
  MarketPoint: obj({
    t: {
      ...dateTime,
      description: "When the figure held; a pack point dated by day alone reads as that day's 00:00 UTC",
    },
    scenario: str,
    probability: { type: 'number', minimum: 0, maximum: 1 },
    source: { ...str, description: "The pack's source text, or polymarket:<slug> / metaculus:<id> for a polled point" },
    url: nullable('string'),
    origin: {
      enum: ['pack', 'polled'],
      description: 'pack: recorded in the pack from public reporting; polled: read from a public API by start',
    },
  }),
  Market: obj({
    sources: {
      type: 'array',
      description: "The pack's polled sources (market_sources)",
      items: obj({
        key: str,
        kind: { enum: ['polymarket', 'metaculus'] },
        scenario: str,
        everyMinutes: { type: 'integer' },
      }),
    },
    points: { type: 'array', items: ref('MarketPoint') },
  }),
  LevelDay: obj({
    day: { type: 'string', format: 'date' },
    value: nullable('number'),
    baseline: nullable('number'),
    z: nullable('number'),
  }),
  Indicator: obj({
    id: str,
    name: str,
    kind: { enum: ['event', 'level'] },
    state: { enum: ['active', 'quiet'] },
    lastSignal: nullable('string'),
    daily: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 30, maxItems: 30 },
    level: { anyOf: [{ type: 'array', items: ref('LevelDay') }, { type: 'null' }] },
  }),
  Indicators: obj({ indicators: { type: 'array', items: ref('Indicator') } }),
  EvidenceTag: obj({
    indicatorId: str,
    polarity: { enum: ['affirmed', 'negated'] },
    modality: { enum: ['held', 'scheduled', 'proposed', 'cancelled', 'speculative', null] },
    confidence: { type: 'number' },
    snippet: str,
    numbers: { anyOf: [{ type: 'array', items: obj({ value: { type: 'number' }, unit: str }) }, { type: 'null' }] },
    ruleId: str,
    features: {
      anyOf: [{ type: 'array', items: obj({ feature: str, weight: { type: 'number' } }) }, { type: 'null' }],
    },
  }),
  EvidenceItem: obj({
    articleId: { type: 'integer' },
    title: str,
    summary: str,
    url: nullable('string'),
    publishedAt: dateTime,
    feedName: nullable('string'),
    clusterId: nullable('integer'),
    sourceCount: { type: 'integer', minimum: 1 },
    tags: { type: 'array', items: ref('EvidenceTag') },
  }),
  Evidence: obj({ items: { type: 'array', items: ref('EvidenceItem') }, nextCursor: nullable('string') }),
  Feed: obj({
    id: { type: 'integer' },
    url: str,
    name: nullable('string'),
    tier: { type: 'integer' },
    status: str,
    health: { enum: ['ok', 'failing', 'pending'] },
    lastCheckedAt: nullable('string'),
    lastSuccessAt: nullable('string'),
    lastHttpStatus: nullable('integer'),
    lastErrorCode: nullable('string'),
    lastErrorMessage: nullable('string'),
    failingSince: nullable('string'),
    consecutiveFailures: { type: 'integer' },
    nextCheckAt: str,
    items: { type: 'integer' },
  }),
  Feeds: obj({ feeds: { type: 'array', items: ref('Feed') } }),
  Alert: obj({
    id: { type: 'integer' },
    kind: str,
    ruleKey: str,
    title: str,
    body: str,
    data: {},
    snapshotId: nullable('integer'),
    createdAt: dateTime,
  }),
  Alerts: obj({ alerts: { type: 'array', items: ref('Alert') } }),
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Bellwether API',
    version: '1',
    description:
      'Scenario probabilities, their history and the evidence behind them. All GET endpoints send ETag and Cache-Control and allow any origin (CORS).',
  },
  jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
  paths: {
    '/api/v1/scenarios': {
      get: {
        summary: 'Current probabilities with 24 h and 7 d changes',
        responses: { 200: ok('Scenarios', 'The scenarios'), 304: { description: 'Not modified' } },
      },
    },
    '/api/v1/history': {
      get: {
        summary: 'Snapshots between from and to (default: the last year)',
        parameters: [q('from', 'ISO-8601 start', dateTime), q('to', 'ISO-8601 end', dateTime)],
        responses: { 200: ok('History', 'Probability history, oldest first'), 400: bad },
      },
    },
    '/api/v1/market': {
      get: {
        summary: 'The market or crowd series beside the model (recorded in the pack and polled), oldest first',
        parameters: [q('from', 'ISO-8601 start', dateTime), q('to', 'ISO-8601 end', dateTime)],
        responses: { 200: ok('Market', 'Dated probabilities per scenario, with their sources'), 400: bad },
      },
    },
    '/api/v1/indicators': {
      get: {
        summary: 'Indicator states, 30-day daily counts and level series',
        responses: { 200: ok('Indicators', 'The indicators') },
      },
    },
    '/api/v1/evidence': {
      get: {
        summary: 'Latest tagged stories, newest first (keyset pagination)',
        parameters: [
          q('indicator', 'Only stories tagged with this indicator id'),
          q('limit', '1-100, default 20', { type: 'integer', minimum: 1, maximum: 100 }),
          q('cursor', 'nextCursor from the previous page'),
        ],
        responses: { 200: ok('Evidence', 'A page of stories'), 400: bad },
      },
    },
    '/api/v1/feeds': { get: { summary: 'Feed health', responses: { 200: ok('Feeds', 'The feeds') } } },
    '/api/v1/alerts': {
      get: { summary: 'Recent alerts, newest first', responses: { 200: ok('Alerts', 'The alerts') } },
    },
  },
  components: {
    schemas,
    securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, for /api/v1/admin/*' } },
  },
} as const;
