/** One product and dose of the daily doses: a layer of the day's bar. */
export interface BarLayer {
  label: string;
  colour: string;
  /** One value per day; a withheld one (null) is drawn as nothing. */
  values: ReadonlyArray<number | null>;
}

/** What the daily chart draws: a bar a day stacked by layer (first at the bottom), and a line over them. */
export interface ChartSpec {
  /** The days, `YYYY-MM-DD`, in order. */
  days: readonly string[];
  layers: readonly BarLayer[];
  line: BarLayer;
  /** A day as the axis writes it ("12 sty"). */
  dayLabel: (day: string) => string;
  /** A count as the axis writes it ("1 200"). */
  valueLabel: (value: number) => string;
  width: number;
  height: number;
}

/** A chart drawn: it follows its container's width, and is taken away with the page. */
export interface ChartHandle {
  resize(width: number): void;
  destroy(): void;
}

export type DrawChart = (into: HTMLElement, spec: ChartSpec) => Promise<ChartHandle>;

/**
 * Each day's layers added up, first layer at the bottom: what the top of each layer's bar stands at
 * (a withheld value counts as none, so the bars never claim more than was shown).
 */
export function stacked(layers: ReadonlyArray<Pick<BarLayer, 'values'>>, days: number): number[][] {
  const tops: number[][] = [];
  let running = Array.from({ length: days }, () => 0);
  for (const layer of layers) {
    running = running.map((below, day) => below + (layer.values[day] ?? 0));
    tops.push(running);
  }
  return tops;
}
