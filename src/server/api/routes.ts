// JSON API under /api/v1: scenarios, history, indicators, evidence, feeds, alerts, and the SSE stream.
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ServerContext } from '../deps.ts';
import { sendCached } from '../http/cached.ts';
import { ApiError } from '../http/errors.ts';
import { cachedIndicatorRows } from '../model/indicators.ts';
import { cachedOverview } from '../model/overview.ts';
import { decodeCursor, evidencePage } from '../queries/evidence.ts';
import { listAlerts } from '../../alerts/queries.ts';
import { ALERT_KIND_NAMES } from '../../alerts/types.ts';
import { pageBefore } from '../http/paging.ts';
import { listFeeds } from '../../ingest/feeds.ts';
import { explainStoredScenario, whatChangedOn } from '../../scenarios/explanations.ts';
import { latestSnapshot, snapshotById, snapshotHistory } from '../../scenarios/snapshots.ts';
import { toCsv } from './csv.ts';
import { marketSourceKey } from '../../pack/load.ts';
import { marketSeries } from '../../scenarios/market.ts';
import { OPENAPI } from './openapi.ts';
import { cachedWatch } from '../model/watch.ts';
import { watchForScenario } from '../../scenarios/watch.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
const isoOrNull = (v: string | undefined): string | null | undefined => {
  if (v === undefined || v === '') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

export function registerApi(app: Hono, ctx: ServerContext): void {
  const { deps, cache } = ctx;
  const pack = deps.pack.pack;
  const openapiText = JSON.stringify(OPENAPI);

  app.get('/api/openapi.json', (c) =>
    sendCached(c, openapiText, JSON_TYPE, `"openapi-${deps.version}"`, 'public, max-age=300'),
  );

  app.get('/api/v1/scenarios', async (c) => {
    const now = ctx.now();
    const key = `${await cache.version()}:${Math.floor(now.getTime() / 60_000)}`;
    const body = await cache.get('api:scenarios', key, async () => {
      const m = await cachedOverview(ctx, key, now);
      return JSON.stringify({
        question: m.question,
        horizon: m.horizon,
        closed: m.closed,
        attention: m.attention,
        asOf: m.asOf,
        scenarios: m.scenarios.map((s) => ({
          id: s.id,
          name: s.name,
          probability: s.probability,
          change24h: s.change24h,
          change7d: s.change7d,
          deadline: s.deadline,
          deadlinePassed: s.deadlinePassed,
          resolved: s.resolved,
          outcome: s.outcome,
          resolution: s.resolution
            ? {
                outcome: s.resolution.outcome,
                resolvedAt: s.resolution.resolvedAt,
                resolvedBy: s.resolution.resolvedBy,
                note: s.resolution.note,
              }
            : null,
        })),
      });
    });
    return sendCached(c, body, JSON_TYPE, `W/"sc-${key}"`);
  });

  // One scenario's stories for and against, with the exact probability without each story.
  app.get('/api/v1/scenarios/:id/explanation', async (c) => {
    const id = c.req.param('id');
    if (!pack.scenarios.some((s) => s.id === id)) throw new ApiError(404, 'not_found', `unknown scenario "${id}"`);
    const wanted = c.req.query('snapshot');
    const snapshotId = wanted === undefined ? null : Number(wanted);
    if (snapshotId !== null && !(Number.isSafeInteger(snapshotId) && snapshotId > 0))
      throw badRequest('snapshot must be a positive integer');
    const snapshot =
      snapshotId === null ? await latestSnapshot(deps.db, pack.id) : await snapshotById(deps.db, pack.id, snapshotId);
    if (!snapshot) throw new ApiError(404, 'not_found', snapshotId === null ? 'no snapshot yet' : 'no such snapshot');
    const e = await explainStoredScenario(deps.db, snapshot, id);
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({ snapshot: { id: snapshot.id, at: snapshot.at }, ...e });
  });

  // What changed on one UTC day: the stories that moved the forecast, with their push per scenario.
  app.get('/api/v1/days/:day', async (c) => {
    const day = c.req.param('day');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw badRequest('day must be YYYY-MM-DD');
    const moved = await whatChangedOn(deps.db, pack.id, day);
    if (!moved) throw new ApiError(404, 'not_found', `no snapshot on ${day}`);
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({
      day,
      from: moved.from ? { id: moved.from.id, at: moved.from.at, probabilities: moved.from.probabilities } : null,
      to: { id: moved.to.id, at: moved.to.at, probabilities: moved.to.probabilities },
      change: moved.change,
      stories: moved.stories.map(({ movers, ...s }) => ({
        ...s,
        tags: movers.map((m) => ({
          indicatorId: m.indicatorId,
          polarity: m.polarity,
          modality: m.modality,
          status: m.status,
        })),
      })),
    });
  });

  // What to watch: what one new, well-sourced story of each indicator would do to each scenario now.
  app.get('/api/v1/watch', async (c) => {
    const scenario = c.req.query('scenario') || undefined;
    if (scenario !== undefined && !pack.scenarios.some((s) => s.id === scenario))
      throw badRequest(`unknown scenario "${scenario}"`);
    const m = await cachedWatch(ctx, ctx.now());
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({
      at: m.at,
      probe: m.probe,
      probabilities: m.probabilities,
      scenario: scenario ?? null,
      rows: scenario === undefined ? m.rows : watchForScenario(m, scenario),
    });
  });

  app.get('/api/v1/history', async (c) => {
    const from = isoOrNull(c.req.query('from'));
    const to = isoOrNull(c.req.query('to'));
    if (from === null || to === null) throw badRequest('from and to must be ISO-8601 dates');
    const toIso = to ?? '9999-12-31T23:59:59.999Z';
    const fromIso = from ?? new Date(Date.parse(to ?? ctx.now().toISOString()) - 366 * 86_400_000).toISOString();
    const points = await snapshotHistory(deps.db, pack.id, fromIso, toIso, 10_000);
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({ points: points.map((p) => ({ t: p.at, probabilities: p.probabilities })) });
  });

  // The market or crowd series beside the model: the pack's recorded points and the polled ones.
  app.get('/api/v1/market', async (c) => {
    const from = isoOrNull(c.req.query('from'));
    const to = isoOrNull(c.req.query('to'));
    if (from === null || to === null) throw badRequest('from and to must be ISO-8601 dates');
    const points = await marketSeries(deps.db, pack, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({
      sources: pack.market_sources.map((m) => ({
        key: marketSourceKey(m),
        kind: m.kind,
        scenario: m.scenario,
        everyMinutes: m.every_minutes,
      })),
      points: points.map((p) => ({
        t: p.at,
        scenario: p.scenario,
        probability: p.probability,
        source: p.source,
        url: p.url,
        origin: p.origin,
      })),
    });
  });

  // Exports: the same data as the JSON endpoints, as CSV (linked from the pages).
  const csv = (c: Context, name: string, body: string) => {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${pack.id}-${name}.csv"`);
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.body(body);
  };

  app.get('/api/v1/history.csv', async (c) => {
    const from = isoOrNull(c.req.query('from'));
    const to = isoOrNull(c.req.query('to'));
    if (from === null || to === null) throw badRequest('from and to must be ISO-8601 dates');
    const toIso = to ?? '9999-12-31T23:59:59.999Z';
    const fromIso = from ?? new Date(Date.parse(to ?? ctx.now().toISOString()) - 366 * 86_400_000).toISOString();
    const points = await snapshotHistory(deps.db, pack.id, fromIso, toIso, 10_000);
    const ids = pack.scenarios.map((s) => s.id);
    return csv(
      c,
      'history',
      toCsv(
        ['t', ...ids],
        points.map((p) => [p.at, ...ids.map((id) => p.probabilities[id] ?? null)]),
      ),
    );
  });

  app.get('/api/v1/evidence.csv', async (c) => {
    const indicator = c.req.query('indicator') || undefined;
    if (indicator && !pack.indicators.some((i) => i.id === indicator))
      throw badRequest(`unknown indicator "${indicator}"`);
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? 5000 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50_000) throw badRequest('limit must be an integer 1-50000');
    const page = await evidencePage(deps.db, pack.id, { indicator, limit, cursor: null });
    const rows = page.items.flatMap((it) =>
      it.tags.map((t) => [
        it.publishedAt,
        it.articleId,
        it.title,
        it.url,
        it.feedName,
        it.clusterId,
        it.sourceCount,
        t.indicatorId,
        t.polarity,
        t.modality,
        t.confidence,
        t.snippet,
        t.numbers ? t.numbers.map((n) => `${n.value} ${n.unit}`).join('; ') : null,
      ]),
    );
    const header = [
      'published_at',
      'article_id',
      'title',
      'url',
      'feed',
      'cluster_id',
      'sources',
      'indicator',
      'polarity',
      'modality',
      'confidence',
      'snippet',
      'numbers',
    ];
    return csv(c, 'evidence', toCsv(header, rows));
  });

  app.get('/api/v1/alerts.csv', async (c) => {
    const alerts = await listAlerts(deps.db, { packId: pack.id, limit: 10_000, withDelivery: false });
    const base = deps.config.baseUrl;
    const rows = alerts.map((a) => [
      a.id,
      a.createdAt,
      a.kind,
      ALERT_KIND_NAMES[a.kind] ?? a.kind,
      a.title,
      a.data.scenarioId ?? null,
      a.data.stories.map((s) => s.url ?? s.title).join(' | ') || null,
      `${base}/alerts/${a.id}`,
    ]);
    return csv(
      c,
      'alerts',
      toCsv(['id', 'created_at', 'kind', 'kind_name', 'title', 'scenario', 'stories', 'url'], rows),
    );
  });

  app.get('/api/v1/indicators', async (c) => {
    const rows = await cachedIndicatorRows(ctx, ctx.now());
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({
      indicators: rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        state: r.state,
        lastSignal: r.lastSignal,
        daily: r.daily,
        level: r.level,
      })),
    });
  });

  app.get('/api/v1/evidence', async (c) => {
    const indicator = c.req.query('indicator') || undefined;
    if (indicator && !pack.indicators.some((i) => i.id === indicator))
      throw badRequest(`unknown indicator "${indicator}"`);
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be an integer 1-100');
    const cursor = c.req.query('cursor') || null;
    if (cursor && !decodeCursor(cursor)) throw badRequest('invalid cursor');
    const page = await evidencePage(deps.db, pack.id, { indicator, limit, cursor });
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json(page);
  });

  app.get('/api/v1/feeds', async (c) => {
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({ feeds: await listFeeds(deps.db) });
  });

  app.get('/api/v1/alerts', async (c) => {
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badRequest('limit must be an integer 1-200');
    const before = pageBefore(c.req.query('before'));
    if (before === null) throw badRequest('before must be a positive integer (an alert id)');
    const rows = await listAlerts(deps.db, {
      packId: pack.id,
      limit: limit + 1,
      beforeId: before,
      withDelivery: false,
    });
    const alerts = rows.slice(0, limit);
    c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    return c.json({
      alerts: alerts.map(({ delivery: _d, packId: _p, ...a }) => ({ ...a, kindName: ALERT_KIND_NAMES[a.kind] })),
      nextBefore: rows.length > limit ? alerts[alerts.length - 1]!.id : null,
    });
  });

  // Server-sent events: the id of the newest snapshot now and whenever it changes.
  app.get('/api/v1/stream', (c) => {
    c.header('Cache-Control', 'no-store');
    return streamSSE(c, async (stream) => {
      let last = '';
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const s = await latestSnapshot(deps.db, pack.id);
        const id = String(s?.id ?? '');
        if (id !== last) {
          last = id;
          await stream.writeSSE({
            event: 'snapshot',
            data: JSON.stringify({ id: s?.id ?? null, at: s?.at ?? null, probabilities: s?.probabilities ?? {} }),
          });
        } else {
          await stream.write(': keep-alive\n\n');
        }
        await stream.sleep(deps.streamIntervalMs ?? 5000);
      }
    });
  });
}
