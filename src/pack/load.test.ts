// Pack validation: every malformed pack is rejected with FILE: path: reason; lint warnings; extends.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PackError, parsePack, readYaml } from './load.ts';

const base = () => ({
  id: 'test-pack',
  title: 'Test',
  question: 'Which?',
  horizon: '2027-01-31',
  scenarios: [
    { id: 'deal', name: 'Deal', prior: 0.2, deadline: '2026-11-26', resolution: 'agreed' },
    { id: 'frozen', name: 'Frozen', prior: 0.3, resolution: 'ceasefire' },
    { id: 'collapse', name: 'Collapse', prior: 0.5, resolution: 'otherwise' },
  ],
  indicators: [
    {
      id: 'meeting',
      name: 'Meeting',
      likelihoods: { deal: 3, frozen: 1, collapse: 0.5 },
      rules: [{ id: 'm1', any: ['summit'] }],
    },
    {
      id: 'strikes',
      name: 'Strikes',
      likelihoods: { deal: 0.5, frozen: 1, collapse: 2 },
      rules: [{ id: 's1', any: ['barrage'] }],
    },
    {
      id: 'truce',
      name: 'Truce',
      likelihoods: { deal: 1, frozen: 2, collapse: 0.5 },
      rules: [{ id: 't1', any: ['truce'] }],
    },
  ],
  feeds: [{ url: 'https://example.org/rss', tier: 2 }],
});

type PackData = ReturnType<typeof base> & Record<string, unknown>;

function problems(mutate: (p: PackData) => void): string[] {
  const data = base() as PackData;
  mutate(data);
  try {
    parsePack(stringify(data), 'packs/x.yaml');
  } catch (error) {
    if (error instanceof PackError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('parsePack rejects malformed packs with file, field and reason', () => {
  const cases: Array<[string, (p: PackData) => void, string[]]> = [
    [
      'negative likelihood',
      (p) => {
        p.indicators[1]!.likelihoods.deal = -2;
      },
      ['packs/x.yaml: indicators[1].likelihoods.deal: must be a positive number (got -2)'],
    ],
    [
      'likelihood of the wrong type',
      (p) => {
        (p.indicators[0]!.likelihoods as Record<string, unknown>).frozen = 'high';
      },
      ['packs/x.yaml: indicators[0].likelihoods.frozen: must be a positive number (got "high")'],
    ],
    [
      'missing indicator id',
      (p) => {
        delete (p.indicators[2] as Partial<PackData['indicators'][number]>).id;
      },
      ['packs/x.yaml: indicators[2].id: is required (expected string, received undefined)'],
    ],
    [
      'duplicate scenario id',
      (p) => {
        p.scenarios[2]!.id = 'deal';
      },
      ['packs/x.yaml: scenarios[2].id: duplicate id "deal" (also scenarios[0])'],
    ],
    [
      'duplicate indicator id',
      (p) => {
        p.indicators[1]!.id = 'meeting';
      },
      ['packs/x.yaml: indicators[1].id: duplicate id "meeting" (also indicators[0])'],
    ],
    [
      'unknown scenario in likelihoods',
      (p) => {
        (p.indicators[0]!.likelihoods as Record<string, number>).peace = 2;
      },
      [
        'packs/x.yaml: indicators[0].likelihoods.peace: unknown scenario "peace" (expected one of deal, frozen, collapse)',
      ],
    ],
    [
      'scenario missing from likelihoods',
      (p) => {
        delete (p.indicators[0]!.likelihoods as Partial<Record<string, number>>).collapse;
      },
      [
        'packs/x.yaml: indicators[0].likelihoods.collapse: is required (expected a likelihood for every scenario: deal, frozen, collapse)',
      ],
    ],
    [
      'negative prior',
      (p) => {
        p.scenarios[0]!.prior = -0.1;
      },
      ['packs/x.yaml: scenarios[0].prior: must be in [0, 1] (got -0.1)'],
    ],
    [
      'impossible date',
      (p) => {
        p.scenarios[0]!.deadline = '2026-02-30';
      },
      ['packs/x.yaml: scenarios[0].deadline: expected a real calendar date YYYY-MM-DD (got "2026-02-30")'],
    ],
    [
      'malformed date',
      (p) => {
        p.horizon = 'next year';
      },
      ['packs/x.yaml: horizon: expected a date YYYY-MM-DD (got "next year")'],
    ],
    [
      'deadline after the horizon',
      (p) => {
        p.scenarios[0]!.deadline = '2027-03-01';
      },
      ['packs/x.yaml: scenarios[0].deadline: must not be after the horizon 2027-01-31 (got "2027-03-01")'],
    ],
    [
      'max_observations below 1 (a single story would be cut)',
      (p) => {
        (p.indicators[0] as Record<string, unknown>).max_observations = 0.5;
      },
      ['packs/x.yaml: indicators[0].max_observations: must be at least 1 (got 0.5)'],
    ],
    [
      'evidence_scale above 1',
      (p) => {
        p.evidence_scale = 1.5;
      },
      ['packs/x.yaml: evidence_scale: must be in (0, 1] (got 1.5)'],
    ],
    [
      'evidence_scale of 0',
      (p) => {
        p.evidence_scale = 0;
      },
      ['packs/x.yaml: evidence_scale: must be in (0, 1] (got 0)'],
    ],
    [
      'prior_weight of 1 (the evidence would count for nothing)',
      (p) => {
        p.prior_weight = 1;
      },
      ['packs/x.yaml: prior_weight: must be in [0, 1) (got 1)'],
    ],
    [
      'negative prior_weight',
      (p) => {
        p.prior_weight = -0.2;
      },
      ['packs/x.yaml: prior_weight: must be in [0, 1) (got -0.2)'],
    ],
    [
      'feed tier out of range',
      (p) => {
        p.feeds[0]!.tier = 9;
      },
      ['packs/x.yaml: feeds[0].tier: expected a tier 1-5 (got 9)'],
    ],
    [
      'feed URL with another scheme',
      (p) => {
        p.feeds[0]!.url = 'file:///etc/passwd';
      },
      ['packs/x.yaml: feeds[0].url: expected an http(s) URL (got "file:///etc/passwd")'],
    ],
    [
      'unknown field',
      (p) => {
        (p.indicators[0] as Record<string, unknown>).halflife = 3;
      },
      [
        'packs/x.yaml: indicators[0].halflife: unknown field (check the spelling against the pack reference in the README)',
      ],
    ],
    [
      'rule without terms',
      (p) => {
        p.indicators[0]!.rules = [{ id: 'empty' } as never];
      },
      ['packs/x.yaml: indicators[0].rules[0]: a rule needs `any` or `all` terms (got {"id":"empty"})'],
    ],
    [
      'level indicator without level settings',
      (p) => {
        (p.indicators[1] as Record<string, unknown>).kind = 'level';
      },
      [
        'packs/x.yaml: indicators[1].level: is required for a level indicator (expected units, baseline_days and bands)',
        'packs/x.yaml: indicators[1].numbers: is required for a level indicator (expected units: {name: [terms]})',
      ],
    ],
    [
      'too few scenarios',
      (p) => {
        p.scenarios = [p.scenarios[0]!];
        p.indicators = [];
      },
      [
        'packs/x.yaml: scenarios: a pack needs at least two scenarios (got [{"id":"deal","name":"Deal","prior":0...)',
        'packs/x.yaml: indicators: a pack needs at least one indicator (got [])',
      ],
    ],
  ];

  it.each(cases)('%s', (_name, mutate, expected) => {
    expect(problems(mutate)).toEqual(expected);
  });

  it('reports several problems at once', () => {
    const found = problems((p) => {
      p.indicators[1]!.likelihoods.deal = -2;
      p.feeds[0]!.tier = 0;
      p.scenarios[1]!.prior = 2;
    });
    expect(found).toHaveLength(3);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(() => parsePack('id: x\nscenarios:\n  - id: a\n   name: b\n', 'packs/bad.yaml')).toThrow(
      'packs/bad.yaml: line 4, column 1: YAML syntax error: Sequence item without - indicator',
    );
  });

  it('rejects a document that is not a mapping', () => {
    expect(() => parsePack('- just\n- a list\n', 'packs/list.yaml')).toThrow(
      'packs/list.yaml: (root): expected a mapping of pack fields (got a list)',
    );
  });
});

describe('lint warnings', () => {
  it('normalises priors that do not sum to 1 and says so', () => {
    const data = base();
    data.scenarios.forEach((s) => (s.prior = 1));
    const loaded = parsePack(stringify(data), 'p.yaml');
    expect(loaded.pack.scenarios.map((s) => s.prior)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(loaded.warnings.map((w) => w.message)).toContain('priors sum to 3, not 1 (they will be normalised)');
  });

  it('warns about a non-diagnostic indicator and a scenario nothing favours', () => {
    const data = base();
    data.indicators[2]!.likelihoods = { deal: 1, frozen: 1, collapse: 1 };
    const loaded = parsePack(stringify(data), 'p.yaml');
    expect(loaded.warnings).toEqual([
      {
        path: 'indicators[2].likelihoods',
        message: 'all likelihoods are equal: "truce" is not diagnostic and can never move a probability',
      },
      { path: 'scenarios[1]', message: 'no indicator favours "frozen": evidence can only lower it' },
    ]);
  });

  it('accepts a clean pack without warnings', () => {
    expect(parsePack(stringify(base()), 'p.yaml').warnings).toEqual([]);
  });
});

describe('extends', () => {
  it('takes the parent fields and replaces those the child sets', () => {
    const files: Record<string, string> = { 'packs/parent.yaml': stringify(base()) };
    const child = 'extends: parent.yaml\nid: child\nhorizon: 2026-12-31\n';
    const loaded = parsePack(child, 'packs/child.yaml', (f) => files[f] ?? '');
    expect(loaded.pack.id).toBe('child');
    expect(loaded.pack.horizon).toBe('2026-12-31');
    expect(loaded.pack.indicators.map((i) => i.id)).toEqual(['meeting', 'strikes', 'truce']);
  });

  it('refuses a circular extends', () => {
    const files: Record<string, string> = { 'packs/a.yaml': 'extends: b.yaml\n', 'packs/b.yaml': 'extends: a.yaml\n' };
    expect(() => parsePack(files['packs/a.yaml']!, 'packs/a.yaml', (f) => files[f]!)).toThrow(/circular extends/);
  });
});

describe('parsed files are kept per process', () => {
  it('a second parse of the same text is an equal copy that the first caller cannot change', () => {
    const text = stringify({ ...base(), model: 'm.json' });
    const first = readYaml(text, 'packs/kept.yaml');
    (first.indicators as { id: string }[])[0]!.id = 'changed by the first caller';
    first.title = 'also changed';
    const second = readYaml(text, 'packs/kept.yaml');
    expect((second.indicators as { id: string }[])[0]!.id).toBe('meeting');
    expect(second.title).toBe('Test');
    // The model path is relative to the file: the same text in another folder is another pack.
    expect(second.model).toBe('packs/m.json');
    expect(readYaml(text, 'other/kept.yaml').model).toBe('other/m.json');
  });

  it('new text is parsed anew, and a file that fails keeps failing', () => {
    expect(readYaml(stringify({ ...base(), title: 'One' }), 'packs/x.yaml').title).toBe('One');
    expect(readYaml(stringify({ ...base(), title: 'Two' }), 'packs/x.yaml').title).toBe('Two');
    for (let i = 0; i < 2; i++) expect(() => readYaml('id: [unclosed', 'packs/bad.yaml')).toThrow(/YAML syntax error/);
  });
});

describe('alerts.digest_at', () => {
  it('defaults to 07:00 UTC and accepts a five-field cron expression', () => {
    expect(parsePack(stringify(base()), 'p.yaml').pack.alerts.digest_at).toBe('0 7 * * *');
    const pack = parsePack(stringify({ ...base(), alerts: { digest_at: '0 8 * * 1-5' } }), 'p.yaml').pack;
    expect(pack.alerts.digest_at).toBe('0 8 * * 1-5');
  });

  it('a bad cron expression is a pack error naming the field and what is wrong', () => {
    for (const [value, why] of [
      ['0 25 * * *', 'hour: 25 is a invalid expression for hour'],
      ['8am', 'expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * *"; got 1'],
    ]) {
      let error: unknown;
      try {
        parsePack(stringify({ ...base(), alerts: { digest_at: value } }), 'p.yaml');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PackError);
      expect((error as PackError).message).toContain(
        `alerts.digest_at: not a usable cron expression "${value}": ${why}`,
      );
    }
  });
});

describe('feeds[].schedule', () => {
  it('takes a five-field cron expression; a feed without one has none', () => {
    const feeds = [
      { url: 'https://wire.example/rss', tier: 1, schedule: '*/5 * * * *' },
      { url: 'https://weekly.example/rss', tier: 2, schedule: '0 6,18 * * *' },
      { url: 'https://example.org/rss', tier: 2 },
    ];
    const pack = parsePack(stringify({ ...base(), feeds }), 'p.yaml').pack;
    expect(pack.feeds.map((f) => f.schedule)).toEqual(['*/5 * * * *', '0 6,18 * * *', undefined]);
  });

  it('a bad expression is a pack error naming the feed, the expression and what is wrong', () => {
    expect(
      problems((p) => {
        p.feeds = [
          { url: 'https://example.org/rss', tier: 2 },
          { url: 'https://wire.example/rss', tier: 1, schedule: '*/5 * * *' } as (typeof p.feeds)[number],
          { url: 'https://weekly.example/rss', tier: 2, schedule: '0 25 * * *' } as (typeof p.feeds)[number],
          { url: 'https://never.example/rss', tier: 2, schedule: '0 0 1 * 1#5' } as (typeof p.feeds)[number],
          { url: 'https://number.example/rss', tier: 2, schedule: 5 } as unknown as (typeof p.feeds)[number],
        ];
      }),
    ).toEqual([
      'packs/x.yaml: feeds[1].schedule: feed https://wire.example/rss: not a usable cron expression: expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * *"; got 4 (got "*/5 * * *")',
      'packs/x.yaml: feeds[2].schedule: feed https://weekly.example/rss: not a usable cron expression: hour: 25 is a invalid expression for hour (got "0 25 * * *")',
      'packs/x.yaml: feeds[3].schedule: feed https://never.example/rss: not a usable cron expression: it names no time that ever comes (e.g. 30 February; a day of the month and a day of the week must both match) (got "0 0 1 * 1#5")',
      'packs/x.yaml: feeds[4].schedule: expected a cron expression in quotes, e.g. "*/5 * * * *" (got 5)',
    ]);
  });
});
