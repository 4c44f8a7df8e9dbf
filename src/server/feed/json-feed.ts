// JSON Feed 1.1 (/feed.json): one item per event (each alert once; a significant move only when no
// alert covers it), item links to real pages, icon, favicon, authors, and the `_bellwether` extension.
import type { Hono } from 'hono';
import { type AlertView, listAlerts } from '../../alerts/queries.ts';
import { ALERT_KIND_NAMES, type StoryLink } from '../../alerts/types.ts';
import type { Pack } from '../../pack/schema.ts';
import type { SnapshotPoint } from '../../scenarios/snapshots.ts';
import { snapshotHistory } from '../../scenarios/snapshots.ts';
import type { ServerContext } from '../deps.ts';
import { sendCached } from '../http/cached.ts';

export interface BellwetherExtension {
  about: string;
  kind: string;
  kind_name: string;
  /** The question (pack id) the item is about. */
  question: string;
  probabilities: Record<string, number> | null;
  scenario?: string;
  change?: number;
  stories: StoryLink[];
}

export interface FeedItem {
  id: string;
  url: string;
  title: string;
  content_text: string;
  content_html: string;
  date_published: string;
  tags: string[];
  _bellwether: BellwetherExtension;
}

// content_html is built here, and only here, from text: every piece of text is escaped, and the only markup
// is <p>, <ul>, <li> and <a href> with an http(s) URL (escaped too). No HTML from a feed ever reaches it
// (ingest keeps text only), so there is nothing for an HTML sanitiser to remove (json-feed.test.ts parses
// the output of hostile input to prove it).
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
/** Text → paragraphs of escaped text. */
export const toSafeHtml = (text: string): string =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('');

/** Snapshots where a scenario moved ≥ points within `hours`; one item per scenario per window. */
export function significantMoves(
  history: SnapshotPoint[],
  pack: Pack,
): { snapshot: SnapshotPoint; scenario: string; change: number }[] {
  const { points, hours } = pack.alerts.probability_move;
  const windowMs = hours * 3_600_000;
  const lastEmitted = new Map<string, number>();
  const out: { snapshot: SnapshotPoint; scenario: string; change: number }[] = [];
  let refIndex = 0;
  for (const s of history) {
    const t = Date.parse(s.at);
    while (refIndex + 1 < history.length && Date.parse(history[refIndex + 1]!.at) <= t - windowMs) refIndex++;
    const ref = history[refIndex]!;
    if (Date.parse(ref.at) > t - windowMs || ref === s) continue;
    for (const sc of pack.scenarios) {
      const a = ref.probabilities[sc.id];
      const b = s.probabilities[sc.id];
      if (a === undefined || b === undefined || Math.abs(b - a) * 100 < points) continue;
      const prev = lastEmitted.get(sc.id);
      if (prev !== undefined && t - prev < windowMs) continue;
      lastEmitted.set(sc.id, t);
      out.push({ snapshot: s, scenario: sc.id, change: b - a });
    }
  }
  return out;
}

const storiesHtml = (stories: StoryLink[]): string => {
  const safe = stories.filter((s) => s.url && /^https?:\/\//i.test(s.url));
  return safe.length === 0
    ? ''
    : `<ul>${safe.map((s) => `<li><a href="${escapeHtml(s.url!)}">${escapeHtml(s.title)}</a></li>`).join('')}</ul>`;
};

export function buildJsonFeed(pack: Pack, baseUrl: string, alerts: AlertView[], history: SnapshotPoint[]) {
  const about = `${baseUrl}/about/feed-extension`;
  const byId = new Map(history.map((h) => [h.id, h.probabilities]));
  const names = new Map(pack.scenarios.map((s) => [s.id, s.name]));
  const items: FeedItem[] = alerts.map((a) => ({
    id: `${baseUrl}/alerts/${a.id}`,
    url: `${baseUrl}/alerts/${a.id}`,
    title: a.title,
    content_text: a.body,
    content_html: toSafeHtml(a.body) + storiesHtml(a.data.stories),
    date_published: a.createdAt,
    tags: [ALERT_KIND_NAMES[a.kind] ?? a.kind],
    _bellwether: {
      about,
      kind: a.kind,
      kind_name: ALERT_KIND_NAMES[a.kind] ?? a.kind,
      question: a.data.questionId ?? pack.id,
      probabilities:
        a.snapshotId !== null
          ? (byId.get(a.snapshotId) ?? a.data.probabilities ?? null)
          : (a.data.probabilities ?? null),
      ...(a.data.scenarioId ? { scenario: a.data.scenarioId } : {}),
      ...(a.data.points !== undefined ? { change: a.data.points / 100 } : {}),
      stories: a.data.stories,
    },
  }));
  // A move an alert already reported (same snapshot and scenario) is not a second item.
  const alerted = new Set(
    alerts.filter((a) => a.kind === 'probability_move').map((a) => `${a.snapshotId}|${a.data.scenarioId ?? ''}`),
  );
  for (const m of significantMoves(history, pack)) {
    if (alerted.has(`${m.snapshot.id}|${m.scenario}`)) continue;
    const name = names.get(m.scenario) ?? m.scenario;
    const day = m.snapshot.at.slice(0, 10);
    const text = `${name} ${m.change > 0 ? 'rose' : 'fell'} ${Math.abs(m.change * 100).toFixed(1)} points within ${pack.alerts.probability_move.hours} h, to ${((m.snapshot.probabilities[m.scenario] ?? 0) * 100).toFixed(1)}%.`;
    items.push({
      id: `${baseUrl}/days/${day}#move-${m.scenario}-${m.snapshot.id}`,
      url: `${baseUrl}/days/${day}`,
      title: `${name}: ${m.change > 0 ? '+' : '−'}${Math.abs(m.change * 100).toFixed(1)} pts`,
      content_text: text,
      content_html: toSafeHtml(text),
      date_published: m.snapshot.at,
      tags: [ALERT_KIND_NAMES.probability_move],
      _bellwether: {
        about,
        kind: 'probability_move',
        kind_name: ALERT_KIND_NAMES.probability_move,
        question: pack.id,
        probabilities: m.snapshot.probabilities,
        scenario: m.scenario,
        change: m.change,
        stories: [],
      },
    });
  }
  items.sort((a, b) => (a.date_published < b.date_published ? 1 : a.date_published > b.date_published ? -1 : 0));
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: `Bellwether: ${pack.title}`,
    home_page_url: `${baseUrl}/`,
    feed_url: `${baseUrl}/feed.json`,
    description: pack.question,
    icon: `${baseUrl}/static/icon.png`,
    favicon: `${baseUrl}/static/favicon.png`,
    authors: [{ name: `Bellwether (${pack.title})`, url: `${baseUrl}/` }],
    language: 'en',
    _bellwether: { about, pack: pack.id },
    items: items.slice(0, 100),
  };
}

export function registerJsonFeed(app: Hono, ctx: ServerContext): void {
  const { deps, cache } = ctx;
  const pack = deps.pack.pack;
  app.get('/feed.json', async (c) => {
    const now = ctx.now();
    const alertsMax =
      (
        await deps.db
          .selectFrom('alerts')
          .select((eb) => eb.fn.max('id').as('m'))
          .where('pack_id', '=', pack.id)
          .executeTakeFirst()
      )?.m ?? 0;
    const key = `${await cache.version()}:${alertsMax}`;
    const body = await cache.get('feed.json', key, async () => {
      const history = await snapshotHistory(
        deps.db,
        pack.id,
        new Date(now.getTime() - 90 * 86_400_000).toISOString(),
        '9999-12-31T23:59:59.999Z',
      );
      return JSON.stringify(
        buildJsonFeed(
          pack,
          deps.config.baseUrl,
          await listAlerts(deps.db, { packId: pack.id, limit: 50, withDelivery: false }),
          history,
        ),
      );
    });
    return sendCached(c, body, 'application/feed+json; charset=utf-8', `W/"feed-${key}"`);
  });
}
