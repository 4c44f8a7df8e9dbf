// Email content: escaping of feed text, subject hygiene, list headers; rules, retry timing, SMTP error mapping.
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './channels/email.ts';
import { renderEmail } from './render.ts';
import { retryDelayMs } from './retry.ts';
import { parseSubscriberRules, ruleMatches } from './subscriber-rules.ts';
import type { AlertData } from './types.ts';

const data: AlertData = {
  probabilities: { deal: 0.31, collapse: 0.69 },
  previous: { deal: 0.18, collapse: 0.82 },
  scenarioNames: { deal: 'Deal <b>', collapse: 'Collapse' },
  shifted: ['Principal meeting: quiet → active'],
  stories: [
    {
      title: '<script>alert(1)</script> Summit set',
      url: 'https://news.example/a?x=1&y=2',
      publishedAt: '2026-11-20T00:00:00Z',
    },
    { title: 'Evil link', url: 'javascript:alert(1)', publishedAt: '2026-11-20T00:00:00Z' },
  ],
};
const ctx = { baseUrl: 'https://bw.example', packTitle: 'Peace push', token: 'tok_abcdefghijklmnop' };

describe('renderEmail', () => {
  it('escapes feed text in HTML and never links non-http URLs', () => {
    const m = renderEmail(
      [{ title: 'Meeting <img src=x onerror=alert(1)>', body: '', createdAt: '2026-11-20T00:00:00Z', data }],
      ctx,
    );
    expect(m.html).not.toMatch(/<script|<img|javascript:/i);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Summit set');
    expect(m.html).toContain('href="https://news.example/a?x=1&amp;y=2"');
    expect(m.html).toContain('Deal &lt;b&gt;');
    expect(m.text).toContain('Deal <b>: 31% (was 18%)');
    expect(m.text).toContain('https://bw.example/');
  });
  it('names each alert by its kind in words, never by its id', () => {
    const m = renderEmail(
      [
        { kind: 'indicator_shift', title: 'Meeting held', body: '', createdAt: '2026-11-20T00:00:00Z', data },
        { kind: 'probability_move', title: 'P(deal) up', body: '', createdAt: '2026-11-20T00:01:00Z', data },
      ],
      ctx,
    );
    expect(m.text).toContain('* Signal changed: Meeting held');
    expect(m.text).toContain('* Probability moved: P(deal) up');
    expect(m.html).toContain('<li>Signal changed: <strong>Meeting held</strong>');
    expect(`${m.text}${m.html}`).not.toMatch(/indicator_shift|probability_move/);
  });
  it('strips CR/LF from subjects so a title cannot add headers', () => {
    const m = renderEmail(
      [{ title: 'Meeting\r\nBcc: victim@evil.example\nX: y', body: '', createdAt: '2026-11-20T00:00:00Z', data }],
      ctx,
    );
    expect(m.subject).toBe('Meeting Bcc: victim@evil.example X: y');
  });
  it('carries List-Unsubscribe with the token and the one-click header', () => {
    const m = renderEmail([{ title: 'x', body: '', createdAt: '2026-11-20T00:00:00Z', data }], ctx);
    expect(m.headers['List-Unsubscribe']).toBe('<https://bw.example/unsubscribe/tok_abcdefghijklmnop>');
    expect(m.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });
  it('names a batch by its first alert and a count', () => {
    const a = (t: string, at: string) => ({ title: t, body: '', createdAt: at, data });
    expect(renderEmail([a('B', '2026-11-20T00:01:00Z'), a('A', '2026-11-20T00:00:00Z')], ctx).subject).toBe(
      'A (+1 more)',
    );
  });
});

describe('subscriber rules', () => {
  it('filters by kind, indicator, scenario and min points; feed alerts only for admins', () => {
    const r = parseSubscriberRules('{"kinds":["probability_move","feed_failing"],"min_points":15}');
    expect(ruleMatches(r, false, 'probability_move', { ...data, points: 16 })).toBe(true);
    expect(ruleMatches(r, false, 'probability_move', { ...data, points: -12 })).toBe(false);
    expect(ruleMatches(r, false, 'indicator_shift', data)).toBe(false);
    expect(ruleMatches({}, false, 'feed_failing', { ...data, adminOnly: true })).toBe(false);
    expect(ruleMatches({}, true, 'feed_failing', { ...data, adminOnly: true })).toBe(true);
    expect(
      ruleMatches({ indicators: ['envoy_talks'] }, false, 'indicator_shift', {
        ...data,
        indicatorId: 'principal_meeting',
      }),
    ).toBe(false);
  });
  it('rejects bad JSON and unknown fields with the field named', () => {
    expect(() => parseSubscriberRules('{')).toThrow(/not valid JSON/);
    expect(() => parseSubscriberRules('{"kind":[]}')).toThrow(/Unrecognized key/);
  });
});

describe('retry timing and SMTP errors', () => {
  it('backs off exponentially, capped at 6 h; auth waits at least 30 min', () => {
    expect([1, 2, 3, 10, 30].map((n) => retryDelayMs(n, 'temporary') / 60_000)).toEqual([1, 2, 4, 360, 360]);
    expect(retryDelayMs(1, 'auth')).toBe(30 * 60_000);
  });
  it.each([
    [{ responseCode: 451, response: '451 try later' }, 'temporary'],
    [{ responseCode: 550, response: '550 no such user' }, 'permanent'],
    [{ code: 'EAUTH', responseCode: 535, response: '535 bad creds' }, 'auth'],
    [{ code: 'ESOCKET', message: 'connect ECONNREFUSED' }, 'unreachable'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'unreachable'],
    [{ code: 'EPROTOCOL', command: 'CONN', responseCode: 421, response: '421 too busy' }, 'unreachable'],
    [{ code: 'EPROTOCOL', command: 'CONN', responseCode: 554, response: '554 no service here' }, 'unreachable'],
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 421, response: '421 closing' }, 'unreachable'],
  ])('%o → %s', (err, code) => {
    expect(classifySmtpError(err).code).toBe(code);
  });
});
