// Table-driven tests of the pure alert decision: shifts, modality changes, level hysteresis,
// probability moves, cooldowns under flapping input, deadlines and failing feeds.
import { describe, expect, it } from 'vitest';
import { alertDefaultsSchema } from '../pack/schema.ts';
import type { SnapshotEvent } from '../scenarios/snapshot-event.ts';
import { type DecideInput, type Signal, decideAlerts } from './decide.ts';
import { decideDeadlineAlerts, decideFeedAlerts } from './decide-time.ts';
import type { RuleState, StateUpdate } from './types.ts';

const settings = alertDefaultsSchema.parse({ cooldown_minutes: 60 });
const pack = {
  scenarios: [
    { id: 'deal', name: 'Deal', description: '', prior: 0.2, deadline: '2026-11-26', resolution: 'x' },
    { id: 'collapse', name: 'Collapse', description: '', prior: 0.8, resolution: 'x' },
  ],
  indicators: [
    { id: 'principal_meeting', name: 'Principal meeting', kind: 'event' },
    { id: 'strike_volume', name: 'Strike volume', kind: 'level' },
  ],
} as unknown as DecideInput['pack'];

const story = { title: 't', url: 'https://e.example/1', publishedAt: '2026-11-20T00:00:00.000Z' };
const sig = (at: string, isNew: boolean, modality: string | null = null): Signal => ({
  indicatorId: 'principal_meeting',
  modality,
  polarity: 'affirmed',
  at,
  isNew,
  story,
});

function event(at: string, p: number, prev: number | null, z: number | null = null): SnapshotEvent {
  return {
    packId: 'p',
    snapshotId: 1,
    at,
    probabilities: { deal: p, collapse: 1 - p },
    previous:
      prev === null
        ? null
        : { at: new Date(Date.parse(at) - 3_600_000).toISOString(), probabilities: { deal: prev, collapse: 1 - prev } },
    levels: z === null ? {} : { strike_volume: { value: 100, z, band: null } },
  };
}

function input(over: Partial<DecideInput>): DecideInput {
  const at = over.event?.at ?? '2026-11-20T12:00:00.000Z';
  return {
    settings,
    pack,
    event: event(at, 0.2, 0.2),
    history: [],
    signals: [],
    state: {},
    stories: [],
    now: at,
    ...over,
  };
}

describe('indicator shifts', () => {
  const cases: Array<{ name: string; signals: Signal[]; expect: string[]; title?: RegExp }> = [
    {
      name: 'first signal ever is quiet → active',
      signals: [sig('2026-11-20T10:00:00Z', true, 'scheduled')],
      expect: ['shift:principal_meeting:active'],
      title: /^Principal meeting scheduled — Deal: 18% → 31%$/,
    },
    {
      name: 'after 8 quiet days',
      signals: [sig('2026-11-10T00:00:00Z', false), sig('2026-11-19T00:00:00Z', true)],
      expect: ['shift:principal_meeting:active'],
    },
    {
      name: 'active within quiet window, same modality: nothing',
      signals: [sig('2026-11-18T00:00:00Z', false, 'scheduled'), sig('2026-11-19T00:00:00Z', true, 'scheduled')],
      expect: [],
    },
    {
      name: 'scheduled → cancelled',
      signals: [sig('2026-11-18T00:00:00Z', false, 'scheduled'), sig('2026-11-19T00:00:00Z', true, 'cancelled')],
      expect: ['shift:principal_meeting:cancelled'],
      title: /^Principal meeting cancelled/,
    },
    {
      name: 'scheduled → ruled out (negated)',
      signals: [
        sig('2026-11-18T00:00:00Z', false, 'scheduled'),
        { ...sig('2026-11-19T00:00:00Z', true), polarity: 'negated' },
      ],
      expect: ['shift:principal_meeting:negated'],
      title: /^Principal meeting ruled out/,
    },
    {
      name: 'level indicators do not raise shifts',
      signals: [{ ...sig('2026-11-19T00:00:00Z', true), indicatorId: 'strike_volume' }],
      expect: [],
    },
    { name: 'no new signal: nothing', signals: [sig('2026-11-18T00:00:00Z', false, 'scheduled')], expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideAlerts(input({ event: event('2026-11-20T12:00:00.000Z', 0.31, 0.18), signals: c.signals }));
      expect(d.alerts.filter((a) => a.kind === 'indicator_shift').map((a) => a.ruleKey)).toEqual(c.expect);
      if (c.title) expect(d.alerts[0]!.title).toMatch(c.title);
    });
  }
});

/** Runs a sequence of snapshots through decide, carrying the rule state like the recorder does. */
function run(steps: Array<{ at: string; z?: number; signals?: Signal[]; p?: number }>): string[][] {
  const state: Record<string, RuleState> = {};
  const apply = (u: StateUpdate) => {
    state[u.ruleKey] = { armed: u.armed, lastFiredAt: u.firedAt ?? state[u.ruleKey]?.lastFiredAt ?? null };
  };
  return steps.map((s) => {
    const d = decideAlerts(
      input({
        event: event(s.at, s.p ?? 0.2, s.p ?? 0.2, s.z ?? null),
        signals: s.signals ?? [],
        state: { ...state },
        now: s.at,
      }),
    );
    d.state.forEach(apply);
    return d.alerts.map((a) => a.ruleKey);
  });
}

describe('level hysteresis and cooldown', () => {
  it('a level flapping around fire_z fires once until it falls below reset_z', () => {
    const zs = [2.1, 1.9, 2.2, 1.5, 2.5, 0.8, 2.3];
    const fired = run(
      zs.map((z, i) => ({ at: new Date(Date.parse('2026-11-20T00:00:00Z') + i * 2 * 3_600_000).toISOString(), z })),
    );
    expect(fired).toEqual([['level:strike_volume:high'], [], [], [], [], [], ['level:strike_volume:high']]);
  });
  it('re-armed but still inside the cooldown: does not fire until the cooldown ends', () => {
    const at = (m: number) => new Date(Date.parse('2026-11-20T00:00:00Z') + m * 60_000).toISOString();
    const fired = run([
      { at: at(0), z: 3 },
      { at: at(10), z: 0 },
      { at: at(20), z: 3 },
      { at: at(70), z: 3 },
    ]);
    expect(fired).toEqual([['level:strike_volume:high'], [], [], ['level:strike_volume:high']]);
  });
  it('a lull below −fire_z fires the low rule', () => {
    expect(run([{ at: '2026-11-20T00:00:00.000Z', z: -2.5 }])).toEqual([['level:strike_volume:low']]);
  });
  it('an indicator flapping scheduled ↔ cancelled alerts at most once per rule per cooldown', () => {
    const at = (m: number) => new Date(Date.parse('2026-11-20T00:00:00Z') + m * 60_000).toISOString();
    const mods = ['scheduled', 'cancelled', 'scheduled', 'cancelled', 'scheduled'];
    const steps = mods.map((m, i) => ({
      at: at(i * 10),
      signals: [sig(at(i * 10 - 5), false, mods[i - 1] ?? 'proposed'), sig(at(i * 10 - 1), true, m)],
    }));
    const fired = run(steps).flat();
    expect(fired).toEqual(['shift:principal_meeting:scheduled', 'shift:principal_meeting:cancelled']);
  });
});

describe('probability moves', () => {
  it('fires when a scenario moved ≥ points within the window, compared with the farthest point', () => {
    const ev = event('2026-11-20T12:00:00.000Z', 0.35, 0.3);
    const d = decideAlerts(
      input({ event: ev, history: [{ at: '2026-11-20T00:00:00.000Z', probabilities: { deal: 0.2, collapse: 0.8 } }] }),
    );
    expect(d.alerts.map((a) => a.ruleKey).sort()).toEqual(['move:collapse:down', 'move:deal:up']);
    expect(d.alerts.find((a) => a.ruleKey === 'move:deal:up')!.title).toBe('Deal: 20% → 35% within 24 h');
  });
  it('ignores snapshots older than the window and moves under the threshold', () => {
    const ev = event('2026-11-20T12:00:00.000Z', 0.35, 0.3);
    const d = decideAlerts(
      input({ event: ev, history: [{ at: '2026-11-19T00:00:00.000Z', probabilities: { deal: 0.1, collapse: 0.9 } }] }),
    );
    expect(d.alerts).toEqual([]);
  });
});

describe('deadlines and feeds', () => {
  const base = { settings, scenarios: pack.scenarios, resolved: [], probabilities: { deal: 0.3 }, state: {} };
  it.each([
    ['2026-11-10T00:00:00.000Z', []],
    ['2026-11-20T00:00:00.000Z', ['deadline:deal:7d']],
    ['2026-11-26T12:00:00.000Z', ['deadline:deal:1d']],
    ['2026-11-27T00:00:01.000Z', ['deadline:deal:passed']],
    ['2026-12-20T00:00:00.000Z', []],
  ])('at %s', (now, keys) => {
    expect(decideDeadlineAlerts({ ...base, now }).map((a) => a.ruleKey)).toEqual(keys);
  });
  it('fires each warning once and not for resolved scenarios', () => {
    const fired = { 'deadline:deal:7d': { lastFiredAt: 'x', armed: true } };
    expect(decideDeadlineAlerts({ ...base, state: fired, now: '2026-11-21T00:00:00.000Z' })).toEqual([]);
    expect(decideDeadlineAlerts({ ...base, resolved: ['deal'], now: '2026-11-21T00:00:00.000Z' })).toEqual([]);
  });
  it('feeds failing longer than feed_failing_hours, once per failing episode', () => {
    const feeds = [
      {
        id: 1,
        url: 'https://a.example/rss',
        name: 'A',
        failingSince: '2026-11-19T00:00:00.000Z',
        lastError: 'HTTP 500',
      },
      { id: 2, url: 'https://b.example/rss', name: null, failingSince: '2026-11-20T06:00:00.000Z', lastError: null },
      { id: 3, url: 'https://c.example/rss', name: null, failingSince: null, lastError: null },
    ];
    const a = decideFeedAlerts(settings, feeds, {}, '2026-11-20T12:00:00.000Z');
    expect(a.map((x) => x.ruleKey)).toEqual(['feed:1:failing:2026-11-19T00:00:00.000Z']);
    expect(a[0]!.data.adminOnly).toBe(true);
    expect(
      decideFeedAlerts(
        settings,
        feeds,
        { [a[0]!.ruleKey]: { lastFiredAt: 'x', armed: true } },
        '2026-11-20T13:00:00.000Z',
      ),
    ).toEqual([]);
  });
});
