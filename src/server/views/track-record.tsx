// The Track record page: the questions this instance resolved, their scores beside the baselines, calibration.
import type { TrackRecord } from '../track-record/model.ts';
import { questionPath } from '../questions/model.ts';
import { CalibrationPlot } from './calibration-plot.tsx';
import { pct } from './format.ts';
import { Layout } from './layout.tsx';
import type { SavedReport } from '../../backtest/report-file.ts';
import { LibrarySection } from './library-record.tsx';
import { ScoresTable } from './scores-table.tsx';

export function TrackRecordPage(props: { record: TrackRecord; library: SavedReport | null }) {
  const { questions, pooled, calibration } = props.record;
  return (
    <Layout title="Track record" active="/track-record" snapshotId={null}>
      <h1>Track record</h1>
      <p>
        The questions this instance tracked that have resolved, each scored from its stored forecast history: the
        forecast at the end of every day up to its resolution, against what happened. Brier is Σ (p − outcome)² over the
        scenarios (0 best, 2 worst); log is the mean ln p(outcome) (0 best). Baselines: the question's static priors and
        uniform.
      </p>
      <p>
        What this is not: a history built with <code>bellwether replay</code> (a corpus run through the pipeline after
        the fact) is scored the same way, so a question is a live record only if this instance forecast it as the news
        came. The history library's backtest, below, is a replay too: questions resolved before this program scored
        them, with settings fitted on the other questions.
      </p>
      {questions.length === 0 ? (
        <p>No question of this instance has resolved yet.</p>
      ) : (
        <ScoresTable
          caption="Resolved questions"
          rowAttribute="data-question"
          rows={questions.map((q) => ({
            id: q.id,
            title: <a href={`${questionPath(q.id)}/`}>{q.title}</a>,
            outcome: (
              <>
                {q.outcomeName} (<time datetime={q.resolvedAt}>{q.resolvedAt.slice(0, 10)}</time>)
              </>
            ),
            scores: q.report
              ? {
                  days: q.report.days,
                  model: q.report,
                  prior: q.report.baselines.prior,
                  uniform: q.report.baselines.uniform,
                }
              : null,
            unscored: q.unscored,
          }))}
          mean={pooled ? { label: `Mean over ${pooled.questions} scored`, ...pooled } : null}
        />
      )}
      <section aria-labelledby="calibration-h">
        <h2 id="calibration-h">Calibration</h2>
        <p>
          Every scenario's daily forecast of every scored question, in ten bins: when the forecast said about x %, how
          often did the scenario happen? Points on the diagonal are well calibrated; larger points hold more forecasts.
        </p>
        <CalibrationPlot bins={calibration} id="cal" title="Calibration of the resolved questions' daily forecasts" />
        <table>
          <caption>Calibration table</caption>
          <thead>
            <tr>
              <th scope="col">Forecast</th>
              <th scope="col">Count</th>
              <th scope="col">Mean forecast</th>
              <th scope="col">Observed</th>
            </tr>
          </thead>
          <tbody>
            {calibration
              .filter((b) => b.count > 0)
              .map((b) => (
                <tr>
                  <td>
                    {pct(b.from, 0)}–{pct(b.to, 0)}
                  </td>
                  <td>{b.count}</td>
                  <td>{pct(b.meanForecast, 1)}</td>
                  <td>{pct(b.observed, 1)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </section>
      <LibrarySection saved={props.library} />
    </Layout>
  );
}
