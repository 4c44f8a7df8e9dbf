// Unit tests for JSON Feed building: significant moves, stable ids, sanitised HTML.
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { packSchema } from '../../pack/schema.ts';
import type { AlertView } from '../../alerts/queries.ts';
import { buildJsonFeed, significantMoves, toSafeHtml } from './json-feed.ts';

const pack = packSchema.parse({
  id: 'p',
  title: 'T',
  question: 'Q?',
  horizon: '2027-01-31',
  scenarios: [
    { id: 'a', name: 'A', prior: 0.5, resolution: 'r' },
    { id: 'b', name: 'B', prior: 0.5, resolution: 'r' },
  ],
  indicators: [{ id: 'i', name: 'I', likelihoods: { a: 2, b: 1 } }],
  alerts: { probability_move: { points: 10, hours: 24 } },
});
const snap = (id: number, hour: number, a: number) => ({
  id,
  at: new Date(Date.UTC(2026, 10, 1, hour)).toISOString(),
  probabilities: { a, b: 1 - a },
});

describe('significantMoves', () => {
  it('fires when a scenario moved ≥ points within the window, once per window per scenario', () => {
    const h = [snap(1, 0, 0.5), snap(2, 12, 0.52), snap(3, 24, 0.65), snap(4, 30, 0.7), snap(5, 60, 0.71)];
    const moves = significantMoves(h, pack);
    expect(moves.map((m) => [m.snapshot.id, m.scenario])).toEqual([
      [3, 'a'],
      [3, 'b'],
    ]);
  });

  it('stays quiet below the threshold', () => {
    expect(significantMoves([snap(1, 0, 0.5), snap(2, 24, 0.59)], pack)).toEqual([]);
  });
});

const alert = (id: number, over: Partial<AlertView> = {}): AlertView => ({
  id,
  packId: 'p',
  kind: 'indicator_shift',
  ruleKey: 'r',
  title: '<img src=x onerror=alert(1)>',
  body: '<script>alert(1)</script>\n\n<a href="javascript:x">y</a>',
  data: {
    probabilities: {},
    previous: null,
    scenarioNames: {},
    shifted: [],
    stories: [
      { title: 'Talks <b>resume</b>', url: 'https://news.example/1', publishedAt: '2026-11-02T00:00:00.000Z' },
      { title: 'Bad link', url: 'javascript:alert(1)', publishedAt: '2026-11-02T00:00:00.000Z' },
    ],
  },
  snapshotId: null,
  createdAt: '2026-11-02T00:00:00.000Z',
  delivery: { sent: 0, pending: 0, sending: 0, failed: 0, lastError: null },
  ...over,
});

describe('buildJsonFeed', () => {
  const history = [snap(1, 0, 0.5), snap(2, 24, 0.7)];

  it('links items to real pages, names kinds in words, sanitises content and lists the stories', () => {
    const feed = buildJsonFeed(pack, 'https://b.example', [alert(7)], history);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://b.example/alerts/7',
      'https://b.example/days/2026-11-02',
      'https://b.example/days/2026-11-02',
    ]);
    const item = feed.items[0]!;
    expect(item.tags).toEqual(['Signal changed']);
    expect(item.content_html).not.toMatch(/<script|<img|<a [^>]*href="javascript:/);
    expect(item.content_html).toContain('&lt;script&gt;');
    expect(item.content_html).toContain('<a href="https://news.example/1">Talks &lt;b&gt;resume&lt;/b&gt;</a>');
    expect(item._bellwether).toMatchObject({
      about: 'https://b.example/about/feed-extension',
      kind: 'indicator_shift',
    });
    expect(feed.items[1]!._bellwether).toMatchObject({
      kind: 'probability_move',
      scenario: 'a',
      probabilities: { a: 0.7 },
    });
    expect(feed).toMatchObject({
      icon: 'https://b.example/static/icon.png',
      favicon: 'https://b.example/static/favicon.png',
      authors: [{ name: 'Bellwether (T)', url: 'https://b.example/' }],
      _bellwether: { about: 'https://b.example/about/feed-extension' },
    });
  });

  it('reports each move once: an alert that covers it replaces the derived item', () => {
    const moveAlert = alert(8, {
      kind: 'probability_move',
      snapshotId: 2,
      data: { ...alert(8).data, scenarioId: 'a', points: 20 },
    });
    const feed = buildJsonFeed(pack, 'https://b.example', [moveAlert], history);
    const moves = feed.items.filter((i) => i._bellwether.kind === 'probability_move');
    expect(moves.map((i) => i._bellwether.scenario)).toEqual(['a', 'b']);
    expect(moves.find((i) => i._bellwether.scenario === 'a')!.url).toBe('https://b.example/alerts/8');
    expect(moves.find((i) => i._bellwether.scenario === 'a')!._bellwether.change).toBeCloseTo(0.2, 12);
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length);
  });

  it('toSafeHtml keeps paragraphs and escapes everything else', () => {
    expect(toSafeHtml('a & b\n\n<b>c</b>')).toBe('<p>a &amp; b</p><p>&lt;b&gt;c&lt;/b&gt;</p>');
  });

  it('content_html is inert by construction: parsed, it holds only p, ul, li and a[href] with an http(s) URL', () => {
    const hostile = alert(9, {
      body: '"><img src=x onerror=alert(1)>\n\n<svg onload=alert(1)></svg> &lt;script&gt; <!-- x --> <iframe src=//e>',
      data: {
        ...alert(9).data,
        stories: [
          { title: '"><script>alert(1)</script>', url: 'https://e.example/"onmouseover="alert(1)', publishedAt: 'x' },
          { title: 'entity', url: 'https://e.example/?a=1&b=<x>', publishedAt: 'x' },
          { title: 'js', url: 'JaVaScRiPt:alert(1)', publishedAt: 'x' },
          { title: 'data', url: 'data:text/html,<script>alert(1)</script>', publishedAt: 'x' },
        ],
      },
    });
    const html = buildJsonFeed(pack, 'https://b.example', [hostile], []).items[0]!.content_html;
    const $ = load(html, null, false);
    const tags = new Set(
      $('*')
        .map((_, el) => (el as { tagName: string }).tagName)
        .get(),
    );
    expect([...tags].sort()).toEqual(['a', 'li', 'p', 'ul']);
    $('*').each((_, el) => {
      const attribs = (el as { attribs: Record<string, string> }).attribs;
      for (const [name, value] of Object.entries(attribs)) {
        expect(name).toBe('href');
        expect(value).toMatch(/^https:\/\/e\.example\//);
      }
    });
    expect(
      $('a')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['https://e.example/"onmouseover="alert(1)', 'https://e.example/?a=1&b=<x>']);
    expect($('p').first().text()).toBe('"><img src=x onerror=alert(1)>');
  });
});
