// "What changed that day": the day's probability change and the stories that moved it, with their push.
import type { Scenario } from '../../pack/schema.ts';
import type { WhatMoved } from '../../scenarios/explanations.ts';
import { dateTime, dayLabel, pct, points } from './format.ts';
import { Layout, safeHref } from './layout.tsx';

export interface DayPageProps {
  day: string;
  moved: WhatMoved | null;
  scenarios: Scenario[];
  indicatorNames: Map<string, string>;
  prevDay: string;
  nextDay: string;
  latestId: number | null;
}

const cls = (d: number) => (Math.abs(d) < 0.0005 ? 'flat' : d > 0 ? 'up' : 'down');
const STATUS = { new: 'new', changed: 'changed', gone: 'dropped out' } as const;

export function DayPage(p: DayPageProps) {
  const m = p.moved;
  const title = `What changed on ${dayLabel(`${p.day}T00:00:00Z`, true)}`;
  const stories = m ? m.stories.filter((s) => Object.values(s.push).some((v) => Math.abs(v) >= 0.0005)) : [];
  return (
    <Layout title={title} active="" snapshotId={p.latestId}>
      <p class="crumbs">
        <a href="/">Overview</a> › {title}
      </p>
      <h1>{title}</h1>
      <nav class="pager" aria-label="Days">
        <a href={`/days/${p.prevDay}`} rel="prev">
          ← {dayLabel(`${p.prevDay}T00:00:00Z`, false)}
        </a>
        <a href={`/days/${p.nextDay}`} rel="next">
          {dayLabel(`${p.nextDay}T00:00:00Z`, false)} →
        </a>
      </nav>
      {!m ? (
        <p class="empty">No forecast was made on this day.</p>
      ) : (
        <>
          <p class="updated">
            {m.from ? (
              <>
                From the snapshot of <time datetime={m.from.at}>{dateTime(m.from.at)}</time> to the one of{' '}
              </>
            ) : (
              'The first forecast, '
            )}
            <time datetime={m.to.at}>{dateTime(m.to.at)}</time>.
          </p>
          <div class="scroll" tabindex={0} role="region" aria-label="Probabilities (scrolls sideways)">
            <table class="day-change">
              <caption>Probabilities</caption>
              <thead>
                <tr>
                  <th scope="col">Scenario</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {p.scenarios.map((s) => (
                  <tr data-scenario={s.id}>
                    <th scope="row">
                      <a href={`/scenarios/${encodeURIComponent(s.id)}?snapshot=${m.to.id}`}>{s.name}</a>
                    </th>
                    <td class="num">{pct(m.from?.probabilities[s.id] ?? null)}</td>
                    <td class="num">{pct(m.to.probabilities[s.id] ?? null)}</td>
                    <td class={`num ${cls(m.change[s.id] ?? 0)}`}>{points(m.change[s.id] ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Stories that moved it</h2>
          <p>
            Each story's push is exact: the probability with the story's change that day minus the probability without
            it, the rest of the evidence unchanged. Pushes need not add up to the total (probabilities are not
            additive).
          </p>
          {stories.length === 0 ? (
            <p class="empty">
              No story changed the forecast this day: the move came from evidence fading or a deadline.
            </p>
          ) : (
            <ol class="day-stories">
              {stories.map((st) => {
                const href = safeHref(st.url);
                const title = st.title ?? `(story ${st.story})`;
                return (
                  <li data-story={st.story}>
                    <h3 class="story-title">
                      {href ? (
                        <a href={href} rel="noopener noreferrer nofollow">
                          {title}
                        </a>
                      ) : (
                        title
                      )}
                    </h3>
                    <p class="meta">
                      {st.publishedAt ? <time datetime={st.publishedAt}>{dateTime(st.publishedAt)}</time> : null}
                      {st.feedName ? ` · ${st.feedName}` : ''}
                      {st.sources ? ` · ${st.sources} ${st.sources === 1 ? 'source' : 'sources'}` : ''}
                    </p>
                    <ul class="push">
                      {p.scenarios.map((s) => {
                        const v = st.push[s.id] ?? 0;
                        return (
                          <li class={cls(v)} data-scenario={s.id} data-push={v}>
                            {`${s.name} ${points(v)}`}
                          </li>
                        );
                      })}
                    </ul>
                    <ul class="tags">
                      {st.movers.map((mv) => (
                        <li>
                          <span class={`tag ${mv.polarity ?? ''}`}>
                            {`${p.indicatorNames.get(mv.indicatorId) ?? mv.indicatorId} · ${mv.polarity ?? 'level'}${mv.modality ? ` · ${mv.modality}` : ''} · ${STATUS[mv.status]}`}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </Layout>
  );
}
