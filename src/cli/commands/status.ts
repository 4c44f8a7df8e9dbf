// `bellwether status [--at DATE] [--json]`: probabilities at a time and what moved them in 24 hours.
import type { Kysely } from 'kysely';
import type { Command } from 'commander';
import type { Database } from '../../db/schema.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import type { Contribution } from '../../scenarios/engine/types.ts';
import { diffContributions, type Mover, type StoredContribution } from '../../scenarios/explanations.ts';
import { forecastAt } from '../../scenarios/forecast.ts';
import type { LoadedPack } from '../../pack/load.ts';
import { parseAtOption } from '../at-option.ts';

export interface StatusReport {
  at: string;
  scenarios: { id: string; probability: number }[];
  movers: {
    indicator: string;
    polarity: string | null;
    modality: string | null;
    articleId: number | null;
    clusterId: number | null;
    title: string | null;
    url: string | null;
    status: Mover['status'];
    change: Record<string, number>;
  }[];
}

const stored = (c: Contribution): StoredContribution => ({
  indicatorId: c.indicatorId,
  polarity: c.polarity,
  modality: c.modality,
  clusterId: c.clusterId,
  articleId: c.articleId,
  weight: c.weight,
  logOdds: c.logOdds,
  title: null,
  url: null,
  publishedAt: null,
  feedName: null,
  sources: null,
});

/** The live forecast at `at` and the evidence that moved it most since `at` − 24 h (read only). */
export async function statusAt(db: Kysely<Database>, loaded: LoadedPack, at: string, top = 10): Promise<StatusReport> {
  const now = await forecastAt(db, loaded, new Date(at));
  const before = await forecastAt(db, loaded, new Date(Date.parse(at) - 86_400_000));
  const movers = diffContributions(before.contributions.map(stored), now.contributions.map(stored)).slice(0, top);
  const ids = movers.map((m) => m.articleId).filter((x): x is number => x !== null);
  const articles = ids.length
    ? await db.selectFrom('articles').select(['id', 'title', 'url']).where('id', 'in', ids).execute()
    : [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  return {
    at: now.at,
    scenarios: Object.entries(now.probabilities).map(([id, probability]) => ({ id, probability })),
    movers: movers.map((m) => ({
      indicator: m.indicatorId,
      polarity: m.polarity,
      modality: m.modality,
      articleId: m.articleId,
      clusterId: m.clusterId,
      title: byId.get(m.articleId ?? -1)?.title ?? null,
      url: byId.get(m.articleId ?? -1)?.url ?? null,
      status: m.status,
      change: m.change,
    })),
  };
}

export function formatStatus(r: StatusReport): string {
  const lines = [`at ${r.at}`];
  for (const s of r.scenarios) lines.push(`  ${s.id.padEnd(16)}${(s.probability * 100).toFixed(1).padStart(6)} %`);
  lines.push(
    '',
    r.movers.length
      ? 'what moved in the last 24 hours (change in log-score per scenario):'
      : 'nothing moved in the last 24 hours',
  );
  for (const m of r.movers) {
    const change = Object.entries(m.change)
      .map(([s, v]) => `${s} ${v >= 0 ? '+' : ''}${v.toFixed(3)}`)
      .join(', ');
    const what = [m.indicator, m.polarity, m.modality].filter(Boolean).join(' / ');
    lines.push(`  [${m.status}] ${what}: ${change}${m.title ? `\n      ${m.title}${m.url ? ` <${m.url}>` : ''}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('print the probabilities at a time (default now) and what moved them in the preceding 24 hours')
    .option('--at <date>', 'YYYY-MM-DD (midnight UTC) or ISO time (default: now)')
    .option('--json', 'print one JSON document {"at","scenarios":[{"id","probability"}],"movers":[...]}')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (opts: { at?: string; json?: boolean; pack?: string; db?: string }) => {
      const at = parseAtOption(opts.at);
      const rt = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db });
      try {
        const r = await statusAt(rt.db, rt.pack, at);
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : formatStatus(r));
      } finally {
        await rt.close();
      }
    });
}
