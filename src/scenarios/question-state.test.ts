// Where a question stands in its life: open, a deadline passed unresolved, closed at the horizon or by a yes.
import { describe, expect, it } from 'vitest';
import type { Pack } from '../pack/schema.ts';
import { allDatesPast, questionState, type ResolutionRecord } from './question-state.ts';

const pack = {
  id: 'q',
  title: 'Q',
  horizon: '2027-01-31',
  scenarios: [
    { id: 'deal', name: 'Deal', deadline: '2026-11-26' },
    { id: 'frozen', name: 'Frozen' },
    { id: 'collapse', name: 'Collapse' },
  ],
} as unknown as Pack;
const res = (scenarioId: string, outcome: 'yes' | 'no', resolvedAt: string): ResolutionRecord => ({
  scenarioId,
  outcome,
  resolvedAt,
  resolvedBy: 'alice',
  note: null,
});

describe('questionState', () => {
  it('is open with nothing owed before the deadline (the deadline day counts to its end, UTC)', () => {
    const s = questionState(pack, [], new Date('2026-11-26T23:59:59Z'));
    expect(s).toMatchObject({ closed: false, horizonPassed: false, outcome: null, attention: [] });
    expect(s.scenarios.map((x) => x.deadlinePassed)).toEqual([false, false, false]);
  });

  it('flags a deadline passed unresolved and says how to resolve it', () => {
    const s = questionState(pack, [], new Date('2026-11-27T00:00:00Z'));
    expect(s.closed).toBe(false);
    expect(s.scenarios[0]).toEqual({ id: 'deal', deadlinePassed: true, resolution: null });
    expect(s.attention).toEqual([expect.stringContaining('The deadline of "Deal" (2026-11-26) has passed unresolved')]);
    expect(s.attention[0]).toContain('`bellwether resolve deal --outcome yes|no`');
    expect(s.attention[0]).toContain('POST /api/v1/admin/resolutions');
  });

  it('stops flagging a deadline once it is resolved; a resolution dated in the future is not yet in force', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    expect(questionState(pack, [res('deal', 'no', '2026-11-27T00:00:00Z')], now).attention).toEqual([]);
    expect(questionState(pack, [res('deal', 'no', '2026-12-05T00:00:00Z')], now).scenarios[0]!.deadlinePassed).toBe(
      true,
    );
  });

  it('closes at the horizon and asks for the outcome, once (not per spent deadline)', () => {
    const s = questionState(pack, [], new Date('2027-02-01T00:00:00Z'));
    expect(s).toMatchObject({ closed: true, horizonPassed: true, outcome: null });
    expect(s.attention).toHaveLength(1);
    expect(s.attention[0]).toContain('closed at its horizon 2027-01-31');
  });

  it('closes early when a scenario resolves yes, and owes nothing more', () => {
    const s = questionState(pack, [res('frozen', 'yes', '2026-12-01T00:00:00Z')], new Date('2027-03-01T00:00:00Z'));
    expect(s).toMatchObject({ closed: true, outcome: 'frozen', attention: [] });
    expect(s.scenarios[0]!.deadlinePassed).toBe(false);
  });
});

describe('allDatesPast', () => {
  it.each([
    ['2026-11-20T00:00:00Z', false],
    ['2027-01-31T12:00:00Z', false],
    ['2027-02-01T00:00:00Z', true],
  ])('at %s → %s', (at, want) => expect(allDatesPast(pack, new Date(at))).toBe(want));
});
