// `bellwether status [--at DATE] [--json]`: probabilities at a time and what moved them in 24 hours.
import type { Kysely } from 'kysely';
import type { Command } from 'commander';
import type { Database } from '../../db/schema.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import type { Contribution } from '../../scenarios/engine/types.ts';
import { diffContributions, type Mover, type StoredContribution, storyMoves } from '../../scenarios/explanations.ts';
import { forecastAt } from '../../scenarios/forecast.ts';
import type { LoadedPack } from '../../pack/load.ts';
import { parseAtOption } from '../at-option.ts';
import { pickQuestion, type QuestionOptions, questionOptions, runtimeOptions } from '../question-option.ts';

export interface StatusTag {
  indicator: string;
  polarity: string | null;
  modality: string | null;
  status: Mover['status'];
  /** Change in this tag's c(s) per scenario (log-odds). */
  change: Record<string, number>;
}

/** A story that moved the forecast in the 24 hours: its tags inside, its exact push per scenario. */
export interface StatusStory {
  /** `c<clusterId>` or `a<articleId>`. */
  story: string;
  clusterId: number | null;
  articleId: number | null;
  title: string | null;
  url: string | null;
  /** p_now(s) − p_now-without-this-story's-change(s), exact (probability units; ×100 for points). */
  push: Record<string, number>;
  tags: StatusTag[];
}

export interface StatusReport {
  at: string;
  scenarios: { id: string; probability: number }[];
  /** The stories whose evidence appeared, changed or went, largest push first (the read model's storyMoves). */
  stories: StatusStory[];
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

/** The live forecast at `at` and the stories that moved it most since `at` − 24 h (read only). */
export async function statusAt(db: Kysely<Database>, loaded: LoadedPack, at: string, top = 10): Promise<StatusReport> {
  const now = await forecastAt(db, loaded, new Date(at));
  const before = await forecastAt(db, loaded, new Date(Date.parse(at) - 86_400_000));
  const movers = diffContributions(before.contributions.map(stored), now.contributions.map(stored));
  const stories = storyMoves(now.probabilities, movers).slice(0, top);
  const ids = stories.map((m) => m.articleId).filter((x): x is number => x !== null);
  const articles = ids.length
    ? await db.selectFrom('articles').select(['id', 'title', 'url']).where('id', 'in', ids).execute()
    : [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  return {
    at: now.at,
    scenarios: Object.entries(now.probabilities).map(([id, probability]) => ({ id, probability })),
    stories: stories.map((s) => ({
      story: s.story,
      clusterId: s.clusterId,
      articleId: s.articleId,
      title: byId.get(s.articleId ?? -1)?.title ?? null,
      url: byId.get(s.articleId ?? -1)?.url ?? null,
      push: s.push,
      tags: s.movers.map((m) => ({
        indicator: m.indicatorId,
        polarity: m.polarity,
        modality: m.modality,
        status: m.status,
        change: m.change,
      })),
    })),
  };
}

const pts = (d: number) => `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(1)}`;

export function formatStatus(r: StatusReport, names: ReadonlyMap<string, string> = new Map()): string {
  const lines = [`at ${r.at}`];
  for (const s of r.scenarios) lines.push(`  ${s.id.padEnd(16)}${(s.probability * 100).toFixed(1).padStart(6)} %`);
  lines.push(
    '',
    r.stories.length
      ? 'what moved in the last 24 hours, by story (push in points per scenario, exact):'
      : 'nothing moved in the last 24 hours',
  );
  for (const s of r.stories) {
    const push = Object.entries(s.push)
      .map(([id, v]) => `${id} ${pts(v)}`)
      .join(', ');
    lines.push(`  ${s.title ?? `(story ${s.story})`}${s.url ? ` <${s.url}>` : ''}`, `      ${push}`);
    for (const t of s.tags) {
      const what = [names.get(t.indicator) ?? t.indicator, t.polarity, t.modality].filter(Boolean).join(' / ');
      lines.push(`      · [${t.status}] ${what}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One question's status among several (status without --question, PACKS of more than one). */
export interface QuestionStatus extends StatusReport {
  question: string;
  title: string;
  isDefault: boolean;
}

export function registerStatus(program: Command): void {
  questionOptions(
    program
      .command('status')
      .description('print the probabilities at a time (default now) and what moved them in the preceding 24 hours')
      .option('--at <date>', 'YYYY-MM-DD (midnight UTC) or ISO time (default: now)')
      .option(
        '--json',
        'print one JSON document {"at","scenarios":[{"id","probability"}],"stories":[...]}; with several questions and no --question, {"questions":[{"question","title","isDefault",...}]}',
      ),
    'every question',
  ).action(async (opts: QuestionOptions & { at?: string; json?: boolean }) => {
    const at = parseAtOption(opts.at);
    const rt = await openRuntime(runtimeOptions(opts));
    try {
      const chosen = opts.question === undefined ? rt.packs : [pickQuestion(rt.packs, opts.question)];
      const reports: QuestionStatus[] = [];
      for (const loaded of chosen)
        reports.push({
          question: loaded.pack.id,
          title: loaded.pack.title,
          isDefault: loaded === rt.pack,
          ...(await statusAt(rt.db, loaded, at)),
        });
      // One question (a single pack, or --question) keeps the single-question document; several are listed.
      if (reports.length === 1) {
        const { question: _q, title: _t, isDefault: _d, ...one } = reports[0]!;
        const names = new Map(chosen[0]!.pack.indicators.map((i) => [i.id, i.name]));
        process.stdout.write(opts.json ? `${JSON.stringify(one)}\n` : formatStatus(one, names));
        return;
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ questions: reports })}\n`);
        return;
      }
      const text = reports.map((r, i) => {
        const names = new Map(chosen[i]!.pack.indicators.map((x) => [x.id, x.name]));
        return `== ${r.question}: ${r.title}${r.isDefault ? ' (default)' : ''}\n${formatStatus(r, names)}`;
      });
      process.stdout.write(text.join('\n'));
    } finally {
      await rt.close();
    }
  });
}
