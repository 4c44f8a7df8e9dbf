// readSavedReport: a saved `bellwether backtest --json` report, and a clear error for anything else.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedReport } from './report-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bw-report-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const scores = { brier: 0.5, logScore: -0.7 };
const valid = {
  mode: 'loo',
  questions: [{ id: 'q1', sources: { rules: { model: scores } }, prior: scores, uniform: scores }],
  sources: { rules: { pooled: { model: scores, prior: scores, uniform: scores }, calibration: [] } },
};

describe('readSavedReport', () => {
  it('reads a report and when it was written', () => {
    const saved = readSavedReport(file('ok.json', JSON.stringify(valid)));
    expect(saved.report.questions[0]!.id).toBe('q1');
    expect(saved.writtenAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it.each([
    ['missing.json', null, /cannot read it: ENOENT/],
    ['text.json', 'backtest: 8 questions', /: not JSON \(expected the output of `bellwether backtest --json`\)$/],
    ['mode.json', JSON.stringify({ ...valid, mode: 'fit' }), /no "mode" of loo or shipped/],
    ['questions.json', JSON.stringify({ ...valid, questions: [{ id: 1 }] }), /"questions" is not a list/],
    ['sources.json', JSON.stringify({ ...valid, sources: {} }), /"sources" holds no pooled scores/],
  ])('refuses %s, naming the variable and the file', (name, text, message) => {
    const f = text === null ? path.join(dir, name) : file(name, text);
    expect(() => readSavedReport(f)).toThrow(message);
    expect(() => readSavedReport(f)).toThrow(/^TRACK_RECORD_FILE: \//);
  });
});
