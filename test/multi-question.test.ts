// Several questions in one instance (PACKS): `start` tags and forecasts both questions from the same
// feed, each question's pages and API answer under its own prefix, the single-question routes keep showing
// the default question, and a resolved question joins the Track record page with its calibration plot.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../src/backtest/library.ts';
import { runBacktest } from '../src/backtest/run.ts';
import { openDatabase } from '../src/db/connect.ts';
import { loadPack } from '../src/pack/load.ts';
import { recordResolution } from '../src/scenarios/resolutions.ts';
import { waitFor } from './helpers/local-wire.ts';
import { type QuestionSummary as Question, startTwoQuestions, type TwoQuestions } from './helpers/two-questions.ts';

let two: TwoQuestions;
let libraryIds: string[];

const get = async (p: string) => two.get(p);
const json = async <T>(p: string): Promise<T> => {
  const res = await get(p);
  expect(res.status, p).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  two = await startTwoQuestions({
    // The Track record page shows a saved backtest: two real library questions, scored with their packs' settings.
    prepare: (dir) => {
      const library = loadLibrary(path.resolve(import.meta.dirname, '../packs/history'));
      const report = runBacktest(library.questions.slice(0, 2), { shipped: true, sources: ['rules'] });
      writeFileSync(path.join(dir, 'backtest.json'), JSON.stringify(report));
      libraryIds = report.questions.map((q) => q.id);
      return { TRACK_RECORD_FILE: path.join(dir, 'backtest.json') };
    },
  });
}, 60_000);

afterAll(async () => {
  await two?.close();
});

describe('two questions in one instance', () => {
  it('lists both questions, the default first, with links to their pages and API', async () => {
    const { questions } = await json<{ questions: Question[] }>('/api/v1/questions');
    expect(questions.map((q) => [q.id, q.isDefault, q.closed])).toEqual([
      ['minimal', true, false],
      ['border', false, false],
    ]);
    expect(questions[1]!.links).toMatchObject({
      page: '/questions/border/',
      scenarios: '/api/v1/questions/border/scenarios',
    });
    expect((await json<Question>('/api/v1/questions/border')).id).toBe('border');
    const missing = await get('/api/v1/questions/nope/scenarios');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('unknown question');
    expect((await get('/questions/nope/')).status).toBe(404);
  });

  it('tags each question by its own rules and forecasts each', async () => {
    const minimal = await json<{ items: { tags: { indicatorId: string }[] }[] }>('/api/v1/evidence');
    const border = await json<{ items: { tags: { indicatorId: string }[] }[] }>('/api/v1/questions/border/evidence');
    const ids = (page: typeof minimal) => new Set(page.items.flatMap((i) => i.tags.map((t) => t.indicatorId)));
    expect([...ids(minimal)].sort()).toEqual(['ceasefire_signal', 'principal_meeting']);
    // The border question has no rule for a leaders' meeting: only the truce is its evidence.
    expect([...ids(border)]).toEqual(['ceasefire_signal']);
    const a = await json<{ scenarios: { id: string; probability: number }[] }>('/api/v1/questions/minimal/scenarios');
    const b = await json<{ scenarios: { id: string; probability: number }[] }>('/api/v1/questions/border/scenarios');
    expect(a.scenarios.find((s) => s.id === 'deal')!.probability).not.toBeCloseTo(
      b.scenarios.find((s) => s.id === 'deal')!.probability,
      3,
    );
    const history = await json<{ points: unknown[] }>('/api/v1/questions/border/history');
    expect(history.points.length).toBeGreaterThan(0);
  });

  it('keeps the single-question routes on the default question', async () => {
    const single = await json<{ question: string; scenarios: unknown[] }>('/api/v1/scenarios');
    const scoped = await json<{ question: string; scenarios: unknown[] }>('/api/v1/questions/minimal/scenarios');
    expect(single).toEqual(scoped);
    expect(single.question).toBe('Deal, freeze or collapse?');
    expect(await (await get('/api/v1/history')).json()).toEqual(await json('/api/v1/questions/minimal/history'));
  });

  it("serves each question's pages with links under its prefix, and the overview lists the live questions", async () => {
    const page = await (await get('/questions/border/')).text();
    expect(page).toContain('<h1>Border war truce</h1>');
    expect(page).toContain('href="/questions/border/scenarios/deal"');
    expect(page).toContain('href="/api/v1/questions/border/history.csv"');
    expect(page).toContain('data-stream="/api/v1/questions/border/stream"');
    // Instance-wide links stay where they are.
    expect(page).toContain('href="/static/style.css"');
    expect(page).toContain('href="/feeds"');
    expect(page).not.toMatch(/href="\/scenarios\//);
    const scenario = await get('/questions/border/scenarios/deal');
    expect(scenario.status).toBe(200);
    expect(await scenario.text()).toContain('href="/questions/border/"');
    const overview = await (await get('/')).text();
    expect(overview).toContain('<h1>Minimal test pack</h1>');
    expect(overview).toContain('href="/questions/border/"');
    expect(overview).toContain('href="/questions/minimal/"');
    expect(overview).toContain('href="/scenarios/deal"');
    const questionsPage = await get('/questions');
    expect(questionsPage.status).toBe(200);
    expect(await questionsPage.text()).toContain('Border war truce');
  });

  it("streams each question's snapshots", async () => {
    const stop = new AbortController();
    const res = await two.get('/api/v1/questions/border/stream', { signal: stop.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    stop.abort();
    const data = JSON.parse(/data: (.*)/.exec(text)![1]!) as { id: number; probabilities: Record<string, number> };
    const latest = await json<Question>('/api/v1/questions/border');
    expect(Object.keys(data.probabilities).sort()).toEqual(['collapse', 'deal', 'frozen']);
    expect(data.probabilities.collapse).toBeCloseTo(latest.scenarios.find((s) => s.id === 'collapse')!.probability!, 6);
  });

  it('gives each question its own JSON Feed, its items carrying the question id', async () => {
    const feed = await json<{
      feed_url: string;
      _bellwether: { pack: string };
      items: { _bellwether: { question: string } }[];
    }>('/questions/border/feed.json');
    expect(feed._bellwether.pack).toBe('border');
    expect(feed.feed_url).toMatch(/\/questions\/border\/feed\.json$/);
    for (const item of feed.items) expect(item._bellwether.question).toBe('border');
    const main = await json<{ _bellwether: { pack: string } }>('/feed.json');
    expect(main._bellwether.pack).toBe('minimal');
  });

  it('puts a resolved question on the Track record page, scored, with an SVG calibration plot', async () => {
    const empty = await (await get('/track-record')).text();
    expect(empty).toContain('No question of this instance has resolved yet.');
    const handle = openDatabase(two.database.target);
    try {
      const now = new Date();
      await recordResolution(
        handle.db,
        loadPack(two.second).pack,
        { scenarioId: 'frozen', outcome: 'yes', resolvedAt: now, resolvedBy: 'test' },
        now,
      );
    } finally {
      await handle.close();
    }
    const html = await waitFor(async () => {
      const text = await (await get('/track-record')).text();
      return text.includes('data-question="border"') ? text : null;
    }, 10_000);
    expect(html).toContain('<h1>Track record</h1>');
    const row = /<tr data-question="border">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    expect(row).toContain('Frozen');
    expect(row).toMatch(/<td>\d\.\d{3}<\/td>/);
    const svg = /<svg class="calibration"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="cal-t">/);
    expect(svg).toMatch(/<desc id="cal-d">[^<]*happened/);
    // One circle per non-empty bin: three scenarios forecast on one day fill at least one bin.
    expect(svg.match(/<circle /g)?.length ?? 0).toBeGreaterThan(0);
    const { questions } = await json<{ questions: Question[] }>('/api/v1/questions');
    expect(questions.find((q) => q.id === 'border')!.closed).toBe(true);
    // The history library's saved backtest, below: its questions, and a second plot.
    for (const id of libraryIds) expect(html).toContain(`data-library-question="${id}"`);
    expect(html).toContain('These are replays of past news, not forecasts made at the time.');
    expect(html).toMatch(/<svg class="calibration"[^>]*aria-labelledby="lib-rules-t lib-rules-d"/);
  });
});
