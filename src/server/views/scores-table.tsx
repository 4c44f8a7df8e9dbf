// One table of question scores beside their baselines, for the Track record page: this instance's resolved
// questions and the history library's backtest share its columns, its number format and its footer of means.
import type { Child } from 'hono/jsx';
import type { Scores } from '../../scenarios/score.ts';

const f3 = (n: number) => n.toFixed(3);

export interface ScoreRow {
  id: string;
  title: Child;
  outcome: Child;
  /** Null: the question could not be scored, and `unscored` says why. */
  scores: { days: number; model: Scores | null; prior: Scores; uniform: Scores } | null;
  unscored?: string | null;
}

export function ScoresTable(props: {
  caption: string;
  /** The attribute naming each row's question (tests and scripts find rows by it). */
  rowAttribute: 'data-question' | 'data-library-question';
  rows: readonly ScoreRow[];
  /** The footer: means over the scored questions. */
  mean: { label: string; model: Scores; prior: Scores; uniform: Scores } | null;
}) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Question</th>
          <th scope="col">Outcome</th>
          <th scope="col">Days</th>
          <th scope="col">Brier model</th>
          <th scope="col">Brier prior</th>
          <th scope="col">Brier uniform</th>
          <th scope="col">Log model</th>
          <th scope="col">Log prior</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr {...{ [props.rowAttribute]: r.id }}>
            <th scope="row">{r.title}</th>
            <td>{r.outcome}</td>
            {r.scores ? (
              <>
                <td>{r.scores.days}</td>
                <td>{r.scores.model ? f3(r.scores.model.brier) : '—'}</td>
                <td>{f3(r.scores.prior.brier)}</td>
                <td>{f3(r.scores.uniform.brier)}</td>
                <td>{r.scores.model ? f3(r.scores.model.logScore) : '—'}</td>
                <td>{f3(r.scores.prior.logScore)}</td>
              </>
            ) : (
              <td colspan={6}>not scored: {r.unscored}</td>
            )}
          </tr>
        ))}
      </tbody>
      {props.mean ? (
        <tfoot>
          <tr>
            <th scope="row">{props.mean.label}</th>
            <td></td>
            <td></td>
            <td>{f3(props.mean.model.brier)}</td>
            <td>{f3(props.mean.prior.brier)}</td>
            <td>{f3(props.mean.uniform.brier)}</td>
            <td>{f3(props.mean.model.logScore)}</td>
            <td>{f3(props.mean.prior.logScore)}</td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
