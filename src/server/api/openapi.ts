// The OpenAPI 3.1 description of the JSON API (JSON Schema 2020-12); tests validate real responses against it,
// and check that every route the app registers under /api/ is here (the admin routes are in openapi-admin.ts).
import { ADMIN_PATHS, ADMIN_SCHEMAS } from './openapi-admin.ts';
import { dateTime, errorAnswer, nullable, obj, questionParam, ref, str } from './openapi-helpers.ts';

const ok = (name: string, description: string) => ({
  description,
  headers: { ETag: { schema: str }, 'Cache-Control': { schema: str } },
  content: { 'application/json': { schema: ref(name) } },
});
const csvOk = (header: string) => ({
  description: `CSV (RFC 4180, CRLF) with a header row: ${header}. Text cells starting with = + - @ get a leading apostrophe.`,
  content: { 'text/csv': { schema: { type: 'string' } } },
});
const bad = errorAnswer('Invalid parameters');
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
    baseline: nullable('number', {
      description: "Where the robust z is 0: expm1 of the baseline days' median ln(1 + value)",
    }),
    z: nullable('number', {
      description: "The engine's robust z: (ln(1 + v) − median) / max(1.4826 · MAD, 0.1) over the baseline days",
    }),
    band: nullable('string', { description: 'The level band that fired that day (the engine and the alerts use it)' }),
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
  EvidenceStory: obj({
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
  Evidence: obj({ items: { type: 'array', items: ref('EvidenceStory') }, nextCursor: nullable('string') }),
  Feed: obj({
    id: { type: 'integer' },
    url: str,
    name: nullable('string'),
    tier: { type: 'integer' },
    language: nullable('string'),
    origin: str,
    intervalMinutes: { type: 'integer', minimum: 1 },
    schedule: nullable('string'),
    status: { enum: ['active', 'failing', 'gone', 'removed'] },
    lastSuccessAt: nullable('string'),
    lastCheckedAt: nullable('string'),
    lastError: nullable('string'),
    lastErrorCode: nullable('string'),
    lastErrorMessage: nullable('string'),
    lastHttpStatus: nullable('integer'),
    failingSince: nullable('string'),
    consecutiveFailures: { type: 'integer' },
    nextCheckAt: nullable('string'),
    itemCount: { type: 'integer' },
  }),
  StoryExplanation: obj({
    story: { type: 'string', description: 'c<clusterId> or a<articleId>' },
    clusterId: nullable('integer'),
    articleId: nullable('integer'),
    title: nullable('string'),
    url: nullable('string'),
    publishedAt: nullable('string'),
    feedName: nullable('string'),
    sources: nullable('integer'),
    tags: {
      type: 'array',
      items: obj({
        indicatorId: str,
        polarity: { enum: ['affirmed', 'negated', null] },
        modality: nullable('string'),
        weight: { type: 'number' },
        shift: { type: 'number' },
      }),
    },
    shift: { type: 'number', description: "The whole story's push on the scenario's log-odds" },
    without: { type: 'number', description: "The scenario's probability without this story (exact)" },
    push: { type: 'number', description: 'probability − without' },
  }),
  Explanation: obj({
    snapshot: obj({ id: { type: 'integer' }, at: dateTime }),
    scenarioId: str,
    probability: { type: 'number' },
    for: { type: 'array', items: ref('StoryExplanation') },
    against: { type: 'array', items: ref('StoryExplanation') },
    stories: { type: 'integer' },
    contributions: { type: 'integer' },
  }),
  Day: obj({
    day: { type: 'string', format: 'date' },
    from: { anyOf: [obj({ id: { type: 'integer' }, at: dateTime, probabilities }), { type: 'null' }] },
    to: obj({ id: { type: 'integer' }, at: dateTime, probabilities }),
    change: { type: 'object', additionalProperties: { type: 'number' } },
    stories: {
      type: 'array',
      items: obj({
        story: str,
        clusterId: nullable('integer'),
        articleId: nullable('integer'),
        title: nullable('string'),
        url: nullable('string'),
        publishedAt: nullable('string'),
        feedName: nullable('string'),
        sources: nullable('integer'),
        push: { type: 'object', additionalProperties: { type: 'number' }, description: 'Exact push per scenario' },
        tags: {
          type: 'array',
          items: obj({
            indicatorId: str,
            polarity: { enum: ['affirmed', 'negated', null] },
            modality: nullable('string'),
            status: { enum: ['new', 'changed', 'gone'] },
          }),
        },
      }),
    },
  }),
  Feeds: obj({ feeds: { type: 'array', items: ref('Feed') } }),
  Alert: obj({
    id: { type: 'integer' },
    kind: str,
    kindName: { type: 'string', description: 'What the kind is called on the pages, e.g. "Signal changed"' },
    ruleKey: str,
    title: str,
    body: str,
    data: {},
    snapshotId: nullable('integer'),
    createdAt: dateTime,
  }),
  WatchRow: obj({
    indicatorId: str,
    indicatorName: str,
    polarity: { enum: ['affirmed', 'negated'], description: 'negated: a story denying it (shown as "denied")' },
    probabilities: { ...probabilities, description: 'The posterior with the probe story added' },
    change: {
      type: 'object',
      additionalProperties: { type: 'number', minimum: -1, maximum: 1 },
      description: 'probabilities minus the current posterior, per scenario (×100 for points)',
    },
    largest: obj({ scenarioId: str, change: { type: 'number' } }),
  }),
  Watch: obj({
    at: { ...dateTime, description: 'The time the engine ran at' },
    probe: obj({
      tier: { type: 'integer', minimum: 1, maximum: 5 },
      confidence: { type: 'number' },
      ageDays: { type: 'number' },
    }),
    probabilities: { ...probabilities, description: 'The current posterior the changes are measured from' },
    scenario: nullable('string', { description: 'The scenario the rows are sorted for, if one was asked for' }),
    rows: { type: 'array', items: ref('WatchRow') },
  }),
  Alerts: obj({
    alerts: { type: 'array', items: ref('Alert') },
    nextBefore: nullable('integer', { description: 'Pass as before= for the next (older) page' }),
  }),
  Question: obj({
    id: { type: 'string', description: "The question's pack id" },
    title: str,
    question: str,
    horizon: { type: 'string', format: 'date' },
    isDefault: {
      type: 'boolean',
      description: 'The default question: the routes without /questions/{question} show it',
    },
    closed: { type: 'boolean', description: 'Resolved yes or past its horizon: no longer forecast, still readable' },
    outcome: nullable('string', { description: 'The scenario resolved yes' }),
    asOf: nullable('string', { format: 'date-time' }),
    scenarios: {
      type: 'array',
      items: obj({ id: str, name: str, probability: nullable('number', { minimum: 0, maximum: 1 }) }),
    },
    links: obj({ page: str, scenarios: str, history: str, evidence: str, feed: str }),
  }),
  Questions: obj({ questions: { type: 'array', items: ref('Question') } }),
};

const SINGLE = {
  openapi: '3.1.0',
  info: {
    title: 'Bellwether API',
    version: '1',
    description:
      'Scenario probabilities, their history and the evidence behind them; the admin routes (bearer token) manage feeds, resolutions and subscribers. All public GET endpoints send ETag and Cache-Control and allow any origin (CORS); the admin routes open no CORS and refuse cross-site requests.',
  },
  jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
  paths: {
    '/api/v1/scenarios': {
      get: {
        summary: 'Current probabilities with 24 h and 7 d changes',
        responses: { 200: ok('Scenarios', 'The scenarios'), 304: { description: 'Not modified' } },
      },
    },
    '/api/v1/scenarios/{id}/explanation': {
      get: {
        summary: "One scenario's stories for and against, with the exact probability without each story",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: str },
          q('snapshot', 'Snapshot id (default: the latest)', { type: 'integer', minimum: 1 }),
        ],
        responses: { 200: ok('Explanation', 'The explanation'), 400: bad, 404: bad },
      },
    },
    '/api/v1/days/{day}': {
      get: {
        summary: 'What changed on one UTC day: the stories that moved the forecast, with their push',
        parameters: [{ name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } }],
        responses: { 200: ok('Day', 'The day'), 400: bad, 404: bad },
      },
    },
    '/api/v1/watch': {
      get: {
        summary:
          'What to watch: for each event indicator and polarity, the exact change one new story (its own, tier 1, full confidence, published now) would make to each scenario, computed by the engine from the current evidence',
        parameters: [
          q(
            'scenario',
            "Only the rows that visibly move this scenario (≥ 0.05 point), sorted by that scenario's change; default: every row, sorted by each row's largest change",
          ),
        ],
        responses: { 200: ok('Watch', 'The probes, the largest move first'), 400: bad },
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
    '/api/v1/history.csv': {
      get: {
        summary: 'Export: the probability history as CSV (t, then one column per scenario id), oldest first',
        parameters: [q('from', 'ISO-8601 start', dateTime), q('to', 'ISO-8601 end', dateTime)],
        responses: { 200: csvOk('t,deal,frozen,collapse'), 400: bad },
      },
    },
    '/api/v1/evidence.csv': {
      get: {
        summary: 'Export: tagged stories as CSV, one row per tag, newest first',
        parameters: [
          q('indicator', 'Only tags of this indicator id'),
          q('limit', 'Stories, 1-50000, default 5000', { type: 'integer', minimum: 1, maximum: 50000 }),
        ],
        responses: {
          200: csvOk(
            'published_at,article_id,title,url,feed,cluster_id,sources,indicator,polarity,modality,confidence,snippet,numbers',
          ),
          400: bad,
        },
      },
    },
    '/api/v1/alerts.csv': {
      get: {
        summary: 'Export: alerts as CSV, newest first',
        responses: { 200: csvOk('id,created_at,kind,kind_name,title,scenario,stories,url') },
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
    '/api/v1/stream': {
      get: {
        summary:
          'Server-sent events: a `snapshot` event with {id, at, probabilities} of the newest snapshot now and whenever it changes (checked every 5 s; a keep-alive comment otherwise); the stream does not end',
        responses: {
          200: {
            description: 'An endless text/event-stream (Cache-Control: no-store)',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/api/v1/alerts': {
      get: {
        summary: 'Alerts, newest first (keyset pagination)',
        parameters: [
          q('limit', '1-200, default 50', { type: 'integer', minimum: 1, maximum: 200 }),
          q('before', 'nextBefore from the previous page', { type: 'integer', minimum: 1 }),
        ],
        responses: { 200: ok('Alerts', 'A page of alerts'), 400: bad },
      },
    },
  },
  components: {
    schemas,
    securitySchemes: {
      admin: {
        type: 'http',
        scheme: 'bearer',
        description:
          'ADMIN_TOKEN (or one of ADMIN_TOKENS), for /api/v1/admin/* and /api/v1/questions/{question}/admin/*; without one configured, those routes answer 404',
      },
    },
  },
} as const;

const unknownQuestion = errorAnswer('Unknown question');

/** Each question's routes mirror the default question's: /api/v1/X is /api/v1/questions/{question}/X. */
function questionPaths() {
  const out: Record<string, unknown> = {
    '/api/v1/questions': {
      get: {
        summary: 'Every question this instance tracks (PACKS), the default first',
        responses: { 200: ok('Questions', 'The questions') },
      },
    },
    '/api/v1/questions/{question}': {
      get: {
        summary: 'One question: where it stands, its current probabilities and its links',
        parameters: [questionParam],
        responses: { 200: ok('Question', 'The question'), 404: unknownQuestion },
      },
    },
  };
  for (const [path, item] of Object.entries(SINGLE.paths)) {
    const get = item.get as { summary: string; parameters?: readonly unknown[]; responses: Record<string, unknown> };
    // Feeds are the instance's, shared by every question: the question's path answers the same list.
    const summary =
      path === '/api/v1/feeds'
        ? "The instance's feed health, the same as /api/v1/feeds (feeds are shared by every question)"
        : `One question: ${get.summary.charAt(0).toLowerCase()}${get.summary.slice(1)}`;
    out[path.replace('/api/v1/', '/api/v1/questions/{question}/')] = {
      get: {
        ...get,
        summary,
        parameters: [questionParam, ...(get.parameters ?? [])],
        responses: { ...get.responses, 404: unknownQuestion },
      },
    };
  }
  return out;
}

const SELF = {
  '/api/openapi.json': {
    get: {
      summary: 'This document (OpenAPI 3.1)',
      responses: {
        200: {
          description: 'The OpenAPI document',
          headers: { ETag: { schema: str }, 'Cache-Control': { schema: str } },
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        304: { description: 'Not modified' },
      },
    },
  },
};

export const OPENAPI = {
  ...SINGLE,
  paths: { ...SELF, ...SINGLE.paths, ...questionPaths(), ...ADMIN_PATHS },
  components: { ...SINGLE.components, schemas: { ...SINGLE.components.schemas, ...ADMIN_SCHEMAS } },
};
