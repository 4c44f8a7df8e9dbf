// A server-rendered calibration plot: forecast probability (x) against how often it happened (y), one
// circle per bin sized by its count, the diagonal for perfect calibration. Works without JavaScript.
import type { CalibrationBin } from '../../scenarios/score.ts';
import { pct } from './format.ts';

const SIZE = 320;
const PAD = 44;
const INNER = SIZE - PAD - 12;
const x = (p: number) => PAD + p * INNER;
const y = (p: number) => 12 + (1 - p) * INNER;

export function binLabel(b: CalibrationBin): string {
  return `Forecasts of ${pct(b.from, 0)}–${pct(b.to, 0)}: ${b.count}, mean ${pct(b.meanForecast, 0)}; happened ${pct(b.observed, 0)}`;
}

export function CalibrationPlot(props: { bins: readonly CalibrationBin[]; id: string; title: string }) {
  const used = props.bins.filter((b) => b.count > 0);
  const most = Math.max(1, ...used.map((b) => b.count));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <svg
      class="calibration"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      width={SIZE}
      height={SIZE}
      role="img"
      aria-labelledby={`${props.id}-t ${props.id}-d`}
    >
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>
        {used.length === 0
          ? 'No forecast to plot yet.'
          : `Forecast probability across, how often it happened up; the diagonal is perfect calibration. ${used.map(binLabel).join('. ')}.`}
      </desc>
      <rect x={PAD} y={12} width={INNER} height={INNER} fill="none" stroke="currentColor" stroke-opacity="0.3" />
      {ticks.map((t) => (
        <g>
          <text x={x(t)} y={SIZE - 18} text-anchor="middle" font-size="11" fill="currentColor">
            {pct(t, 0)}
          </text>
          <text x={PAD - 6} y={y(t) + 4} text-anchor="end" font-size="11" fill="currentColor">
            {pct(t, 0)}
          </text>
        </g>
      ))}
      <text x={PAD + INNER / 2} y={SIZE - 2} text-anchor="middle" font-size="12" fill="currentColor">
        Forecast probability
      </text>
      <text
        x={12}
        y={12 + INNER / 2}
        text-anchor="middle"
        font-size="12"
        fill="currentColor"
        transform={`rotate(-90 12 ${12 + INNER / 2})`}
      >
        Observed frequency
      </text>
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="currentColor" stroke-opacity="0.5" stroke-dasharray="4 4" />
      {used.map((b) => (
        <circle
          cx={x(b.meanForecast).toFixed(1)}
          cy={y(b.observed).toFixed(1)}
          r={(3 + 9 * Math.sqrt(b.count / most)).toFixed(1)}
          fill="#0072B2"
          fill-opacity="0.7"
          data-count={b.count}
        >
          <title>{binLabel(b)}</title>
        </circle>
      ))}
    </svg>
  );
}
