import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { isolatedPoints } from './chart-points';
import { resolveColor, useThemeVersion, withAlpha } from './theme-colors';

export interface SparklineProps {
  /** Accessible name, with the current value: "CPU 12 %". */
  label: string;
  values: (number | null)[];
  color?: string;
  width?: number;
  height?: number;
  /** Top of the scale at least this (100 for percentages). */
  minTop?: number;
}

/** A tiny line of the last minutes, for a table row: no axes, no cursor. */
export function Sparkline({ label, values, color = 'var(--accent)', width = 84, height = 22, minTop = 0 }: SparklineProps) {
  const box = useRef<HTMLSpanElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useThemeVersion();
  const latest = useRef({ values, minTop });
  latest.current = { values, minTop };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const stroke = resolveColor(color, el);
    const chart = new uPlot(
      {
        width,
        height,
        pxAlign: false,
        cursor: { show: false },
        legend: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(latest.current.minTop, max > 0 ? max * 1.15 : 1)] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke, width: 1.4, fill: withAlpha(stroke, 0.18), points: { show: true, size: 3, filter: (u: uPlot, i: number) => isolatedPoints(u.data[i] ?? []) } }],
      },
      [latest.current.values.map((_, i) => i), latest.current.values] as uPlot.AlignedData,
      el,
    );
    plot.current = chart;
    return () => {
      chart.destroy();
      plot.current = null;
    };
  }, [theme, color, width, height]);

  useEffect(() => {
    plot.current?.setData([values.map((_, i) => i), values] as uPlot.AlignedData);
  }, [values]);

  return <span ref={box} className="sparkline" role="img" aria-label={label} />;
}
