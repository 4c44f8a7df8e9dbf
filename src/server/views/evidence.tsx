// The evidence stream: latest tagged stories with their tags and matching sentences, filterable by indicator.
import type { EvidencePage } from '../queries/evidence.ts';
import { dateTime } from './format.ts';
import { Layout, safeHref } from './layout.tsx';

export function EvidenceStreamPage(props: {
  page: EvidencePage;
  indicators: { id: string; name: string }[];
  selected: string;
  snapshotId: number | null;
}) {
  const names = new Map(props.indicators.map((i) => [i.id, i.name]));
  const sel = props.selected;
  return (
    <Layout title="Evidence" active="/evidence" snapshotId={props.snapshotId}>
      <h1>Evidence stream</h1>
      <p class="exports">
        Download: <a href={`/api/v1/evidence.csv${sel ? `?indicator=${encodeURIComponent(sel)}` : ''}`}>CSV</a> ·{' '}
        <a href={`/api/v1/evidence${sel ? `?indicator=${encodeURIComponent(sel)}` : ''}`}>JSON</a>
      </p>
      <form method="get" action="/evidence" class="filter">
        <label for="indicator">Indicator</label>
        <select id="indicator" name="indicator">
          <option value="" selected={sel === ''}>
            All indicators
          </option>
          {props.indicators.map((i) => (
            <option value={i.id} selected={sel === i.id}>
              {i.name}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      {props.page.items.length === 0 ? <p class="empty">No tagged stories yet.</p> : null}
      <ol class="stream">
        {props.page.items.map((it) => {
          const href = safeHref(it.url);
          return (
            <li class="story" data-article={it.articleId}>
              <article>
                <h2 class="story-title">
                  {href ? (
                    <a href={href} rel="noopener noreferrer nofollow">
                      {it.title}
                    </a>
                  ) : (
                    it.title
                  )}
                </h2>
                <p class="meta">
                  <time datetime={it.publishedAt}>{dateTime(it.publishedAt)}</time>
                  {it.feedName ? ` · ${it.feedName}` : ''}
                  {` · ${it.sourceCount} ${it.sourceCount === 1 ? 'source' : 'sources'}`}
                </p>
                <ul class="tags">
                  {it.tags.map((t) => (
                    <li>
                      <span
                        class={`tag ${t.polarity}`}
                      >{`${names.get(t.indicatorId) ?? t.indicatorId} · ${t.polarity}${t.modality ? ` · ${t.modality}` : ''}`}</span>
                      <blockquote>{t.snippet}</blockquote>
                      {t.numbers && t.numbers.length > 0 ? (
                        <small>{t.numbers.map((n) => `${n.value} ${n.unit}`).join(', ')}</small>
                      ) : null}
                      {t.features && t.features.length > 0 ? (
                        <small class="features">
                          {`model (confidence ${t.confidence.toFixed(2)}): ${t.features.map((f) => `${f.feature} +${f.weight.toFixed(2)}`).join(', ')}`}
                        </small>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </article>
            </li>
          );
        })}
      </ol>
      {props.page.nextCursor ? (
        <p>
          <a
            rel="next"
            href={`/evidence?${new URLSearchParams({ ...(sel ? { indicator: sel } : {}), cursor: props.page.nextCursor }).toString()}`}
          >
            Older stories
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
