// Scale benchmark helper (not a benchmark itself): a fresh process, as after `start`, opens the database
// given as DATABASE_URL and times the first updateForecast, a second one, the evidence read alone, and a
// recompute from scratch in the engine, beside a same-run reference loop. Prints one JSON line.
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/connect.ts';
import { loadPack } from '../src/pack/load.ts';
import { computeForecast } from '../src/scenarios/engine/index.ts';
import { loadEvidence } from '../src/scenarios/evidence.ts';
import { updateForecast } from '../src/scenarios/forecast.ts';

const [databaseUrl, packFile, nowIso] = process.argv.slice(2) as [string, string, string];
const config = loadConfig({ DATABASE_URL: databaseUrl, PACK: packFile, LOG_LEVEL: 'silent' });
const handle = openDatabase(config.database);
const loaded = loadPack(packFile);
const now = new Date(nowIso);
const later = new Date(now.getTime() + 60_000);

const timed = async <T>(fn: () => Promise<T> | T): Promise<[number, T]> => {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
};
// The connection itself (SQLite: opening the file; PostgreSQL: the pool's first connection) is not the forecast.
await handle.db.selectFrom('meta').select('key').limit(1).execute();
const [firstMs, first] = await timed(() => updateForecast(handle.db, loaded, now));
const [secondMs] = await timed(() => updateForecast(handle.db, loaded, later));
const [readMs, evidence] = await timed(() => loadEvidence(handle.db, loaded.pack.id));
const recompute: number[] = [];
for (let i = 0; i < 5; i++)
  recompute.push((await timed(() => computeForecast(loaded.pack, evidence, [], later, { windowStart: nowIso })))[0]);
const xs = evidence.map((e) => e.publishedAt);
const reference: number[] = [];
for (let i = 0; i < 5; i++)
  reference.push(
    (
      await timed(() => {
        const m = new Map<number, number>();
        for (let k = 0; k < xs.length; k++) m.set(k, Date.parse(xs[k]!));
        return m.size;
      })
    )[0],
  );
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
process.stdout.write(
  `${JSON.stringify({
    evidence: evidence.length,
    firstMs,
    wroteSnapshot: first.snapshot !== null,
    secondMs,
    readMs,
    recomputeMs: median(recompute),
    referenceMs: median(reference),
  })}\n`,
);
await handle.close();
