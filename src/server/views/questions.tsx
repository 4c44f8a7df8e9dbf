// The questions an instance tracks (PACKS): the list on the overview and the /questions page.
import type { QuestionSummary } from '../questions/model.ts';
import { questionPath } from '../questions/model.ts';
import { countdown, dateTime, pct } from './format.ts';
import { Layout } from './layout.tsx';

/** One line per question: its title (linking to its pages), its leading scenario, and where it stands. */
export function QuestionsList(props: { questions: readonly QuestionSummary[]; now: Date; current?: string }) {
  return (
    <ul class="questions">
      {props.questions.map((q) => {
        const top = [...q.scenarios].sort((a, b) => (b.probability ?? -1) - (a.probability ?? -1))[0];
        return (
          <li data-question={q.id}>
            <a href={`${questionPath(q.id)}/`} aria-current={props.current === q.id ? 'page' : undefined}>
              {q.title}
            </a>
            {q.isDefault ? ' (default)' : ''}
            {' — '}
            {q.closed
              ? q.outcome
                ? `resolved: ${q.scenarios.find((s) => s.id === q.outcome)?.name ?? q.outcome}`
                : 'closed, awaiting resolution'
              : top && top.probability !== null
                ? `${top.name} ${pct(top.probability, 0)}, horizon ${q.horizon} (${countdown(q.horizon, props.now)})`
                : `no forecast yet, horizon ${q.horizon}`}
          </li>
        );
      })}
    </ul>
  );
}

/** /questions: every question, live ones first, with each scenario's probability. */
export function QuestionsPage(props: { questions: readonly QuestionSummary[]; now: Date }) {
  const live = props.questions.filter((q) => !q.closed);
  const closed = props.questions.filter((q) => q.closed);
  const table = (list: readonly QuestionSummary[], caption: string) => (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Question</th>
          <th scope="col">Scenarios</th>
          <th scope="col">Horizon</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {list.map((q) => (
          <tr data-question={q.id}>
            <th scope="row">
              <a href={`${questionPath(q.id)}/`}>{q.title}</a>
              {q.isDefault ? ' (default)' : ''}
              <br />
              <small>{q.question}</small>
            </th>
            <td>{q.scenarios.map((s) => `${s.name} ${pct(s.probability, 0)}`).join(' · ')}</td>
            <td>{q.horizon}</td>
            <td>{q.asOf ? <time datetime={q.asOf}>{dateTime(q.asOf)}</time> : 'no forecast yet'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <Layout title="Questions" active="/questions" snapshotId={null}>
      <h1>Questions</h1>
      <p>
        Every question this instance tracks. Each has its own pages under <code>/questions/ID/</code> and its own API
        under <code>/api/v1/questions/ID/</code>; the pages at <code>/</code> and the routes under <code>/api/v1/</code>{' '}
        show the default question. Resolved questions are scored on the <a href="/track-record">Track record</a>.
      </p>
      {live.length > 0 ? table(live, 'Live questions') : <p>No live question.</p>}
      {closed.length > 0 ? table(closed, 'Closed questions (no longer forecast)') : null}
    </Layout>
  );
}
