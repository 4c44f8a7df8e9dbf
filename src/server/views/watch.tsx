// "What to watch": what one new, well-sourced story of each indicator would do, for the overview and a scenario.
import { probeLabel, type WatchModel, watchForScenario } from '../../scenarios/watch.ts';
import { pct, points } from './format.ts';

const cls = (d: number) => (Math.abs(d) < 0.0005 ? 'flat' : d > 0 ? 'up' : 'down');

function Intro(props: { model: WatchModel }) {
  return (
    <p class="note">
      {`The change one new story would make now, computed by the engine from the current evidence: a story of its own, from a tier-${props.model.probe.tier} source, matched with full confidence, published now. A "denied" story reports the opposite. Signals already reported many times move less (they saturate).`}
    </p>
  );
}

/** Overview: every probe with its change on each scenario, the largest move first. */
export function WatchTable(props: {
  model: WatchModel | null;
  scenarios: { id: string; name: string }[];
  limit?: number;
}) {
  const m = props.model;
  if (!m) return null;
  const rows = m.rows.filter((r) => Math.abs(r.largest.change) >= 0.0005).slice(0, props.limit ?? 12);
  return (
    <section aria-labelledby="watch-h" class="watch">
      <h2 id="watch-h">What to watch</h2>
      <Intro model={m} />
      {rows.length === 0 ? (
        <p class="empty">No single new story would move any scenario visibly.</p>
      ) : (
        <div class="scroll" tabindex={0} role="region" aria-label="What to watch (scrolls sideways)">
          <table class="watch-table">
            <caption>What would move it: one new story of…</caption>
            <thead>
              <tr>
                <th scope="col">Indicator</th>
                {props.scenarios.map((s) => (
                  <th scope="col">{s.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-probe={`${r.indicatorId}/${r.polarity}`}>
                  <th scope="row">{probeLabel(r)}</th>
                  {props.scenarios.map((s) => (
                    <td class={`num ${cls(r.change[s.id]!)}`} data-change={r.change[s.id]}>
                      {points(r.change[s.id])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A scenario page: the probes that would move this scenario, the largest first, with the probability after. */
export function WatchList(props: { model: WatchModel | null; scenarioId: string }) {
  const m = props.model;
  if (!m) return null;
  const rows = watchForScenario(m, props.scenarioId);
  return (
    <section aria-labelledby="watch-h" class="watch">
      <h2 id="watch-h">What would move it</h2>
      <Intro model={m} />
      {rows.length === 0 ? (
        <p class="empty">No single new story would move this scenario visibly.</p>
      ) : (
        <ol class="watch-list">
          {rows.map((r) => (
            <li data-probe={`${r.indicatorId}/${r.polarity}`} data-change={r.change[props.scenarioId]}>
              {probeLabel(r)}:{' '}
              <strong class={cls(r.change[props.scenarioId]!)}>{points(r.change[props.scenarioId])}</strong>
              <small>{` (${pct(m.probabilities[props.scenarioId])} → ${pct(r.probabilities[props.scenarioId])})`}</small>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
