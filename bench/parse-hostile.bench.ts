// Issue 18's quadratic probes, measured: read time (parse + HTML → text) of hostile markup at 0.3, 0.6,
// 1.2 and 2.4 MB beside a well-formed feed of the same size (linear means each doubling doubles the
// time), and the main thread's worst event-loop delay while the parse pool reads the worst of them.
import { ParsePool } from '../src/ingest/parse-pool.ts';
import { readFeed } from '../src/ingest/read-feed.ts';

const SIZES_MB = [0.3, 0.6, 1.2, 2.4];
const HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>';
const fetchedAt = new Date();

/** `unit` repeated to about `mb` megabytes, inside `before` … `after`. */
const fill = (mb: number, before: string, unit: string, after: string): string =>
  before + unit.repeat(Math.max(1, Math.round((mb * 1e6 - before.length - after.length) / unit.length))) + after;

/** 500 items (under the 1,000-item cap, so every byte is parsed) whose descriptions grow with the size. */
const wellFormed = (mb: number): string => {
  const words = Math.max(1, Math.round((mb * 1e6) / 500 / 6));
  const item = (i: number) =>
    `<item><title>Story ${i}: talks &amp; ceasefire</title><link>https://news.example/${i}</link><guid>g${i}</guid>` +
    `<description>&lt;p&gt;Lede ${i}: ${'word '.repeat(words)}&lt;/p&gt;</description></item>`;
  return `${HEAD}${Array.from({ length: 500 }, (_, i) => item(i)).join('')}</channel></rss>`;
};

const CASES: [string, (mb: number) => string][] = [
  ['well-formed feed (reference)', wellFormed],
  [
    'unclosed <d> nesting',
    (mb) => fill(mb, `${HEAD}<item><title>a</title><description>`, '<d>', '</description></item>'),
  ],
  ['unclosed nesting, unmatched closes', (mb) => fill(mb, `${HEAD}<item><title>a</title><description>`, '<d></z>', '')],
  ['unterminated <!-- repeated', (mb) => fill(mb, `${HEAD}<item><title>a</title><description>`, '<!--', '')],
  ['<!DOCTYPE [ repeated', (mb) => fill(mb, '', '<!DOCTYPE [', '')],
  [
    'escaped deep HTML in a good feed',
    (mb) =>
      fill(mb, `${HEAD}<item><title>a</title><description>`, '&lt;d&gt;', '</description></item></channel></rss>'),
  ],
];

async function readMs(text: string): Promise<number> {
  const t = performance.now();
  await readFeed(text, { fetchedAt }).catch(() => undefined); // a parse_error is a result too
  return performance.now() - t;
}

await readMs(wellFormed(0.1)); // warm up: module loading and JIT do not count
console.log(
  'read time in ms (best of 3), in-thread: linear is ×2 per doubling, 8x from 0.3 to 2.4 MB (quadratic: 64x)',
);
console.log(`${'case'.padEnd(38)}${SIZES_MB.map((s) => `${s} MB`.padStart(10)).join('')}   2.4/0.3`);
const reference: number[] = [];
for (const [name, make] of CASES) {
  const row: number[] = [];
  for (const mb of SIZES_MB) {
    const text = make(mb);
    row.push(Math.min(await readMs(text), await readMs(text), await readMs(text)));
  }
  if (reference.length === 0) reference.push(...row);
  const vsRef = row.map((ms, i) => `${(ms / reference[i]!).toFixed(1)}x`).join(' ');
  console.log(
    `${name.padEnd(38)}${row.map((ms) => ms.toFixed(0).padStart(10)).join('')}   ${(row[3]! / row[0]!).toFixed(1).padStart(5)}x   (vs well-formed: ${vsRef})`,
  );
}

// The event loop while 2.4 MB of unclosed nesting is read: in-thread, and through the parse pool.
const worst = CASES[1]![1](2.4);
/** The longest the event loop went without a turn while `read` ran (a setImmediate ticker's widest gap). */
async function loopMax(read: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let max = 0;
  let running = true;
  const tick = (): void => {
    const t = performance.now();
    max = Math.max(max, t - last);
    last = t;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await read();
  running = false;
  return Math.max(max, performance.now() - last);
}
const pool = new ParsePool({ size: 1 });
await pool.read(wellFormed(0.1), { fetchedAt, maxItems: 1000, budgetMs: 60_000 }); // start the worker first
const inThread = await loopMax(() => readFeed(worst, { fetchedAt }));
const inPool = await loopMax(() => pool.read(worst, { fetchedAt, maxItems: 1000, budgetMs: 60_000 }));
await pool.close();
console.log(
  `event loop, longest stall while reading 2.4 MB of unclosed nesting: in-thread ${inThread.toFixed(0)} ms, parse pool ${inPool.toFixed(0)} ms`,
);
