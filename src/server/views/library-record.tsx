// The Track record page's second half: the history library's backtest, read from a saved report.
import type { SavedReport } from '../../backtest/report-file.ts';
import { SOURCE_NAMES, type EvidenceSource } from '../../backtest/types.ts';
import { CalibrationPlot } from './calibration-plot.tsx';
import { dateTime } from './format.ts';
import { ScoresTable } from './scores-table.tsx';

export function LibrarySection(props: { saved: SavedReport | null }) {
  const saved = props.saved;
  return (
    <section aria-labelledby="library-h">
      <h2 id="library-h">History library backtest</h2>
      {saved === null ? (
        <p>
          Not shown: the backtest replays every question of the history library and takes minutes, so this page shows a
          report saved beforehand. Save one with <code>bellwether backtest --json &gt; FILE</code> and set{' '}
          <code>TRACK_RECORD_FILE</code> to it.
        </p>
      ) : (
        <>
          <p>
            {saved.report.questions.length} resolved questions of the history library, replayed day by day through the
            engine from a dated corpus and scored against what happened.{' '}
            {saved.report.mode === 'loo'
              ? 'Each question is scored with settings fitted on the other questions only (leave-one-question-out): nothing is tuned on the question it is scored on.'
              : 'Each question is scored with the settings its pack carries (no fitting).'}{' '}
            These are replays of past news, not forecasts made at the time. From the report <code>{saved.file}</code>,
            written <time datetime={saved.writtenAt}>{dateTime(saved.writtenAt)}</time>.
          </p>
          {(Object.keys(saved.report.sources) as EvidenceSource[]).map((source) => (
            <SourceResults saved={saved} source={source} />
          ))}
        </>
      )}
    </section>
  );
}

function SourceResults(props: { saved: SavedReport; source: EvidenceSource }) {
  const { report } = props.saved;
  const s = report.sources[props.source];
  const id = `lib-${props.source}`;
  return (
    <>
      <h3>Evidence: {SOURCE_NAMES[props.source] ?? props.source}</h3>
      <ScoresTable
        caption={`Library questions, ${SOURCE_NAMES[props.source] ?? props.source}: model against the static priors and uniform`}
        rowAttribute="data-library-question"
        rows={report.questions.map((q) => ({
          id: q.id,
          title: q.title,
          outcome: q.outcome,
          scores: { days: q.days, model: q.sources[props.source]?.model ?? null, prior: q.prior, uniform: q.uniform },
        }))}
        mean={{ label: 'Mean over questions', ...s.pooled }}
      />
      <CalibrationPlot
        bins={s.calibration}
        id={id}
        title={`Calibration of the library backtest, ${SOURCE_NAMES[props.source] ?? props.source}`}
      />
    </>
  );
}
