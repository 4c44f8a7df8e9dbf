// The commands that read, resolve or rebuild one question (status, explain, score, resolve, retag) on an instance tracking several
// (--packs, as PACKS): --question picks one (the default question without it), status without it shows every
// question, retag retags every question's pack, and an unknown --question is a usage error naming the known ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { runBin } from './helpers/run-bin.ts';
import { startTwoQuestions, type TwoQuestions } from './helpers/two-questions.ts';

let two: TwoQuestions;
let packs: string;
let explanation: { snapshot: { id: number } };
const at = () => new Date(Date.now() + 60_000).toISOString();

beforeAll(async () => {
  two = await startTwoQuestions();
  packs = `${two.first},${two.second}`;
  explanation = (await (await two.get('/api/v1/questions/border/scenarios/collapse/explanation')).json()) as {
    snapshot: { id: number };
  };
  // The commands work on the database the tracker left.
  await two.stop();
}, 60_000);
afterAll(async () => {
  await two?.close();
});

const bin = (...args: string[]) => runBin([...args, '--packs', packs, '--db', two.database.url]);
interface Status {
  at: string;
  scenarios: { id: string; probability: number }[];
  stories: { tags: { indicator: string }[] }[];
}
const indicators = (s: Status) => [...new Set(s.stories.flatMap((x) => x.tags.map((t) => t.indicator)))].sort();

async function tagsByPack(): Promise<Record<string, string[]>> {
  const handle = openDatabase(two.database.target);
  try {
    const rows = await handle.db.selectFrom('tags').select(['pack_id', 'indicator_id']).execute();
    const out: Record<string, string[]> = {};
    for (const r of rows) out[r.pack_id] = [...new Set([...(out[r.pack_id] ?? []), r.indicator_id])].sort();
    return out;
  } finally {
    await handle.close();
  }
}

// Each test spawns the CLI several times (a second or two each on a shared machine).
describe('commands on several questions', { timeout: 90_000 }, () => {
  it('status shows every question without --question (one JSON document), one with it', async () => {
    const when = at();
    const all = await bin('status', '--at', when, '--json');
    expect(all.code, all.stderr).toBe(0);
    const doc = JSON.parse(all.stdout) as {
      questions: (Status & { question: string; title: string; isDefault: boolean })[];
    };
    expect(doc.questions.map((q) => [q.question, q.isDefault])).toEqual([
      ['minimal', true],
      ['border', false],
    ]);
    expect(indicators(doc.questions[0]!)).toEqual(['ceasefire_signal', 'principal_meeting']);
    expect(indicators(doc.questions[1]!)).toEqual(['ceasefire_signal']);
    const one = await bin('status', '--at', when, '--json', '--question', 'border');
    expect(one.code, one.stderr).toBe(0);
    const { question: _q, title: _t, isDefault: _d, ...border } = doc.questions[1]!;
    expect(JSON.parse(one.stdout)).toEqual(border);
    const text = await bin('status', '--at', when);
    expect(text.stdout).toContain('== minimal: Minimal test pack (default)');
    expect(text.stdout).toContain('== border: Border war truce');
  });

  it('explain and score work on the question --question names, the default without it', async () => {
    // Times from this process's clock: the child's may differ (the suite runs again under a faked clock).
    const when = at();
    const border = await bin('explain', 'collapse', '--at', when, '--json', '--question', 'border');
    expect(border.code, border.stderr).toBe(0);
    expect((JSON.parse(border.stdout) as { snapshot: { id: number } }).snapshot.id).toBe(explanation.snapshot.id);
    const minimal = await bin('explain', 'collapse', '--at', when, '--json');
    expect((JSON.parse(minimal.stdout) as { snapshot: { id: number } }).snapshot.id).not.toBe(explanation.snapshot.id);
    // Only the border question is resolved: it scores, the default question says it is not resolved.
    const resolved = await bin('resolve', 'collapse', '--outcome', 'yes', '--at', when, '--question', 'border');
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('border: collapse resolved yes');
    const score = await bin('score', '--json', '--question', 'border');
    expect(score.code, score.stderr).toBe(0);
    expect((JSON.parse(score.stdout) as { days: number }).days).toBeGreaterThan(0);
    const unresolved = await bin('score', '--json');
    expect(unresolved.code).not.toBe(0);
    expect(unresolved.stdout).toBe('');
  });

  it('refuses an unknown --question (exit 2), naming it and the known ones, and --pack with --packs', async () => {
    for (const args of [
      ['status'],
      ['explain', 'deal'],
      ['score'],
      ['retag'],
      ['resolve', 'deal', '--outcome', 'no'],
    ]) {
      const r = await bin(...args, '--question', 'nope');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--question: unknown question "nope" (known: minimal, border)');
    }
    const both = await runBin(['status', '--pack', two.first, '--packs', packs, '--db', two.database.url]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--pack and --packs');
  });

  it("retag retags every question's pack, each keeping its own tags, and rebuilds each history", async () => {
    const handle = openDatabase(two.database.target);
    await handle.db.deleteFrom('tags').where('pack_id', '=', 'border').execute();
    await handle.close();
    const r = await bin('retag');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/retagged 2 articles: \d+ tags \(pack minimal, rules \w+; pack border, rules \w+\)/);
    expect(r.stdout).toMatch(/recomputed the forecast history of minimal: \d+ snapshots/);
    expect(r.stdout).toMatch(/recomputed the forecast history of border: \d+ snapshots/);
    expect(await tagsByPack()).toEqual({
      minimal: ['ceasefire_signal', 'principal_meeting'],
      border: ['ceasefire_signal'],
    });
    const one = await bin('retag', '--question', 'border');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/\(pack border, rules \w+\)/);
    expect(one.stdout).toMatch(/recomputed the forecast history: \d+ snapshots/);
    expect(await tagsByPack()).toEqual({
      minimal: ['ceasefire_signal', 'principal_meeting'],
      border: ['ceasefire_signal'],
    });
  });
});
