// A replay that was interrupted and run again resumes where it stopped: the items it skips (already
// stored) keep their story clusters, so a later item of the same story joins that cluster, as it would
// have without the interruption (the crash suite found stories split in two after a kill at midnight).
import { describe, expect, it } from 'vitest';
import { loadPack } from '../src/pack/load.ts';
import { type CorpusItem, replayCorpus } from '../src/pipeline/replay.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { openTempDb, tempDir } from './helpers/temp-db.ts';

describe('replay resumed after an interruption', () => {
  it('a later item of a story stored before the interruption joins its cluster', async () => {
    const pack = loadPack(writeMinimalPack(tempDir('bw-replay-resume-')));
    const day = 86_400_000;
    const t0 = Date.now() - 10 * day;
    const items: CorpusItem[] = [
      { id: 'a', date: new Date(t0).toISOString(), title: 'Leaders agree a truce', source: 'one' },
      { id: 'b', date: new Date(t0 + day).toISOString(), title: 'Leaders agree a truce', source: 'two' },
    ];
    const t = await openTempDb({ prefix: 'bw-replay-resume-' });
    try {
      // The first run stored day one, then died; the rerun gets the whole corpus.
      await replayCorpus({ db: t.db, loadedPack: pack, items: items.slice(0, 1), tag: () => [] });
      const rerun = await replayCorpus({ db: t.db, loadedPack: pack, items, tag: () => [] });
      expect(rerun.skipped).toBe(1);
      const rows = await t.db.selectFrom('articles').select(['guid', 'cluster_id']).orderBy('guid').execute();
      expect(rows).toHaveLength(2);
      expect(rows[0]!.cluster_id).toBe(rows[1]!.cluster_id);
      expect(await t.db.selectFrom('story_clusters').select('source_count').execute()).toEqual([{ source_count: 2 }]);
    } finally {
      await t.dispose();
    }
  });
});
