// A question's pages under /questions/ID: which links move under the prefix and which stay the instance's.
import { describe, expect, it } from 'vitest';
import { scopeLinks, scopePath } from './scope-links.ts';

describe('scopePath', () => {
  it.each([
    ['/', '/questions/gaza/'],
    ['/scenarios/deal?snapshot=4', '/questions/gaza/scenarios/deal?snapshot=4'],
    ['/days/2026-11-20', '/questions/gaza/days/2026-11-20'],
    ['/evidence?indicator=x&amp;cursor=y', '/questions/gaza/evidence?indicator=x&amp;cursor=y'],
    ['/alerts?before=9', '/questions/gaza/alerts?before=9'],
    ['/feed.json', '/questions/gaza/feed.json'],
    ['/api/v1/history.csv', '/api/v1/questions/gaza/history.csv'],
    ['/api/v1/scenarios/deal/explanation?snapshot=3', '/api/v1/questions/gaza/scenarios/deal/explanation?snapshot=3'],
    // The instance's own: static files, feeds, other questions, the OpenAPI document, the track record.
    ['/static/style.css', '/static/style.css'],
    ['/feeds', '/feeds'],
    ['/api/v1/feeds', '/api/v1/feeds'],
    ['/questions/other/', '/questions/other/'],
    ['/api/openapi.json', '/api/openapi.json'],
    ['/track-record', '/track-record'],
    ['/about/feed-extension', '/about/feed-extension'],
  ])('%s → %s', (from, to) => {
    expect(scopePath(from, 'gaza')).toBe(to);
  });
});

describe('scopeLinks', () => {
  it('rewrites href, action and data-day-href, leaves links to originals, and points the live script at the stream', () => {
    const html =
      '<html><body data-snapshot="3"><a href="/scenarios/deal">x</a><a href="https://news.example/a">y</a>' +
      '<a href="//cdn.example/x">z</a><form action="/evidence"></form><svg data-day-href="/days/"></svg>' +
      '<p>see href="/scenarios/deal" in text</p></body></html>';
    expect(scopeLinks(html, 'gaza')).toBe(
      '<html><body data-stream="/api/v1/questions/gaza/stream" data-snapshot="3"><a href="/questions/gaza/scenarios/deal">x</a>' +
        '<a href="https://news.example/a">y</a><a href="//cdn.example/x">z</a><form action="/questions/gaza/evidence"></form>' +
        '<svg data-day-href="/questions/gaza/days/"></svg><p>see href="/questions/gaza/scenarios/deal" in text</p></body></html>',
    );
  });
});
