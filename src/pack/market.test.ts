// Pack market fields: a recorded series and polled sources, each mistake reported as FILE: path: reason.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PackError, parsePack } from './load.ts';

const base = (extra: Record<string, unknown>) => ({
  id: 'test-pack',
  title: 'Test',
  question: 'Which?',
  horizon: '2027-01-31',
  scenarios: [
    { id: 'deal', name: 'Deal', prior: 0.4, resolution: 'agreed' },
    { id: 'collapse', name: 'Collapse', prior: 0.6, resolution: 'otherwise' },
  ],
  indicators: [
    {
      id: 'meeting',
      name: 'Meeting',
      likelihoods: { deal: 3, collapse: 0.5 },
      rules: [{ id: 'm1', any: ['summit'] }],
    },
  ],
  ...extra,
});

const point = {
  date: '2025-01-16',
  probability: 0.93,
  scenario: 'deal',
  source: 'Polymarket, as reported',
  url: 'https://example.org/a',
};

function problems(extra: Record<string, unknown>): string[] {
  try {
    parsePack(stringify(base(extra)), 'packs/x.yaml');
  } catch (error) {
    if (error instanceof PackError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('pack market series and sources', () => {
  it('loads a recorded series and sources with their defaults', () => {
    const { pack } = parsePack(
      stringify(
        base({
          market: [point, { ...point, date: '2025-01-17T12:00:00Z', probability: 1 }],
          market_sources: [
            { kind: 'polymarket', market: 'israel-x-hamas-ceasefire-by-january-31', scenario: 'deal' },
            { kind: 'metaculus', question: 12345, scenario: 'collapse', every_minutes: 180 },
          ],
        }),
      ),
      'packs/x.yaml',
    );
    expect(pack.market).toHaveLength(2);
    expect(pack.market_sources).toEqual([
      {
        kind: 'polymarket',
        market: 'israel-x-hamas-ceasefire-by-january-31',
        outcome: 'Yes',
        scenario: 'deal',
        every_minutes: 60,
      },
      { kind: 'metaculus', question: 12345, scenario: 'collapse', every_minutes: 180 },
    ]);
    expect(parsePack(stringify(base({})), 'x.yaml').pack.market).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'probability above 1',
      { market: [{ ...point, probability: 1.5 }] },
      'market[0].probability: must be a probability in [0, 1] (got 1.5)',
    ],
    [
      'negative probability',
      { market: [{ ...point, probability: -0.1 }] },
      'market[0].probability: must be a probability in [0, 1] (got -0.1)',
    ],
    [
      'a percentage string',
      { market: [{ ...point, probability: '93%' }] },
      'market[0].probability: must be a probability in [0, 1] (got "93%")',
    ],
    [
      'unknown scenario',
      { market: [point, { ...point, scenario: 'truce' }] },
      'market[1].scenario: unknown scenario "truce" (expected one of deal, collapse)',
    ],
    [
      'impossible date',
      { market: [{ ...point, date: '2025-02-30' }] },
      'market[0].date: expected a real calendar date YYYY-MM-DD (got "2025-02-30")',
    ],
    [
      'not a date',
      { market: [{ ...point, date: 'mid-January' }] },
      'market[0].date: expected a date YYYY-MM-DD (got "mid-January")',
    ],
    ['no source', { market: [{ ...point, source: undefined }] }, 'market[0].source: is required'],
    [
      'a non-http url',
      { market: [{ ...point, url: 'ftp://example.org/a' }] },
      'market[0].url: expected an http(s) URL',
    ],
    ['unknown field', { market: [{ ...point, price: 0.5 }] }, 'market[0].price: unknown field'],
    [
      'unknown kind',
      { market_sources: [{ kind: 'kalshi', market: 'x', scenario: 'deal' }] },
      'market_sources[0].kind: expected kind: polymarket or kind: metaculus',
    ],
    [
      'a slug with a path in it',
      { market_sources: [{ kind: 'polymarket', market: '../admin?x=1', scenario: 'deal' }] },
      'market_sources[0].market: expected a Polymarket market slug or numeric id',
    ],
    [
      'a question that is not an id',
      { market_sources: [{ kind: 'metaculus', question: 'abc', scenario: 'deal' }] },
      'market_sources[0].question: expected a Metaculus question id',
    ],
    [
      'polling too often',
      { market_sources: [{ kind: 'metaculus', question: 1, scenario: 'deal', every_minutes: 1 }] },
      'market_sources[0].every_minutes: must be at least 5 minutes',
    ],
    [
      'a source for an unknown scenario',
      { market_sources: [{ kind: 'metaculus', question: 1, scenario: 'war' }] },
      'market_sources[0].scenario: unknown scenario "war"',
    ],
    [
      'the same source twice',
      {
        market_sources: [
          { kind: 'metaculus', question: 1, scenario: 'deal' },
          { kind: 'metaculus', question: 1, scenario: 'collapse' },
        ],
      },
      'market_sources[1]: duplicate market source metaculus:1 (also market_sources[0])',
    ],
  ])('rejects %s', (_name, extra, message) => {
    const found = problems(extra);
    expect(
      found.some((line) => line.startsWith(`packs/x.yaml: ${message}`)),
      found.join('\n'),
    ).toBe(true);
  });
});
