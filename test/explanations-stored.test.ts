// explainStoredScenario ranks a snapshot's stories from its bare contributions and reads the details of the
// shown stories only: it must give exactly what explaining every contribution read with its details gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainScenario, explainStoredScenario, readContributions } from '../src/scenarios/explanations.ts';
import { snapshotById } from '../src/scenarios/snapshots.ts';
import { openTestDb, type TestDb } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

let t: TestDb;
let snapshots: number[];
const now = new Date(Date.UTC(2026, 10, 20, 18));

beforeAll(async () => {
  t = await openTestDb();
  snapshots = (await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 40, perDay: 40 }))).snapshots;
});
afterAll(() => t.close());

describe('explainStoredScenario', () => {
  it('equals explainScenario over every contribution with its details, for each scenario, top 10 and top 3', async () => {
    for (const id of [snapshots[5]!, snapshots.at(-1)!]) {
      const snapshot = (await snapshotById(t.handle.db, t.pack.pack.id, id))!;
      const all = await readContributions(t.handle.db, id);
      expect(all.length).toBeGreaterThan(20);
      for (const s of t.pack.pack.scenarios)
        for (const top of [10, 3]) {
          const stored = await explainStoredScenario(t.handle.db, snapshot, s.id, top);
          expect(stored).toEqual(explainScenario(snapshot.probabilities, all, s.id, top));
          expect(stored.for.length + stored.against.length).toBeGreaterThan(0);
        }
    }
  });

  it('reads only the given contributions when asked, in id order', async () => {
    const id = snapshots.at(-1)!;
    const all = await readContributions(t.handle.db, id);
    expect(await readContributions(t.handle.db, id, [])).toEqual([]);
    const rows = await t.all<{ id: number }>(
      'SELECT id FROM evidence_contributions WHERE snapshot_id = ? ORDER BY id',
      id,
    );
    const some = await readContributions(t.handle.db, id, [rows[3]!.id, rows[1]!.id]);
    expect(some).toEqual([all[1], all[3]]);
  });
});
