// `bellwether backtest` through the real CLI (node bin/bellwether.js) on a fixture library of two real questions.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BacktestReport } from '../src/backtest/run.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const LIBRARY = path.join(root, 'test/fixtures/backtest/library');

async function cli(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/bellwether.js', 'backtest', ...args], { cwd: root });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bellwether backtest', () => {
  it('--json: every good question scored with both evidence sources; bad input named, the rest kept', async () => {
    const r = await cli('--json', '--library', LIBRARY);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as BacktestReport;
    expect(report.questions.map((q) => q.id)).toEqual(['india-pakistan-may-2025', 'thailand-cambodia-jul-2025']);
    const thai = report.questions[1]!;
    expect(thai.days).toBe(13); // 15 July to 27 July: the outcome day (28 July) is not scored
    expect(thai.sources.gold.evidence).toBeGreaterThan(100);
    expect(thai.sources.rules.evidence).toBeGreaterThan(50);
    expect(thai.sources.gold.fitted).toBe(true);
    expect(thai.sources.gold.market).toMatchObject({ days: 3 });
    expect(report.questions[0]!.sources.gold.market).toBeNull();
    for (const s of ['gold', 'rules'] as const) {
      expect(report.sources[s].pooled.prior.brier).toBeCloseTo((0.845 + 1.125) / 2, 2);
      expect(report.sources[s].calibration.reduce((a, b) => a + b.count, 0)).toBe((17 + 13) * 2);
    }
    expect(r.stderr).toContain('broken/meta.yaml: outcome.scenario: unknown scenario "truce"');
    expect(r.stderr).toContain('thailand-cambodia-jul-2025/corpus.jsonl:133: date: expected a date YYYY-MM-DD');
  });

  it('prints Markdown with --markdown (docs/track-record.md is this output)', async () => {
    const md = await cli('--markdown', '--library', LIBRARY);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Track record/);
    expect(md.stdout).toContain('## Evidence: gold labels (perfect tags)');
    expect(md.stdout).toContain('## Evidence: rule tagger (titles + summaries)');
    expect(md.stdout).toContain('| thailand-cambodia-jul-2025 | ceasefire | 13 |');
  });

  it('--fit-on: a held-out question is scored with the settings fitted on another library, unchanged', async () => {
    const heldOut = path.join(root, 'packs/history-heldout');
    const r = await cli('--json', '--library', heldOut, '--fit-on', LIBRARY);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as BacktestReport;
    expect(report.mode).toBe('held-out');
    expect(report.questions.map((q) => q.id)).toEqual(['ukraine-30day-ceasefire-mar-2025']);
    for (const s of ['gold', 'rules'] as const) {
      const q = report.questions[0]!.sources[s];
      // The settings the fitting library chose, the same for every held-out question, and recorded as fitted.
      expect(q.params).toEqual(report.sources[s].fittedAll);
      expect(q.fitted).toBe(true);
    }
    const overlap = await cli('--library', LIBRARY, '--fit-on', LIBRARY);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toContain('also in --library: a held-out question must not be fitted on');
  }, 180_000); // 648 settings replayed on two questions and two evidence sources: seconds, more on a loaded machine

  it('fails with one line when the library has no question', async () => {
    const r = await cli('--library', path.join(root, 'test/fixtures/backtest'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no question found');
  });
});
