// The alerts list (compact, paged, newest first) and one alert's own page (what the JSON Feed links to).
import type { AlertView } from '../../alerts/queries.ts';
import { ALERT_KIND_NAMES } from '../../alerts/types.ts';
import { dateTime, pct } from './format.ts';
import { Layout, safeHref } from './layout.tsx';

function Stories(props: { alert: AlertView; max: number }) {
  const stories = props.alert.data.stories.slice(0, props.max);
  if (stories.length === 0) return null;
  return (
    <ul class="alert-stories">
      {stories.map((s) => {
        const href = safeHref(s.url);
        return (
          <li>
            {href ? (
              <a href={href} rel="noopener noreferrer nofollow">
                {s.title}
              </a>
            ) : (
              s.title
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Links from an alert to the pages that explain it: the day it fired and, for one scenario, its page. */
function Context(props: { alert: AlertView }) {
  const a = props.alert;
  const day = a.createdAt.slice(0, 10);
  const scenario = a.data.scenarioId;
  return (
    <>
      {a.snapshotId !== null ? <a href={`/days/${day}`}>What changed that day</a> : null}
      {scenario ? (
        <>
          {a.snapshotId !== null ? ' · ' : ''}
          <a
            href={`/scenarios/${encodeURIComponent(scenario)}${a.snapshotId !== null ? `?snapshot=${a.snapshotId}` : ''}`}
          >
            {`Why ${a.data.scenarioNames[scenario] ?? scenario} is at ${pct(a.data.probabilities[scenario] ?? null, 0)}`}
          </a>
        </>
      ) : null}
    </>
  );
}

function AlertItem(props: { alert: AlertView }) {
  const a = props.alert;
  return (
    <li id={`alert-${a.id}`} class={`alert ${a.kind}`} data-alert={a.id}>
      <h2 class="alert-title">
        <a href={`/alerts/${a.id}`}>{a.title}</a>
      </h2>
      <p class="meta">
        <span class="kind">{ALERT_KIND_NAMES[a.kind] ?? 'Alert'}</span> ·{' '}
        <time datetime={a.createdAt}>{dateTime(a.createdAt)}</time>
        {a.snapshotId !== null || a.data.scenarioId ? ' · ' : ''}
        <Context alert={a} />
      </p>
      <Stories alert={a} max={3} />
    </li>
  );
}

export function AlertsPage(props: {
  alerts: AlertView[];
  next: number | null;
  first: boolean;
  snapshotId: number | null;
}) {
  return (
    <Layout title="Alerts" active="/alerts" snapshotId={props.snapshotId}>
      <h1>Alerts</h1>
      <p>
        Newest first. Also as a <a href="/feed.json">JSON Feed</a>, and to download as{' '}
        <a href="/api/v1/alerts.csv">CSV</a> or <a href="/api/v1/alerts">JSON</a>.
      </p>
      {props.alerts.length === 0 ? <p class="empty">{props.first ? 'No alerts yet.' : 'No older alerts.'}</p> : null}
      <ol class="alerts">
        {props.alerts.map((a) => (
          <AlertItem alert={a} />
        ))}
      </ol>
      <nav class="pager" aria-label="Alert pages">
        {props.first ? <span></span> : <a href="/alerts">Newest alerts</a>}
        {props.next !== null ? (
          <a rel="next" href={`/alerts?before=${props.next}`}>
            Older alerts →
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}

export function AlertPage(props: { alert: AlertView; snapshotId: number | null }) {
  const a = props.alert;
  return (
    <Layout title={a.title} active="/alerts" snapshotId={props.snapshotId}>
      <p class="crumbs">
        <a href="/alerts">Alerts</a> › {ALERT_KIND_NAMES[a.kind] ?? 'Alert'}
      </p>
      <article id={`alert-${a.id}`} class={`alert ${a.kind}`}>
        <h1>{a.title}</h1>
        <p class="meta">
          <span class="kind">{ALERT_KIND_NAMES[a.kind] ?? 'Alert'}</span> ·{' '}
          <time datetime={a.createdAt}>{dateTime(a.createdAt)}</time>
        </p>
        {a.body.split(/\n{2,}/).map((para) => (
          <p class="body">{para}</p>
        ))}
        <p>
          <Context alert={a} />
        </p>
        {a.data.stories.length > 0 ? <h2>Stories behind it</h2> : null}
        <Stories alert={a} max={10} />
      </article>
    </Layout>
  );
}
