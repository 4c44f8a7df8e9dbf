// The scenario page: why the probability is what it is (stories for and against, leave-one-out) and its history.
import type { Scenario } from '../../pack/schema.ts';
import type { ResolutionRecord } from '../../scenarios/question-state.ts';
import type { ScenarioExplanation, StoryExplanation } from '../../scenarios/explanations.ts';
import type { SnapshotPoint } from '../../scenarios/snapshots.ts';
import type { MarketSeriesPoint } from '../../scenarios/market.ts';
import type { Move } from '../model/overview.ts';
import { ProbabilityChart } from './chart.tsx';
import { countdown, dateTime, pct, signed } from './format.ts';
import { Layout, safeHref } from './layout.tsx';
import type { WatchModel } from '../../scenarios/watch.ts';
import { WatchList } from './watch.tsx';

export interface ScenarioPageProps {
  scenario: Scenario;
  index: number;
  snapshot: SnapshotPoint | null;
  latestId: number | null;
  explained: ScenarioExplanation | null;
  history: SnapshotPoint[];
  moves: Move[];
  /** The market or crowd points of this scenario over the history's span. */
  market: MarketSeriesPoint[];
  indicatorNames: Map<string, string>;
  resolved: ResolutionRecord | null;
  /** The deadline passed with no resolution recorded. */
  deadlinePassed: boolean;
  notices: readonly string[];
  /** What one new story of each indicator would do now (null when not computed). */
  watch: WatchModel | null;
  now: Date;
}

function StoryTable(props: { rows: StoryExplanation[]; caption: string; names: Map<string, string> }) {
  if (props.rows.length === 0) return <p class="empty">{`${props.caption}: none.`}</p>;
  return (
    <div class="scroll" tabindex={0} role="region" aria-label={`${props.caption} (scrolls sideways)`}>
      <table class="stories">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Story and its tags</th>
            <th scope="col">Sources</th>
            <th scope="col">Log-odds</th>
            <th scope="col">Without this story</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const href = safeHref(r.url);
            const title = r.title ?? `(story ${r.story})`;
            return (
              <tr data-story={r.story}>
                <td>
                  {href ? (
                    <a href={href} rel="noopener noreferrer nofollow">
                      {title}
                    </a>
                  ) : (
                    title
                  )}
                  {r.publishedAt ? (
                    <small>
                      {' '}
                      · <time datetime={r.publishedAt}>{dateTime(r.publishedAt)}</time>
                    </small>
                  ) : null}
                  {r.feedName ? <small> · {r.feedName}</small> : null}
                  <ul class="story-tags">
                    {r.tags.map((t) => (
                      <li>
                        {props.names.get(t.indicatorId) ?? t.indicatorId}
                        <small>{` (${t.polarity ?? 'level'}${t.modality ? `, ${t.modality}` : ''}) ${signed(t.shift)}`}</small>
                      </li>
                    ))}
                  </ul>
                </td>
                <td class="num">{r.sources ?? 1}</td>
                <td class="num">{signed(r.shift)}</td>
                <td class="num" data-without={r.without}>
                  {pct(r.without)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ScenarioPage(p: ScenarioPageProps) {
  const s = p.scenario;
  const prob = p.snapshot?.probabilities[s.id] ?? null;
  const historical = p.snapshot !== null && p.snapshot.id !== p.latestId;
  // A past snapshot shows the time left as it was then, not as it is now.
  const asOf = historical ? new Date(p.snapshot!.at) : p.now;
  return (
    <Layout title={s.name} active="" snapshotId={p.latestId} notices={p.notices}>
      <p class="crumbs">
        <a href="/">Overview</a> › {s.name}
      </p>
      <h1>{s.name}</h1>
      <p class="prob big">{pct(prob)}</p>
      {p.snapshot ? (
        <p class="updated">
          {historical ? 'Explaining the snapshot of ' : 'As of '}
          <time datetime={p.snapshot.at}>{dateTime(p.snapshot.at)}</time>
          {historical ? (
            <>
              {' '}
              · <a href={`/scenarios/${encodeURIComponent(s.id)}`}>see the latest</a>
            </>
          ) : null}
        </p>
      ) : (
        <p class="empty">No forecast yet.</p>
      )}
      {s.description ? <p>{s.description}</p> : null}
      {s.deadline ? (
        <p class="deadline">
          Deadline {s.deadline}:{' '}
          <strong>
            {historical
              ? `${countdown(s.deadline, asOf)} at the time of this snapshot`
              : p.deadlinePassed
                ? 'passed, not yet resolved (counted as spent)'
                : countdown(s.deadline, p.now)}
          </strong>
        </p>
      ) : null}
      {p.resolved ? (
        <div class="resolved">
          <p>
            <strong>{`Resolved ${p.resolved.outcome}`}</strong>
            {' on '}
            <time datetime={p.resolved.resolvedAt}>{dateTime(p.resolved.resolvedAt)}</time>
            {p.resolved.resolvedBy ? ` by ${p.resolved.resolvedBy}` : ''}
          </p>
          {p.resolved.note ? <p class="note">{p.resolved.note}</p> : null}
        </div>
      ) : null}
      <details>
        <summary>How it resolves</summary>
        <p>{s.resolution}</p>
      </details>
      <section aria-labelledby="why-h">
        <h2 id="why-h">Why</h2>
        <p>
          {`${p.explained?.stories ?? 0} stories (${p.explained?.contributions ?? 0} pieces of evidence) in this snapshot. Each row is one story with its tags inside: how much the whole story moved this scenario's log-odds and what the probability would be without it (exact: the rest of the evidence is unchanged).`}
        </p>
        <StoryTable rows={p.explained?.for ?? []} caption="Stories for" names={p.indicatorNames} />
        <StoryTable rows={p.explained?.against ?? []} caption="Stories against" names={p.indicatorNames} />
      </section>
      <WatchList model={p.watch} scenarioId={s.id} />
      <section aria-labelledby="hist-h">
        <h2 id="hist-h">History</h2>
        <ProbabilityChart
          history={p.history}
          series={[{ id: s.id, name: s.name, index: p.index, deadline: s.deadline ?? null }]}
          moves={p.moves}
          market={p.market}
          title={`Probability of ${s.name} over time`}
          dayHref={(day) => `/days/${day}`}
        />
        <p class="exports">
          Download the history: <a href="/api/v1/history.csv">CSV</a> · <a href="/api/v1/history">JSON</a> · this
          explanation as{' '}
          <a
            href={`/api/v1/scenarios/${encodeURIComponent(s.id)}/explanation${historical ? `?snapshot=${p.snapshot!.id}` : ''}`}
          >
            JSON
          </a>
        </p>
      </section>
    </Layout>
  );
}
