import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart that fills its container's width and follows it when it resizes. Axis and grid colours
 * come from the page's CSS variables, so the chart matches light and dark themes.
 */

export interface Series {
  label: string;
  /** A CSS variable name (e.g. "--accent") or a colour. */
  color: string;
  /** Drawn as points only (for sparse data such as failures). */
  points?: boolean;
  dash?: number[];
}

export function css(name: string): string {
  return name.startsWith('--') ? getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888' : name;
}

export function Chart({ x, series, values, height = 220, time = true, yLabel, format, xLabels }: {
  /** X values: seconds since the epoch when `time`. */
  x: number[];
  /** Category labels (e.g. report periods): x is then 0, 1, 2, … and each tick says its label. */
  xLabels?: string[];
  series: Series[];
  values: (number | null)[][];
  height?: number;
  time?: boolean;
  yLabel?: string;
  format?: (v: number) => string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const text = css('--muted');
    const grid = css('--line');
    const axis: uPlot.Axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const categories: uPlot.Axis = xLabels
      ? { splits: () => xLabels.map((_, i) => i), values: (_u: uPlot, ticks: number[]) => ticks.map((i) => xLabels[i] ?? '') }
      : {};
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height,
        scales: { x: xLabels ? { time: false, range: (_u: uPlot, min: number, max: number) => [min - 0.25, max + 0.25] } : { time } },
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        axes: [{ ...axis, ...categories }, { ...axis, ...(yLabel ? { label: yLabel } : {}), ...(format ? { values: (_u: uPlot, ticks: number[]) => ticks.map(format) } : {}), size: 60 }],
        series: [
          xLabels ? { label: 'period', value: (_u: uPlot, i: number | null) => (i === null ? '—' : (xLabels[i] ?? '')) } : {},
          ...series.map((s) => ({
            label: s.label,
            stroke: css(s.color),
            width: 2,
            ...(s.dash ? { dash: s.dash } : {}),
            ...(s.points ? { paths: () => null, points: { show: true, size: 7, fill: css(s.color) } } : { points: { show: x.length < 60 } }),
            ...(format ? { value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) } : {}),
          })),
        ],
      },
      [x, ...values] as uPlot.AlignedData,
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [x, series, values, height, time, yLabel, format, xLabels]);
  return <div ref={ref} className="chart" />;
}
