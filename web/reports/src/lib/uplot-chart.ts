import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type ChartHandle, type ChartSpec, stacked } from './chart-spec.ts';

/** Steps between the days the axis names: every day, every other, weekly, and so on. */
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];

/** Steps between the counts the axis names: whole doses, 1, 2, 5 times a power of ten. */
const COUNT_STEPS = Array.from({ length: 8 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

/**
 * The daily chart on a canvas: each layer drawn as a bar to the top of its stack, tallest first, so that
 * the ones drawn after cover all but their own part; the line drawn last, dashed. The page's own legend,
 * summary and table say what it shows (the canvas is a picture to assistive technology).
 */
export function drawUPlot(into: HTMLElement, spec: ChartSpec): ChartHandle {
  const count = spec.days.length;
  const tops = stacked(spec.layers, count);
  const bars = uPlot.paths.bars?.({ size: [0.8, 40, 1] });
  const layerSeries = spec.layers
    .map((layer) => ({
      label: layer.label,
      fill: layer.colour,
      stroke: layer.colour,
      width: 0,
      paths: bars,
      points: { show: false },
    }))
    .reverse();
  const data: uPlot.AlignedData = [
    spec.days.map((_, i) => i),
    ...tops.slice().reverse(),
    spec.line.values.map((v) => v ?? null),
  ];
  const plot = new uPlot(
    {
      width: spec.width,
      height: spec.height,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, Math.max(count - 0.5, 0.5)] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          incrs: DAY_STEPS,
          space: 56,
          grid: { show: false },
          values: (_u, splits) =>
            splits.map((i) => (Number.isInteger(i) && i >= 0 && i < count ? spec.dayLabel(spec.days[i] ?? '') : '')),
        },
        { size: 64, incrs: COUNT_STEPS, values: (_u, splits) => splits.map((v) => spec.valueLabel(v)) },
      ],
      series: [
        {},
        ...layerSeries,
        { label: spec.line.label, stroke: spec.line.colour, width: 2.5, dash: [8, 4], points: { show: false } },
      ],
    },
    data,
    into,
  );
  return {
    resize: (width) => plot.setSize({ width, height: spec.height }),
    destroy: () => plot.destroy(),
  };
}
