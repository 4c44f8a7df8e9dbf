// Server-rendered SVG charts: probability over time (a line per scenario, labelled moves, deadlines,
// clickable days) and sparklines. Two drawings of the chart are sent, one laid out for wide screens and
// one for phones (CSS shows one), so text stays ≥ 11 px and markers stay tappable without JavaScript.
import type { MarketSeriesPoint } from '../../scenarios/market.ts';
import type { SnapshotPoint } from '../../scenarios/snapshots.ts';
import type { Move } from '../model/overview.ts';
import { colorOf, dashOf, dayLabel, deadlineEnd, pct, points } from './format.ts';

export interface ChartSeries {
  id: string;
  name: string;
  /** The scenario's index in the pack: its colour and dash everywhere. */
  index: number;
  deadline?: string | null;
}

/** Keeps at most `max` points (evenly spaced, last one kept) so the SVG stays small. */
export function downsample<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = (xs.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => xs[Math.round(i * step)]!);
}

const DAY = 86_400_000;

interface Layout {
  kind: 'wide' | 'narrow';
  w: number;
  h: number;
  pad: { l: number; r: number; t: number; b: number };
  font: number;
  ticks: number;
  marker: number;
  labels: number;
}

const WIDE: Layout = {
  kind: 'wide',
  w: 720,
  h: 300,
  pad: { l: 46, r: 16, t: 22, b: 34 },
  font: 11,
  ticks: 6,
  marker: 6,
  labels: 8,
};
// Drawn at about 1:1 on a 390 px phone: 12 px text, 20 px markers with a 44 px tap target.
const NARROW: Layout = {
  kind: 'narrow',
  w: 360,
  h: 280,
  pad: { l: 40, r: 10, t: 22, b: 32 },
  font: 12,
  ticks: 3,
  marker: 10,
  labels: 3,
};

/** Day-aligned ticks: at most `max`, evenly spread over [t0, t1]; one tick when the span is under a day. */
export function dayTicks(t0: number, t1: number, max: number): number[] {
  const first = Math.ceil(t0 / DAY) * DAY;
  const days = Math.floor((t1 - first) / DAY) + 1;
  if (t1 - t0 < DAY || days <= 1) return [t0];
  const step = Math.max(1, Math.ceil((days - 1) / Math.max(1, max - 1)));
  const out: number[] = [];
  for (let d = first; d <= t1; d += step * DAY) out.push(d);
  return out;
}

export interface ChartProps {
  history: SnapshotPoint[];
  series: ChartSeries[];
  moves: Move[];
  title: string;
  /** Where a day's "what changed" page is (YYYY-MM-DD). */
  dayHref: (day: string) => string;
  /** The market or crowd series (marketSeries), drawn beside the scenarios it names; none when absent. */
  market?: readonly MarketSeriesPoint[];
}

/** One market or crowd line: a scenario's points from one source, oldest first. */
interface MarketLine {
  series: ChartSeries;
  source: string;
  points: MarketSeriesPoint[];
}

/** The market points of the charted scenarios, one line per scenario and source (at most 200 points each). */
export function marketLines(market: readonly MarketSeriesPoint[] | undefined, series: ChartSeries[]): MarketLine[] {
  const lines = new Map<string, MarketLine>();
  const byId = new Map(series.map((s) => [s.id, s]));
  for (const p of market ?? []) {
    const s = byId.get(p.scenario);
    if (!s) continue;
    const key = `${p.scenario}\u0000${p.source}`;
    const line = lines.get(key) ?? { series: s, source: p.source, points: [] };
    line.points.push(p);
    lines.set(key, line);
  }
  return [...lines.values()].map((l) => ({ ...l, points: downsample(l.points, 200) }));
}

/** How a market line is told apart from the model's: a dotted line with hollow squares at its points. */
const MARKET_DASH = '1 4';

function Drawing(props: ChartProps & { layout: Layout; pts: SnapshotPoint[] }) {
  const { layout: L, pts } = props;
  const id = `chart-${L.kind}`;
  const t0 = Date.parse(pts[0]!.at);
  const single = pts.length === 1;
  // One snapshot: a day either side so the point sits in the middle of a readable axis.
  const lo = single ? t0 - DAY : t0;
  const hi = single ? t0 + DAY : Math.max(Date.parse(pts[pts.length - 1]!.at), t0 + 1);
  const innerW = L.w - L.pad.l - L.pad.r;
  const x = (t: number) => L.pad.l + ((t - lo) / (hi - lo)) * innerW;
  const y = (p: number) => L.pad.t + (1 - p) * (L.h - L.pad.t - L.pad.b);
  const ticks = single ? [t0] : dayTicks(lo, hi, L.ticks);
  const withYear = new Date(lo).getUTCFullYear() !== new Date(hi).getUTCFullYear();
  const names = new Map(props.series.map((s) => [s.id, s]));
  const text = { 'font-size': String(L.font), fill: 'currentColor' };
  const deadlines = props.series
    .filter((s) => s.deadline)
    .map((s) => ({ s, t: deadlineEnd(s.deadline!) }))
    .filter((d) => d.t >= lo && d.t <= hi);
  // Labels for the largest moves, skipping any that would overlap one already placed.
  const placed: { x: number; y: number }[] = [];
  const moves = props.moves
    .map((m) => {
      const p =
        pts.find((h) => h.id === m.snapshotId)?.probabilities[m.scenarioId] ??
        props.history.find((h) => h.id === m.snapshotId)?.probabilities[m.scenarioId];
      return p === undefined ? null : { m, cx: x(Date.parse(m.at)), cy: y(p) };
    })
    .filter((v): v is { m: Move; cx: number; cy: number } => v !== null)
    .slice(0, L.labels);
  const annotated = moves.map(({ m, cx, cy }) => {
    const s = names.get(m.scenarioId);
    const clash = placed.some((p) => Math.abs(p.x - cx) < L.font * 4 && Math.abs(p.y - cy) < L.font * 2);
    placed.push({ x: cx, y: cy });
    const above = cy > L.pad.t + L.font * 2 + L.marker;
    const tip = m.headline ?? 'No single story: see the day';
    const tipMax = Math.floor((L.w - 24) / (L.font * 0.56));
    const tipW = Math.min(L.w - 8, Math.max(140, Math.min(tip.length, tipMax) * L.font * 0.56 + 16));
    return {
      m,
      cx,
      cy,
      index: s?.index ?? 0,
      day: m.at.slice(0, 10),
      label: clash ? null : points(m.delta).replace(' pts', ''),
      labelY: above ? cy - L.marker - 4 : cy + L.marker + L.font + 2,
      title: `${s?.name ?? m.scenarioId} ${points(m.delta)} on ${dayLabel(m.at, true)}: ${tip}. Opens what changed that day.`,
      tip,
      tipMax,
      tipHead: `${s?.name ?? m.scenarioId} ${points(m.delta)}, ${dayLabel(m.at, false)}`,
      tipW,
      tipX: Math.min(Math.max(4, cx - tipW / 2), L.w - tipW - 4),
      tipY: cy > L.h / 2 ? cy - L.marker - 2 * L.font - 18 : cy + L.marker + 6,
    };
  });
  return (
    <svg
      viewBox={`0 0 ${L.w} ${L.h}`}
      // A group, not an image: the move markers inside are links (an image's children are not reachable).
      role="group"
      aria-labelledby={`${id}-title ${id}-desc`}
      class={`chart-svg ${L.kind}`}
      data-t0={String(lo)}
      data-t1={String(hi)}
      data-x0={String(L.pad.l)}
      data-x1={String(L.w - L.pad.r)}
      data-y0={String(y(1))}
      data-y1={String(y(0))}
      data-day-href={props.dayHref('')}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>
        {single
          ? `One snapshot so far, on ${dayLabel(pts[0]!.at, true)}: the line starts with the next one.`
          : `Probability of each scenario from ${dayLabel(pts[0]!.at, true)} to ${dayLabel(pts[pts.length - 1]!.at, true)}. Labelled circles mark the largest moves; each opens what changed that day.${props.market && props.market.length > 0 ? ' Dotted lines with squares are the market or crowd forecast.' : ''}`}
      </desc>
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g class="grid">
          <line x1={L.pad.l} x2={L.w - L.pad.r} y1={y(t)} y2={y(t)} stroke-width="1" />
          <text x={L.pad.l - 5} y={y(t) + L.font / 3} text-anchor="end" {...text}>{`${t * 100}%`}</text>
        </g>
      ))}
      {ticks.map((t, i) => (
        <g class="tick">
          <line x1={x(t)} x2={x(t)} y1={L.h - L.pad.b} y2={L.h - L.pad.b + 4} stroke-width="1" />
          <text
            x={x(t)}
            y={L.h - L.pad.b + L.font + 5}
            text-anchor={
              ticks.length > 1 && x(t) - L.pad.l < 24
                ? 'start'
                : ticks.length > 1 && L.w - L.pad.r - x(t) < 24
                  ? 'end'
                  : 'middle'
            }
            {...text}
          >
            {dayLabel(new Date(t).toISOString(), withYear || (i === 0 && L.kind === 'wide'))}
          </text>
        </g>
      ))}
      {deadlines.map(({ s, t }) => (
        <g class="deadline-marker" data-scenario={s.id}>
          <line
            x1={x(t)}
            x2={x(t)}
            y1={L.pad.t}
            y2={L.h - L.pad.b}
            stroke={colorOf(s.index)}
            stroke-dasharray="2 3"
            stroke-width="1.5"
            class={`s${s.index}`}
          />
          <text x={x(t)} y={L.pad.t - 6} text-anchor={x(t) > L.w - 80 ? 'end' : 'middle'} {...text}>
            {`${L.kind === 'wide' ? `${s.name}: ` : ''}deadline`}
          </text>
        </g>
      ))}
      {props.series.map((s) => {
        const line = pts.filter((p) => p.probabilities[s.id] !== undefined);
        if (single || line.length === 1)
          return line.map((p) => (
            <circle
              class={`point s${s.index}`}
              data-scenario={s.id}
              cx={x(Date.parse(p.at))}
              cy={y(p.probabilities[s.id]!)}
              r="4"
              fill={colorOf(s.index)}
            />
          ));
        return (
          <polyline
            class={`line s${s.index}`}
            data-scenario={s.id}
            data-name={s.name}
            fill="none"
            stroke={colorOf(s.index)}
            stroke-dasharray={dashOf(s.index)}
            stroke-width="2"
            points={line
              .map((p) => `${x(Date.parse(p.at)).toFixed(1)},${y(p.probabilities[s.id]!).toFixed(1)}`)
              .join(' ')}
          />
        );
      })}
      {marketLines(props.market, props.series).map((line) => {
        const inside = line.points.filter((p) => Date.parse(p.at) >= lo && Date.parse(p.at) <= hi);
        if (inside.length === 0) return null;
        const xy = inside.map((p) => [x(Date.parse(p.at)), y(p.probability)] as const);
        const size = L.kind === 'wide' ? 5 : 7;
        return (
          <g class={`market s${line.series.index}`} data-scenario={line.series.id} data-source={line.source}>
            {xy.length > 1 ? (
              <polyline
                fill="none"
                stroke={colorOf(line.series.index)}
                stroke-dasharray={MARKET_DASH}
                stroke-width="2"
                class={`s${line.series.index}`}
                points={xy.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}
              />
            ) : null}
            {xy.map(([a, b]) => (
              <rect
                class={`market-point s${line.series.index}`}
                x={(a - size / 2).toFixed(1)}
                y={(b - size / 2).toFixed(1)}
                width={size}
                height={size}
                fill="none"
                stroke={colorOf(line.series.index)}
                stroke-width="1.5"
              />
            ))}
          </g>
        );
      })}
      {annotated.map((a, i) => (
        <a href={props.dayHref(a.day)} class={`move m${i}`} data-day={a.day} data-scenario={a.m.scenarioId}>
          <title>{a.title}</title>
          <circle class="hit" cx={a.cx} cy={a.cy} r={L.marker * 2.2} />
          <circle
            class={`mark s${a.index}`}
            cx={a.cx}
            cy={a.cy}
            r={L.marker}
            stroke={colorOf(a.index)}
            stroke-width="3"
          />
          {a.label ? (
            <text class="move-label" x={a.cx} y={a.labelY} text-anchor="middle" {...text}>
              {a.label}
            </text>
          ) : null}
        </a>
      ))}
      <g class="tips" aria-hidden="true">
        {annotated.map((a, i) => (
          <g class={`tip t${i}`}>
            <rect x={a.tipX} y={a.tipY} width={a.tipW} height={2 * L.font + 12} rx="4" />
            <text x={a.tipX + 8} y={a.tipY + L.font + 3} font-size={String(L.font)} font-weight="700">
              {a.tipHead}
            </text>
            <text x={a.tipX + 8} y={a.tipY + 2 * L.font + 7} font-size={String(L.font)}>
              {a.tip.length > a.tipMax ? `${a.tip.slice(0, a.tipMax - 1)}…` : a.tip}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}

/** A legend's sample of a line: the scenario's colour and dash (with a hollow square for a market line). */
function Swatch(props: { index: number; dash: string; width: number; square?: boolean }) {
  const stroke = colorOf(props.index);
  return (
    <svg viewBox="0 0 24 12" width="24" height="12" aria-hidden="true">
      <line
        x1="0"
        x2="24"
        y1="6"
        y2="6"
        stroke={stroke}
        stroke-dasharray={props.dash}
        stroke-width={String(props.width)}
        class={`s${props.index}`}
      />
      {props.square ? (
        <rect
          x="9"
          y="3"
          width="6"
          height="6"
          fill="none"
          stroke={stroke}
          stroke-width="1.5"
          class={`s${props.index}`}
        />
      ) : null}
    </svg>
  );
}

export function ProbabilityChart(props: ChartProps) {
  const pts = downsample(props.history, 400);
  if (pts.length === 0)
    return <p class="empty chart-empty">No snapshots yet: the chart appears after the first forecast.</p>;
  return (
    <figure class="chart" data-points={String(pts.length)}>
      <Drawing {...props} layout={WIDE} pts={pts} />
      <Drawing {...props} layout={NARROW} pts={downsample(props.history, 180)} />
      <p class="readout" aria-hidden="true"></p>
      <figcaption>
        {pts.length === 1 ? (
          <p class="empty">{`One snapshot so far (${dayLabel(pts[0]!.at, true)}): the chart draws lines from the second one.`}</p>
        ) : null}
        <ul class="legend">
          {props.series.map((s) => (
            <li>
              <Swatch index={s.index} dash={dashOf(s.index)} width={3} /> {s.name}
            </li>
          ))}
          {marketLines(props.market, props.series).map((line) => (
            <li class="legend-market" data-scenario={line.series.id}>
              <Swatch index={line.series.index} dash={MARKET_DASH} width={2} square />{' '}
              {`${line.series.name}: market or crowd (${line.source}, ${line.points.length} point${line.points.length === 1 ? '' : 's'}, latest ${pct(line.points[line.points.length - 1]!.probability)})`}
            </li>
          ))}
          <li class="legend-note">Chart dates in UTC. Click a day to see what changed.</li>
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
        <polyline
          class="spark-base"
          fill="none"
          stroke="#6b7280"
          stroke-dasharray="3 2"
          stroke-width="1"
          points={path(props.baseline)}
        />
      ) : null}
      <polyline class="spark-line" fill="none" stroke="#1f5fbf" stroke-width="1.5" points={path(props.values)} />
    </svg>
  );
}

/** A horizontal probability bar (SVG, so no inline style is needed under the CSP). */
export function Bar(props: { p: number | null; index: number; label: string }) {
  const width = Math.max(0, Math.min(100, (props.p ?? 0) * 100));
  return (
    <svg
      class="bar"
      viewBox="0 0 100 6"
      preserveAspectRatio="none"
      role="img"
      aria-label={`${props.label}: ${pct(props.p)}`}
    >
      <rect class="bar-bg" width="100" height="6" fill="#e6e8eb" />
      <rect class={`s${props.index}`} width={width.toFixed(2)} height="6" fill={colorOf(props.index)} />
    </svg>
  );
}
