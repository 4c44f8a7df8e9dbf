// The feeds health table.
import type { FeedHealth } from '../../ingest/feeds.ts';
import { ago, dateTime } from './format.ts';
import { Layout, safeHref } from './layout.tsx';

/** What the table shows: failing, gone, or ok once a fetch has succeeded (pending before that). */
export const feedState = (f: FeedHealth): string =>
  f.status === 'active' ? (f.lastSuccessAt ? 'ok' : 'pending') : f.status;

export function FeedsPage(props: { feeds: FeedHealth[]; now: Date; snapshotId: number | null; notices?: string[] }) {
  return (
    <Layout title="Feeds" active="/feeds" snapshotId={props.snapshotId} notices={props.notices}>
      <h1>Feeds</h1>
      {props.feeds.length === 0 ? <p class="empty">No feeds yet.</p> : null}
      <div class="scroll" tabindex={0} role="region" aria-label="Feed health (scrolls sideways)">
        <table>
          <caption class="sr-only">Feed health</caption>
          <thead>
            <tr>
              <th scope="col">Feed</th>
              <th scope="col">Status</th>
              <th scope="col">Last success</th>
              <th scope="col">Last error</th>
              <th scope="col">Next check</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
            {props.feeds.map((f) => {
              const href = safeHref(f.url);
              return (
                <tr data-feed={f.id}>
                  <th scope="row">
                    {href ? (
                      <a href={href} rel="noopener noreferrer nofollow">
                        {f.name ?? f.url}
                      </a>
                    ) : (
                      (f.name ?? f.url)
                    )}
                    <small class="block">{`tier ${f.tier}`}</small>
                  </th>
                  <td>
                    <span class={`state ${feedState(f)}`}>{feedState(f)}</span>
                    {f.consecutiveFailures > 0 ? (
                      <small class="block">{`${f.consecutiveFailures} failures since ${f.failingSince ? dateTime(f.failingSince) : '?'}`}</small>
                    ) : null}
                  </td>
                  <td>{f.lastSuccessAt ? ago(f.lastSuccessAt, props.now) : 'never'}</td>
                  <td>
                    {f.lastErrorCode
                      ? `${f.lastErrorCode}${f.lastHttpStatus ? ` (HTTP ${f.lastHttpStatus})` : ''}: ${f.lastErrorMessage ?? ''}`
                      : '–'}
                  </td>
                  <td>{f.nextCheckAt ? <time datetime={f.nextCheckAt}>{dateTime(f.nextCheckAt)}</time> : '–'}</td>
                  <td class="num">{f.itemCount}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
