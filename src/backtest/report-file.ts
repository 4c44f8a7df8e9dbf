// Reads a saved backtest report (`bellwether backtest --json > FILE`), which the Track record page shows
// (TRACK_RECORD_FILE): the backtest takes minutes, so the server shows a report made beforehand, saying so.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import type { BacktestReport } from './results.ts';

export interface SavedReport {
  report: BacktestReport;
  /** The file as configured, and when it was last written (ISO-8601): the page says both. */
  file: string;
  writtenAt: string;
}

/** Reads and checks the report's outline (mode, questions, sources); a file that is not one names the problem. */
export function readSavedReport(file: string): SavedReport {
  const fail = (why: string): never => {
    throw new ConfigError(
      'TRACK_RECORD_FILE',
      `${file}: ${why} (expected the output of \`bellwether backtest --json\`)`,
    );
  };
  let text = '';
  let writtenAt = '';
  try {
    text = readFileSync(file, 'utf8');
    writtenAt = statSync(file).mtime.toISOString();
  } catch (cause) {
    fail(`cannot read it: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    fail('not JSON');
  }
  const r = report as Partial<BacktestReport> | null;
  if (!r || (r.mode !== 'loo' && r.mode !== 'shipped')) fail('no "mode" of loo or shipped');
  if (!Array.isArray(r!.questions) || r!.questions.some((q) => typeof q?.id !== 'string' || !q.sources || !q.prior))
    fail('"questions" is not a list of scored questions');
  const sources = Object.values(r!.sources ?? {});
  if (sources.length === 0 || sources.some((s) => !s?.pooled || !Array.isArray(s.calibration)))
    fail('"sources" holds no pooled scores and calibration');
  return { report: r as BacktestReport, file, writtenAt };
}
