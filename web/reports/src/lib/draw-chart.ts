import type { DrawChart } from './chart-spec.ts';

/** Draws with uPlot, whose code (and styles) the browser loads the first time a chart is drawn. */
export const drawWithUPlot: DrawChart = async (into, spec) => (await import('./uplot-chart.ts')).drawUPlot(into, spec);
