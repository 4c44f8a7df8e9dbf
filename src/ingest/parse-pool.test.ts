// The parse pool: feeds are read in worker threads, a read past its time or memory budget is abandoned
// with a clear error, and the pool goes on serving the next feed.
import { afterAll, describe, expect, it } from 'vitest';
import { isIngestError } from './errors.ts';
import { ParsePool } from './parse-pool.ts';
import { readFeed } from './read-feed.ts';

const fetchedAt = new Date('2026-11-21T12:00:00.000Z');
const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>${items}</channel></rss>`;
const small = rss(
  '<item><title>One &amp; two</title><guid>g1</guid><description>&lt;p&gt;Hi&lt;/p&gt;</description></item>',
);
const big = rss(
  Array.from(
    { length: 1000 },
    (_, i) => `<item><guid>${i}</guid><description>${'word '.repeat(2000)}</description></item>`,
  ).join(''),
);
const request = { fetchedAt, maxItems: 1000, budgetMs: 20_000 };

const pool = new ParsePool({ size: 1, idleMs: 5_000 });
afterAll(() => pool.close());

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isIngestError(e)) throw new Error(`expected an IngestError, got ${String(e)}`);
  return e;
}

describe('ParsePool', () => {
  it('reads a feed in a worker exactly as readFeed does in-thread', async () => {
    expect(await pool.read(small, request)).toEqual(await readFeed(small, { fetchedAt, maxItems: 1000 }));
  });

  it("returns the parser's own error, code and message", async () => {
    const e = await failure(pool.read('<!doctype html><html><body>hi</body></html>', request));
    expect([e.code, e.message]).toEqual(['not_a_feed', 'not a feed: the server returned an HTML page']);
  });

  it('abandons a read that overruns its time budget, then serves the next one', async () => {
    // 10 MB cannot be copied to a worker, parsed and cleaned in 1 ms: the budget must fire.
    const e = await failure(pool.read(big, { ...request, budgetMs: 1 }));
    expect(e.code).toBe('parse_error');
    expect(e.message).toMatch(/longer than its 1 ms budget .*abandoned/);
    expect((await pool.read(small, request)).items).toHaveLength(1);
  });

  it('abandons a read that needs more than the memory budget, then serves the next one', async () => {
    const tight = new ParsePool({ size: 1, memoryMb: 32 });
    try {
      // 2 MB of empty elements in a broken feed: the tolerant parser's tree of 500k nodes outgrows 32 MB.
      const domBomb = `<rss><channel><item><title>a</title><description>${'<a/>'.repeat(500_000)}</description></item>`;
      const e = await failure(tight.read(domBomb, request));
      expect(e.code).toBe('parse_error');
      expect(e.message).toContain('more than the 32 MB memory budget');
      expect((await tight.read(small, request)).items).toHaveLength(1);
      // Text that could not even be copied into such a worker is refused before it is sent.
      const refused = await failure(tight.read('x'.repeat(5_000_000), request));
      expect([refused.code, refused.message]).toEqual([
        'too_large',
        "the feed text (5000000 characters) is too large for the parser's 32 MB memory budget",
      ]);
    } finally {
      await tight.close();
    }
  });

  it('rejects reads after close', async () => {
    const closed = new ParsePool();
    await closed.close();
    expect((await failure(closed.read(small, request))).message).toContain('closed');
  });
});
