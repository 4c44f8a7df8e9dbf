// Unit tests for JSON Feed building: significant moves, stable ids, sanitised HTML.
import { describe, expect, it } from 'vitest';
import { packSchema } from '../../pack/schema.ts';
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

describe('buildJsonFeed', () => {
  it('has stable ids and sanitised content_html even for hostile alert text', () => {
    const alert = {
      id: 7,
      packId: 'p',
      kind: 'indicator_shift' as const,
      ruleKey: 'r',
      title: '<img src=x onerror=alert(1)>',
      body: '<script>alert(1)</script>\n\n<a href="javascript:x">y</a>',
      data: { probabilities: {}, previous: null, scenarioNames: {}, shifted: [], stories: [] },
      snapshotId: null,
      createdAt: '2026-11-02T00:00:00.000Z',
      delivery: { sent: 0, pending: 0, sending: 0, failed: 0, lastError: null },
    };
    const feed = buildJsonFeed(pack, 'https://b.example', [alert], [snap(1, 0, 0.5), snap(2, 24, 0.7)]);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.map((i) => i.id)).toEqual([
      'https://b.example/alerts#alert-7',
      'https://b.example/scenarios/a?snapshot=2',
      'https://b.example/scenarios/b?snapshot=2',
    ]);
    const html = feed.items[0]!.content_html;
    expect(html).not.toMatch(/<script|<a |<img/);
    expect(html).toContain('&lt;script&gt;');
    expect(feed.items[1]!._bellwether).toMatchObject({
      kind: 'probability_move',
      scenario: 'a',
      probabilities: { a: 0.7 },
    });
  });

  it('toSafeHtml keeps paragraphs and escapes everything else', () => {
    expect(toSafeHtml('a & b\n\n<b>c</b>')).toBe('<p>a &amp; b</p><p>&lt;b&gt;c&lt;/b&gt;</p>');
  });
});
