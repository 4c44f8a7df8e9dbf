// Dashboard routes: overview, scenario, indicators, evidence, feeds, alerts, and the static assets.
import type { Hono } from 'hono';
import { iconPng } from './assets/icon.ts';
import { LIVE_JS } from './assets/live.ts';
import { STYLE_CSS } from './assets/style.ts';
import type { ServerContext } from './deps.ts';
import { sendCached } from './http/cached.ts';
import { pageBefore } from './http/paging.ts';
import { cachedIndicatorRows } from './model/indicators.ts';
import { dataNotices } from './model/notices.ts';
import { cachedOverview, largestMoves, withHeadlines } from './model/overview.ts';
import { questionSummaries } from './questions/model.ts';
import { explainStoredScenario, whatChangedOn } from '../scenarios/explanations.ts';
import { evidencePage } from './queries/evidence.ts';
import { alertById, listAlerts } from '../alerts/queries.ts';
import { listFeeds } from '../ingest/feeds.ts';
import { questionState } from '../scenarios/question-state.ts';
import { listResolutions } from '../scenarios/resolutions.ts';
import { latestSnapshot, snapshotById, snapshotHistory } from '../scenarios/snapshots.ts';
import { DayPage } from './views/day.tsx';
import { EvidenceStreamPage } from './views/evidence.tsx';
import { IndicatorsPage } from './views/indicators.tsx';
import { OverviewPage } from './views/overview.tsx';
import { ScenarioPage } from './views/scenario.tsx';
import { AlertPage, AlertsPage } from './views/alerts.tsx';
import { FeedExtensionPage } from './views/feed-extension.tsx';
import { FeedsPage } from './views/tables.tsx';
import { cachedWatch } from './model/watch.ts';
import { marketSeries } from '../scenarios/market.ts';

const HTML = 'text/html; charset=utf-8';
const render = async (node: unknown): Promise<string> =>
  `<!DOCTYPE html>${await (node as { toString(): string | Promise<string> }).toString()}`;
const minute = (d: Date) => Math.floor(d.getTime() / 60_000);
/** Alerts per page on /alerts. */
export const ALERTS_PAGE = 25;

export function registerPages(app: Hono, ctx: ServerContext): void {
  const { deps, cache } = ctx;
  const pack = deps.pack.pack;

  app.get('/static/style.css', (c) =>
    sendCached(c, STYLE_CSS, 'text/css; charset=utf-8', `"css-${deps.version}"`, 'public, max-age=3600'),
  );
  const icons = { '/static/icon.png': iconPng(512), '/static/favicon.png': iconPng(64) };
  for (const [path, png] of Object.entries(icons))
    app.get(path, (c) =>
      sendCached(c, new Uint8Array(png), 'image/png', `"png-${deps.version}"`, 'public, max-age=86400'),
    );

  app.get('/about/feed-extension', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.html(`<!DOCTYPE html>${FeedExtensionPage().toString()}`);
  });

  app.get('/static/live.js', (c) =>
    sendCached(c, LIVE_JS, 'text/javascript; charset=utf-8', `"js-${deps.version}"`, 'public, max-age=3600'),
  );

  app.get('/', async (c) => {
    const now = ctx.now();
    // Countdowns and "ago" change by the minute: the cached page is keyed on data version + minute.
    const key = `${await cache.version()}:${minute(now)}`;
    const html = await cache.get('page:/', key, async () =>
      render(
        OverviewPage({
          model: await cachedOverview(ctx, key, now),
          watch: await cachedWatch(ctx, now),
          now,
          // Several questions (PACKS): the live ones are listed, each linking to its own pages.
          ...(deps.questions && deps.questions.length > 1
            ? { questions: (await questionSummaries(deps.db, deps.questions, now)).filter((q) => !q.closed) }
            : {}),
          current: pack.id,
        }),
      ),
    );
    return sendCached(c, html, HTML, `W/"ov-${key}"`);
  });

  app.get('/scenarios/:id', async (c) => {
    const index = pack.scenarios.findIndex((s) => s.id === c.req.param('id'));
    const scenario = pack.scenarios[index];
    if (!scenario) return c.notFound();
    const now = ctx.now();
    const latest = await latestSnapshot(deps.db, pack.id);
    const wanted = Number(c.req.query('snapshot'));
    const snapshot = Number.isSafeInteger(wanted) && wanted > 0 ? await snapshotById(deps.db, pack.id, wanted) : latest;
    if (!snapshot && c.req.query('snapshot')) return c.notFound();
    // A snapshot's contributions never change: its explanation is kept until the data version moves.
    const explained = snapshot
      ? await cache.get(`explain:${scenario.id}`, `${await cache.version()}:${snapshot.id}`, () =>
          explainStoredScenario(deps.db, snapshot, scenario.id),
        )
      : null;
    const to = snapshot ? snapshot.at : now.toISOString();
    const history = await snapshotHistory(
      deps.db,
      pack.id,
      new Date(Date.parse(latest?.at ?? to) - 90 * 86_400_000).toISOString(),
      latest?.at ?? to,
    );
    const state = questionState(pack, await listResolutions(deps.db, pack.id), now);
    const page = ScenarioPage({
      scenario,
      index,
      snapshot,
      latestId: latest?.id ?? null,
      explained,
      history,
      // Headlines read two snapshots' contributions per move: cached until the data changes.
      moves: await cache.get(`moves:${scenario.id}`, await cache.version(), () =>
        withHeadlines(deps.db, largestMoves(history, [scenario.id], 5), history),
      ),
      market:
        history.length > 0
          ? (await marketSeries(deps.db, pack, { from: history[0]!.at, to: latest?.at ?? to })).filter(
              (m) => m.scenario === scenario.id,
            )
          : [],
      indicatorNames: new Map(pack.indicators.map((i) => [i.id, i.name])),
      resolved: state.scenarios[index]!.resolution,
      deadlinePassed: state.scenarios[index]!.deadlinePassed,
      notices: state.attention,
      watch: await cachedWatch(ctx, now),
      now,
    });
    c.header('Cache-Control', 'no-cache');
    return c.html(await render(page));
  });

  app.get('/days/:day', async (c) => {
    const day = c.req.param('day');
    const t = Date.parse(`${day}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(t)) return c.notFound();
    const shift = (n: number) => new Date(t + n * 86_400_000).toISOString().slice(0, 10);
    const page = DayPage({
      day,
      moved: await whatChangedOn(deps.db, pack.id, day),
      scenarios: pack.scenarios,
      indicatorNames: new Map(pack.indicators.map((i) => [i.id, i.name])),
      prevDay: shift(-1),
      nextDay: shift(1),
      latestId: await latestId(ctx),
    });
    c.header('Cache-Control', 'no-cache');
    return c.html(await render(page));
  });

  app.get('/indicators', async (c) => {
    const now = ctx.now();
    const rows = await cachedIndicatorRows(ctx, now);
    c.header('Cache-Control', 'no-cache');
    return c.html(
      await render(IndicatorsPage({ rows, quietDays: pack.alerts.quiet_days, now, snapshotId: await latestId(ctx) })),
    );
  });

  app.get('/evidence', async (c) => {
    const selected = c.req.query('indicator') ?? '';
    const indicator = pack.indicators.some((i) => i.id === selected) ? selected : '';
    const page = await evidencePage(deps.db, pack.id, {
      indicator: indicator || undefined,
      limit: 30,
      cursor: c.req.query('cursor') ?? null,
    });
    c.header('Cache-Control', 'no-cache');
    return c.html(
      await render(
        EvidenceStreamPage({ page, indicators: pack.indicators, selected: indicator, snapshotId: await latestId(ctx) }),
      ),
    );
  });

  app.get('/feeds', async (c) => {
    c.header('Cache-Control', 'no-cache');
    const feeds = await listFeeds(deps.db);
    const story = await deps.db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
    return c.html(
      await render(
        FeedsPage({
          feeds,
          now: ctx.now(),
          snapshotId: await latestId(ctx),
          notices: dataNotices(feeds, story !== undefined),
        }),
      ),
    );
  });

  app.get('/alerts', async (c) => {
    const before = pageBefore(c.req.query('before'));
    if (before === null) return c.notFound();
    const rows = await listAlerts(deps.db, {
      packId: pack.id,
      limit: ALERTS_PAGE + 1,
      beforeId: before,
      withDelivery: false,
    });
    const alerts = rows.slice(0, ALERTS_PAGE);
    c.header('Cache-Control', 'no-cache');
    return c.html(
      await render(
        AlertsPage({
          alerts,
          next: rows.length > ALERTS_PAGE ? alerts[alerts.length - 1]!.id : null,
          first: before === undefined,
          snapshotId: await latestId(ctx),
        }),
      ),
    );
  });

  app.get('/alerts/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const alert = Number.isSafeInteger(id) && id > 0 ? await alertById(deps.db, id) : null;
    if (!alert || alert.packId !== pack.id) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    return c.html(await render(AlertPage({ alert, snapshotId: await latestId(ctx) })));
  });
}

async function latestId(ctx: ServerContext): Promise<number | null> {
  return (await latestSnapshot(ctx.deps.db, ctx.deps.pack.pack.id))?.id ?? null;
}
