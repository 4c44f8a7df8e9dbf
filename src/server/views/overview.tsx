// The overview page: the question, each scenario's probability and changes, the chart, deadlines.
import type { OverviewModel } from '../model/overview.ts';
import { Bar, ProbabilityChart } from './chart.tsx';
import { ago, countdown, dateTime, dayLabel, pct, points } from './format.ts';
import { Layout } from './layout.tsx';
import type { QuestionSummary } from '../questions/model.ts';
import { QuestionsList } from './questions.tsx';
import type { WatchModel } from '../../scenarios/watch.ts';
import { WatchTable } from './watch.tsx';

export function OverviewPage(props: {
  model: OverviewModel;
  watch: WatchModel | null;
  now: Date;
  /** The live questions of an instance tracking several (PACKS), and which one this page shows. */
  questions?: readonly QuestionSummary[];
  current?: string;
}) {
  const m = props.model;
  return (
    <Layout title={m.title} active="/" snapshotId={m.snapshotId} notices={m.notices}>
      <h1>{m.title}</h1>
      <p class="question">{m.question}</p>
      {props.questions ? (
        <nav aria-labelledby="questions-h" class="questions">
          <h2 id="questions-h">Live questions</h2>
          <QuestionsList questions={props.questions} now={props.now} current={props.current} />
          <p>
            <a href="/questions">All questions</a> · <a href="/track-record">Track record</a>
          </p>
        </nav>
      ) : null}
      <p class="updated">
        {m.asOf ? (
          <>
            Last updated <time datetime={m.asOf}>{dateTime(m.asOf)}</time> ({ago(m.asOf, props.now)})
          </>
        ) : (
          'No forecast yet: probabilities appear after the first snapshot.'
        )}
      </p>
      <section aria-labelledby="scenarios-h">
        <h2 id="scenarios-h">Scenarios</h2>
        <ul class="cards">
          {m.scenarios.map((s, i) => (
            <li class="card" data-scenario={s.id}>
              <h3>
                <a href={`/scenarios/${encodeURIComponent(s.id)}`}>{s.name}</a>
              </h3>
              <p class="prob" data-probability={s.probability ?? ''}>
                {pct(s.probability)}
              </p>
              <Bar p={s.probability} index={i} label={s.name} />
              <dl class="changes">
                <div>
                  <dt>24 h</dt>
                  <dd class={cls(s.change24h)}>{points(s.change24h)}</dd>
                </div>
                <div>
                  <dt>7 d</dt>
                  <dd class={cls(s.change7d)}>{points(s.change7d)}</dd>
                </div>
              </dl>
              {s.resolved ? <p class="resolved">Resolved: {s.outcome}</p> : null}
              {s.deadline ? (
                <p class="deadline">
                  Deadline {s.deadline}:{' '}
                  <strong>{s.deadlinePassed ? 'passed, not resolved' : countdown(s.deadline, props.now)}</strong>
                </p>
              ) : null}
              <p class="why">
                <a href={`/scenarios/${encodeURIComponent(s.id)}`}>Why {pct(s.probability, 0)}?</a>
              </p>
            </li>
          ))}
        </ul>
        <p class="deadline">
          Horizon {m.horizon}: {m.closed ? 'the question has closed' : countdown(m.horizon, props.now)}
        </p>
      </section>
      <section aria-labelledby="chart-h">
        <h2 id="chart-h">Probability over time</h2>
        <ProbabilityChart
          history={m.history}
          series={m.scenarios.map((s, i) => ({ id: s.id, name: s.name, index: i, deadline: s.deadline }))}
          moves={m.moves}
          market={m.market}
          title="Scenario probabilities over time"
          dayHref={(day) => `/days/${day}`}
        />
        <p class="exports">
          Download the history: <a href="/api/v1/history.csv">CSV</a> · <a href="/api/v1/history">JSON</a>
        </p>
        {m.moves.length > 0 ? (
          <>
            <h3>Largest moves</h3>
            <ol class="moves">
              {m.moves.map((mv) => (
                <li>
                  <a href={`/days/${mv.at.slice(0, 10)}`}>
                    {`${m.scenarios.find((s) => s.id === mv.scenarioId)?.name ?? mv.scenarioId} ${points(mv.delta)}`}
                  </a>{' '}
                  on <time datetime={mv.at}>{dayLabel(mv.at, true)}</time>
                  {mv.headline ? <span class="headline">{`: ${mv.headline}`}</span> : null}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </section>
      <WatchTable model={props.watch} scenarios={m.scenarios} />
    </Layout>
  );
}

const cls = (d: number | null) => (d === null || Math.abs(d) < 0.0005 ? 'flat' : d > 0 ? 'up' : 'down');
