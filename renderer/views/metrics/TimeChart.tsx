import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { isolatedPoints } from './chart-points';
import { resolveColor, useThemeVersion } from './theme-colors';

export interface ChartSeries {
  label: string;
  /** A CSS colour, theme variables welcome: `var(--accent)`. */
  color: string;
  values: (number | null)[];
}

export interface TimeChartProps {
  /** Accessible name of the chart (canvas has no text of its own). */
  label: string;
  /** Sample times, ms since the epoch. */
  t: number[];
  series: ChartSeries[];
  format(value: number): string;
  height?: number;
  /** A floor for the value axis' top (e.g. 100 for a percentage), so a quiet VM does not look busy. */
  minTop?: number;
}

/** A tick's time of day (s since the epoch), with seconds when the axis spans less than 10 minutes. */
function clockTime(s: number, spanS: number): string {
  return new Date(s * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', ...(spanS < 600 ? { second: '2-digit' } : {}), hour12: false });
}

/** A time-series chart of a few lines, drawn by uPlot on a canvas, in the theme's colours. */
export function TimeChart({ label, t, series, format, height = 140, minTop }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useThemeVersion();
  const shape = series.map((s) => `${s.label}:${s.color}`).join('|');
  const latest = useRef({ t, series, format, minTop });
  latest.current = { t, series, format, minTop };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const muted = resolveColor('var(--muted)', el);
    const grid = resolveColor('var(--border)', el);
    const axis = (): uPlot.Axis => ({
      stroke: muted,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: '11px system-ui, sans-serif',
    });
    const options: uPlot.Options = {
      width: Math.max(120, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(latest.current.minTop ?? 0, max > 0 ? max * 1.1 : 1)] },
      },
      // The time axis says only the time of day: uPlot's default adds a second row with the date
      // whenever the range crosses a minute, which overlaps the first in a chart this narrow.
      axes: [
        { ...axis(), space: 64, values: (_u, splits) => splits.map((s, _i) => clockTime(s, (splits.at(-1) ?? s) - (splits[0] ?? s))) },
        { ...axis(), size: 70, values: (_u, splits) => splits.map((v) => latest.current.format(v)) },
      ],
      series: [{}, ...latest.current.series.map((s) => ({ label: s.label, stroke: resolveColor(s.color, el), width: 1.6, spanGaps: false, points: { show: true, size: 4, filter: (u: uPlot, i: number) => isolatedPoints(u.data[i] ?? []) } }))],
    };
    const data = [latest.current.t.map((ms) => ms / 1000), ...latest.current.series.map((s) => s.values)] as uPlot.AlignedData;
    const chart = new uPlot(options, data, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(120, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [theme, shape, height]);

  useEffect(() => {
    plot.current?.setData([t.map((ms) => ms / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [t, series]);

  return (
    <>
      <div ref={box} className="time-chart" role="img" aria-label={label} />
      {/* Which line is which, when there are two (read and write, in and out, host and microVMs). */}
      {series.length > 1 && (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.label}>
              <span className="chart-swatch" style={{ background: s.color }} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
