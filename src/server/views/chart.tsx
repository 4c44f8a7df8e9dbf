// Server-rendered SVG charts: probability over time (a line per scenario, marked moves) and sparklines.
import type { SnapshotPoint } from '../../scenarios/snapshots.ts';
import type { Move } from '../model/overview.ts';
import { colorOf, pct, points, shortDate } from './format.ts';

export interface ChartSeries {
  id: string;
  name: string;
}

const W = 720;
const H = 300;
const PAD = { l: 44, r: 12, t: 12, b: 34 };

/** Keeps at most `max` points (evenly spaced, last one kept) so the SVG stays small. */
export function downsample<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = (xs.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => xs[Math.round(i * step)]!);
}

export function ProbabilityChart(props: {
  history: SnapshotPoint[];
  series: ChartSeries[];
  moves: Move[];
  title: string;
  moveHref: (m: Move) => string;
}) {
  const pts = downsample(props.history, 400);
  if (pts.length === 0) return <p class="empty">No snapshots yet: the chart appears after the first forecast.</p>;
  const t0 = Date.parse(pts[0]!.at);
  const t1 = Math.max(Date.parse(pts[pts.length - 1]!.at), t0 + 1);
  const x = (iso: string) => PAD.l + ((Date.parse(iso) - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (p: number) => PAD.t + (1 - p) * (H - PAD.t - PAD.b);
  const xTicks = Array.from({ length: 5 }, (_, i) => new Date(t0 + ((t1 - t0) * i) / 4).toISOString());
  const yTicks = [0, 0.25, 0.5, 0.75, 1];
  const names = new Map(props.series.map((s) => [s.id, s.name]));
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" class="chart-svg">
        <title id="chart-title">{props.title}</title>
        <desc id="chart-desc">{`Probability of each scenario from ${shortDate(pts[0]!.at)} to ${shortDate(pts[pts.length - 1]!.at)}; circles mark the largest moves and link to the stories behind them.`}</desc>
        {yTicks.map((t) => (
          <g class="grid">
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} stroke="#d0d4da" stroke-width="1" />
            <text x={PAD.l - 6} y={y(t) + 4} text-anchor="end" font-size="11" fill="#3b4048">{`${t * 100}%`}</text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            x={x(t)}
            y={H - 12}
            text-anchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
            font-size="11"
            fill="#3b4048"
          >
            {shortDate(t)}
          </text>
        ))}
        <text x={PAD.l} y={H - 1} font-size="10" fill="#3b4048">
          Time (UTC)
        </text>
        {props.series.map((s, i) => (
          <polyline
            class="line"
            data-scenario={s.id}
            fill="none"
            stroke={colorOf(i)}
            stroke-width="2"
            points={pts
              .filter((p) => p.probabilities[s.id] !== undefined)
              .map((p) => `${x(p.at).toFixed(1)},${y(p.probabilities[s.id]!).toFixed(1)}`)
              .join(' ')}
          />
        ))}
        {props.moves.map((m) => {
          const p = props.history.find((h) => h.id === m.snapshotId)?.probabilities[m.scenarioId];
          if (p === undefined) return null;
          const i = props.series.findIndex((s) => s.id === m.scenarioId);
          return (
            <a href={props.moveHref(m)} class="move">
              <title>{`${names.get(m.scenarioId) ?? m.scenarioId} ${points(m.delta)} on ${shortDate(m.at)}: see the stories behind it`}</title>
              <circle cx={x(m.at)} cy={y(p)} r="6" fill="#fff" stroke={colorOf(i)} stroke-width="3" />
            </a>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          {props.series.map((s, i) => (
            <li>
              <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
                <rect width="12" height="12" fill={colorOf(i)} />
              </svg>{' '}
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** A tiny inline chart of a daily series; nulls are gaps. An optional baseline is drawn dashed. */
export function Sparkline(props: {
  values: (number | null)[];
  baseline?: (number | null)[];
  label: string;
  width?: number;
  height?: number;
}) {
  const w = props.width ?? 160;
  const h = props.height ?? 32;
  const all = [...props.values, ...(props.baseline ?? [])].filter((v): v is number => v !== null);
  const max = Math.max(1, ...all);
  const n = Math.max(props.values.length - 1, 1);
  const path = (vs: (number | null)[]) =>
    vs
      .map((v, i) =>
        v === null ? null : `${((i / n) * (w - 2) + 1).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`,
      )
      .filter(Boolean)
      .join(' ');
  return (
    <svg class="spark" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={props.label}>
      {props.baseline ? (
        <polyline fill="none" stroke="#6b7280" stroke-dasharray="3 2" stroke-width="1" points={path(props.baseline)} />
      ) : null}
      <polyline fill="none" stroke="#1f5fbf" stroke-width="1.5" points={path(props.values)} />
    </svg>
  );
}

/** A horizontal probability bar (SVG, so no inline style is needed under the CSP). */
export function Bar(props: { p: number | null; color: string; label: string }) {
  const width = Math.max(0, Math.min(100, (props.p ?? 0) * 100));
  return (
    <svg
      class="bar"
      viewBox="0 0 100 6"
      preserveAspectRatio="none"
      role="img"
      aria-label={`${props.label}: ${pct(props.p)}`}
    >
      <rect width="100" height="6" fill="#e6e8eb" />
      <rect width={width.toFixed(2)} height="6" fill={props.color} />
    </svg>
  );
}
