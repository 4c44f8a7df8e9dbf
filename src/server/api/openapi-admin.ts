// The admin routes in the OpenAPI document: the instance's (/api/v1/admin/…) and each question's
// (/api/v1/questions/{question}/admin/…), all behind the bearer token (components.securitySchemes.admin).
import { dateTime, errorAnswer, jsonAnswer, nullable, obj, questionParam, ref, str } from './openapi-helpers.ts';

const id = { type: 'integer', minimum: 1 } as const;

export const ADMIN_SCHEMAS = {
  AdminFeed: obj({
    id,
    url: str,
    name: nullable('string'),
    tier: { type: 'integer', minimum: 1, maximum: 5 },
    status: { enum: ['active', 'gone', 'removed'] },
    origin: { enum: ['pack', 'cli', 'opml', 'api'] },
  }),
  AdminFeeds: obj({ feeds: { type: 'array', items: ref('AdminFeed') } }),
  FeedAdded: obj({ id, url: str, status: { const: 'active' } }),
  FeedRemoved: obj({ id, status: { const: 'removed' } }),
  Ingested: obj({
    status: {
      enum: ['done', 'queued'],
      description: 'queued: a web instance (start --role web) made every active feed due; the workers fetch them',
    },
    result: { description: "The ingest run's summary, or {queued: N} on a web instance" },
  }),
  ResolutionRecorded: obj({
    question: { ...str, description: 'The question (pack id) the resolution belongs to' },
    scenario: str,
    outcome: { enum: ['yes', 'no'] },
    resolvedAt: dateTime,
    resolvedBy: { ...str, description: "The admin token's label" },
    recomputed: { type: 'boolean', description: 'The server recomputed the forecast (or asked the workers to)' },
  }),
  AdminSubscriber: obj({
    id,
    email: {
      ...str,
      description: 'The address; a webhook subscriber has a stable <format>-<hash>@webhooks.invalid identity',
    },
    channel: { enum: ['email', 'webhook', 'slack', 'discord'] },
    url: nullable('string', { description: 'The webhook URL (null for email)' }),
    digest: { enum: ['daily', null] },
    created_at: dateTime,
    unsubscribed_at: nullable('string', { format: 'date-time' }),
  }),
  AdminSubscribers: obj({ subscribers: { type: 'array', items: ref('AdminSubscriber') } }),
  QuestionSubscribers: obj({
    question: str,
    subscribers: {
      type: 'array',
      items: ref('AdminSubscriber'),
      description: "The active subscribers that receive the question's alerts (no questions rule, or one naming it)",
    },
  }),
  SubscriberAdded: obj({
    id,
    email: str,
    token: { ...str, description: 'The unsubscribe token (/unsubscribe/TOKEN), shown once' },
  }),
  WebhookSubscriberAdded: obj({
    id,
    email: str,
    channel: { enum: ['webhook', 'slack', 'discord'] },
    url: str,
    secret: nullable('string', { description: "A generic webhook's HMAC-SHA256 signing secret (never listed)" }),
    token: str,
  }),
  SubscriberUnsubscribed: obj({ id, unsubscribed: { const: true } }),
  QuestionSubscriberRemoved: obj({
    id,
    question: str,
    questions: { type: 'array', items: str, description: 'The questions the subscriber still receives' },
    unsubscribed: {
      type: 'boolean',
      description: 'No question was left: unsubscribed (an admin subscriber is kept, for the instance alerts)',
    },
  }),
};

/** Every admin route answers these before its own work: the guard (admin.ts) and the path's id. */
const guarded = (notFound?: string) => ({
  401: errorAnswer('Missing or wrong bearer token', { 'WWW-Authenticate': { schema: str } }),
  403: errorAnswer('A cross-site request (Sec-Fetch-Site or Origin): refused whatever its token'),
  404: errorAnswer(`The admin API is off (no ADMIN_TOKEN: admin_disabled)${notFound ? `, or ${notFound}` : ''}`),
  429: errorAnswer('Too many failed attempts (a valid token still gets through)', {
    'Retry-After': { schema: { type: 'integer' } },
  }),
});
const security = [{ admin: [] }];
const bad = (codes: string) => errorAnswer(`Invalid request (${codes})`);
const conflict = (what: string) => errorAnswer(what);

/** A JSON body, or the same fields form-encoded (`form`: each one's text; nested values are JSON only). */
const body = (schema: Record<string, unknown>, form: Record<string, unknown>) => ({
  required: true,
  content: {
    'application/json': { schema },
    'application/x-www-form-urlencoded': { schema: { type: 'object', properties: form } },
  },
});

const pathId = (description: string) => ({ name: 'id', in: 'path', required: true, description, schema: id });
const unknownQuestion = 'an unknown question (the message names the ones this instance tracks)';

const resolutionBody = body(
  {
    type: 'object',
    required: ['scenario', 'outcome'],
    properties: {
      scenario: { ...str, description: "One of the question's scenario ids" },
      outcome: { enum: ['yes', 'no'] },
      resolvedAt: { ...dateTime, description: 'When it resolved (default: now)' },
      note: str,
      replace: { type: 'boolean', description: 'Overwrite an earlier resolution of the scenario' },
    },
  },
  {
    scenario: str,
    outcome: { enum: ['yes', 'no'] },
    resolvedAt: dateTime,
    note: str,
    replace: { enum: ['true', 'false'] },
  },
);
const resolutionResponses = (notFound?: string) => ({
  201: jsonAnswer('ResolutionRecorded', 'Recorded (then recomputed, if the server can)'),
  400: bad('bad_body, bad_scenario, bad_outcome, bad_date, bad_replace'),
  409: conflict('already_resolved: the scenario has a resolution (send replace: true to overwrite it)'),
  ...guarded(notFound),
});

const subscriberBody = (question: boolean) =>
  body(
    {
      type: 'object',
      description: 'An email subscriber ({email}) or a webhook ({webhook})',
      anyOf: [{ required: ['email'] }, { required: ['webhook'] }],
      properties: {
        email: str,
        webhook: {
          type: 'object',
          required: ['url'],
          properties: { url: str, format: { enum: ['webhook', 'slack', 'discord'], default: 'webhook' } },
        },
        rules: {
          type: ['object', 'string'],
          description: question
            ? 'Rule overrides (kinds, indicators, scenarios, min_points), as an object or its JSON text; the questions rule is set to this question (one in the body is 400 invalid_rules)'
            : 'Rule overrides (kinds, indicators, scenarios, questions, min_points), as an object or its JSON text',
        },
        digest: { enum: ['daily', null], description: 'One delivery a day instead of one per alert' },
        admin: { type: 'boolean', description: 'Also receive the instance alerts (feeds failing)' },
      },
    },
    { email: str, rules: { ...str, description: 'Rule overrides as JSON text' }, digest: { const: 'daily' } },
  );
const subscriberAdded = (notFound?: string) => ({
  200: jsonAnswer('WebhookSubscriberAdded', 'An existing webhook subscriber, updated'),
  201: {
    description: 'Added: an email subscriber, or a webhook one',
    content: {
      'application/json': { schema: { oneOf: [ref('SubscriberAdded'), ref('WebhookSubscriberAdded')] } },
    },
  },
  400: bad('bad_body, bad_email, bad_digest, bad_webhook, invalid_rules, invalid_webhook'),
  409: conflict('exists: a subscriber with this address exists'),
  ...guarded(notFound),
});

export const ADMIN_PATHS = {
  '/api/v1/admin/feeds': {
    get: {
      summary: 'Admin: every feed, removed ones included',
      security,
      responses: { 200: jsonAnswer('AdminFeeds', 'The feeds'), ...guarded() },
    },
    post: {
      summary: 'Admin: add a feed (http or https; private addresses refused unless ALLOW_PRIVATE_FEEDS=1)',
      security,
      requestBody: body(
        {
          type: 'object',
          required: ['url'],
          properties: {
            url: str,
            name: str,
            tier: { type: 'integer', minimum: 1, maximum: 5, default: 3 },
            schedule: nullable('string', { description: 'A cron expression (UTC) saying when to poll it' }),
          },
        },
        { url: str, name: str, tier: { enum: ['1', '2', '3', '4', '5'] }, schedule: str },
      ),
      responses: {
        201: jsonAnswer('FeedAdded', 'Added'),
        400: bad('bad_body, bad_url, bad_tier, bad_schedule'),
        409: conflict('exists: the feed is already active'),
        ...guarded(),
      },
    },
  },
  '/api/v1/admin/feeds/{id}': {
    delete: {
      summary: 'Admin: mark a feed removed (its articles stay)',
      security,
      parameters: [pathId('The feed id (plain decimal digits)')],
      responses: {
        200: jsonAnswer('FeedRemoved', 'Removed'),
        400: bad('bad_id'),
        ...guarded('no active feed with this id'),
      },
    },
  },
  '/api/v1/admin/ingest': {
    post: {
      summary: 'Admin: run an ingest now (a web instance queues it for the workers)',
      security,
      responses: {
        202: jsonAnswer('Ingested', 'Done, or queued'),
        501: errorAnswer('not_available: the server was started without ingestion wired in'),
        ...guarded(),
      },
    },
  },
  '/api/v1/admin/resolutions': {
    post: {
      summary: 'Admin: record how a scenario of the default question resolved',
      security,
      requestBody: resolutionBody,
      responses: resolutionResponses(),
    },
  },
  '/api/v1/admin/subscribers': {
    get: {
      summary: 'Admin: every subscriber, unsubscribed ones included',
      security,
      responses: { 200: jsonAnswer('AdminSubscribers', 'The subscribers'), ...guarded() },
    },
    post: {
      summary: 'Admin: add an email subscriber, or add or update a webhook one',
      security,
      requestBody: subscriberBody(false),
      responses: subscriberAdded(),
    },
  },
  '/api/v1/admin/subscribers/{id}': {
    delete: {
      summary: 'Admin: unsubscribe a subscriber from every question',
      security,
      parameters: [pathId('The subscriber id (plain decimal digits)')],
      responses: {
        200: jsonAnswer('SubscriberUnsubscribed', 'Unsubscribed'),
        400: bad('bad_id'),
        ...guarded('no active subscriber with this id'),
      },
    },
  },
  '/api/v1/questions/{question}/admin/resolutions': {
    post: {
      summary: 'Admin, one question: record how one of its scenarios resolved',
      security,
      parameters: [questionParam],
      requestBody: resolutionBody,
      responses: resolutionResponses(unknownQuestion),
    },
  },
  '/api/v1/questions/{question}/admin/subscribers': {
    get: {
      summary: 'Admin, one question: the active subscribers that receive its alerts',
      security,
      parameters: [questionParam],
      responses: { 200: jsonAnswer('QuestionSubscribers', 'The subscribers'), ...guarded(unknownQuestion) },
    },
    post: {
      summary: 'Admin, one question: add a subscriber limited to it (its questions rule names this question alone)',
      security,
      parameters: [questionParam],
      requestBody: subscriberBody(true),
      responses: subscriberAdded(unknownQuestion),
    },
  },
  '/api/v1/questions/{question}/admin/subscribers/{id}': {
    delete: {
      summary:
        "Admin, one question: stop its alerts to one subscriber, keeping the subscriber's other questions (none left: unsubscribed, unless an admin)",
      security,
      parameters: [questionParam, pathId('The subscriber id (plain decimal digits)')],
      responses: {
        200: jsonAnswer('QuestionSubscriberRemoved', 'Removed from the question'),
        400: bad('bad_id'),
        ...guarded(`${unknownQuestion}, no active subscriber with this id, or one that does not receive the question`),
      },
    },
  },
};
