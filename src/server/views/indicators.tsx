// The indicators page: each indicator's state, last signal, 30-day sparkline; levels against their baseline.
import type { LevelDay } from '../../scenarios/levels.ts';
import { Sparkline } from './chart.tsx';
import { ago, dateTime } from './format.ts';
import { Layout } from './layout.tsx';

export interface IndicatorRow {
  id: string;
  name: string;
  description: string;
  kind: 'event' | 'level';
  state: 'active' | 'quiet';
  lastSignal: string | null;
  daily: number[];
  level: LevelDay[] | null;
}

export function IndicatorsPage(props: {
  rows: IndicatorRow[];
  quietDays: number;
  now: Date;
  snapshotId: number | null;
}) {
  return (
    <Layout title="Indicators" active="/indicators" snapshotId={props.snapshotId}>
      <h1>Indicators</h1>
      <p>{`Level z-scores are the engine's own: ln(1 + value) against the median and MAD of the baseline days. An indicator is active when a story signalled it in the last ${props.quietDays} days, quiet otherwise. Sparklines count tagged stories per day over 30 days.`}</p>
      <div class="scroll" tabindex={0} role="region" aria-label="Indicator states (scrolls sideways)">
        <table>
          <caption class="sr-only">Indicator states</caption>
          <thead>
            <tr>
              <th scope="col">Indicator</th>
              <th scope="col">State</th>
              <th scope="col">Last signal</th>
              <th scope="col">30 days</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-indicator={r.id}>
                <th scope="row">
                  <a href={`/evidence?indicator=${encodeURIComponent(r.id)}`}>{r.name}</a>
                  <small class="block">{r.description}</small>
                </th>
                <td>
                  <span class={`state ${r.state}`}>{r.state}</span>
                </td>
                <td>
                  {r.lastSignal ? (
                    <time datetime={r.lastSignal} title={dateTime(r.lastSignal)}>
                      {ago(r.lastSignal, props.now)}
                    </time>
                  ) : (
                    'none in 90 days'
                  )}
                </td>
                <td>
                  <Sparkline
                    values={r.daily}
                    label={`${r.name}: ${r.daily.reduce((a, b) => a + b, 0)} stories in 30 days`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.rows
        .filter((r) => r.level)
        .map((r) => (
          <LevelSection row={r} />
        ))}
    </Layout>
  );
}

function LevelSection(props: { row: IndicatorRow }) {
  const days = props.row.level ?? [];
  const latest = [...days].reverse().find((d) => d.value !== null);
  return (
    <section aria-labelledby={`level-${props.row.id}`}>
      <h2 id={`level-${props.row.id}`}>{`${props.row.name}: daily level against its baseline`}</h2>
      <Sparkline
        width={640}
        height={120}
        values={days.map((d) => d.value)}
        baseline={days.map((d) => d.baseline)}
        label={`${props.row.name}, daily values (solid) and baseline median (dashed)`}
      />
      <p>
        {latest
          ? `Latest reported day ${latest.day}: ${latest.value}${latest.baseline !== null ? ` against a baseline median of ${latest.baseline.toFixed(0)}${latest.z !== null ? ` (robust z = ${latest.z.toFixed(1)}${latest.band ? `, band ${latest.band}` : ''})` : ''}` : ' (not enough days for a baseline)'}.`
          : 'No numbers reported in the last 30 days.'}
      </p>
      <details>
        <summary>Daily values</summary>
        <div class="scroll" tabindex={0} role="region" aria-label="Level series (scrolls sideways)">
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Value</th>
                <th scope="col">Baseline</th>
                <th scope="col">Robust z</th>
                <th scope="col">Band</th>
              </tr>
            </thead>
            <tbody>
              {days
                .filter((d) => d.value !== null)
                .map((d) => (
                  <tr>
                    <td>{d.day}</td>
                    <td class="num">{d.value}</td>
                    <td class="num">{d.baseline === null ? '–' : d.baseline.toFixed(0)}</td>
                    <td class="num">{d.z === null ? '–' : d.z.toFixed(1)}</td>
                    <td>{d.band ?? '–'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
