// What the charts draw, from what the backend answers: counters become per-second rates, gauges stay
// as they are; values get human units; per-topic series can be stacked. Plain functions, no DOM.
import type { MetricDescriptorView, MetricView } from "../../bindings";

/** How a metric's values read: bytes or a plain count, and whether they are a rate per second. */
export interface Measure {
  bytes: boolean;
  /** A counter (a delta per bucket) shown as per second: bucket value ÷ step seconds. */
  rate: boolean;
}

/** From the metric's descriptor: unit `By` is bytes; a COUNTER_* kind is a per-bucket delta. */
export function measureOf(d: MetricDescriptorView | undefined): Measure {
  return { bytes: d?.unit === "By", rate: !!d?.kind.toUpperCase().startsWith("COUNTER") };
}

export interface Series {
  label: string;
  values: (number | null)[];
}

/** One chart's data, on one time grid (ms, oldest first). */
export interface ChartData {
  times: number[];
  series: Series[];
  stepMs: number;
  granularity: string;
}

/** The view as a chart draws it: rates for counters; per-topic series sorted by name (stable colours). */
export function shape(view: MetricView, measure: Measure): ChartData {
  const stepMs = view.step_ms ?? 0;
  const perSecond = measure.rate && stepMs > 0 ? 1000 / stepMs : 1;
  const times = view.times_ms.map((t) => t ?? NaN);
  const series = view.series.map((s) => ({
    label: s.label,
    values: perSecond === 1 ? s.values.slice() : s.values.map((v) => (v == null ? null : v * perSecond)),
  }));
  series.sort((a, b) => a.label.localeCompare(b.label));
  return { times, series, stepMs, granularity: view.granularity };
}

/** Running sums, bottom first: series i becomes s0 + … + si. A null stays null (a bucket not yet begun). */
export function stack(series: Series[]): Series[] {
  const n = series[0]?.values.length ?? 0;
  const acc = new Array<number>(n).fill(0);
  return series.map((s) => ({
    label: s.label,
    values: s.values.map((v, i) => (v == null ? null : (acc[i] = acc[i]! + v))),
  }));
}

/** uPlot bands that fill between each stacked series and the one under it (1-based series indexes). */
export function stackBands(count: number): { series: [number, number] }[] {
  const bands: { series: [number, number] }[] = [];
  for (let i = 2; i <= count; i++) bands.push({ series: [i, i - 1] });
  return bands;
}

/** The last value that is not null (the newest bucket that has begun), or null. */
export function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v != null) return v;
  }
  return null;
}

/** No traffic: no series at all, or every value zero or null. */
export function allZero(series: readonly Series[]): boolean {
  return series.every((s) => s.values.every((v) => v == null || v === 0));
}

/** The largest value across series (for the y scale), 0 if none. */
export function maxValue(series: readonly Series[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v != null && v > max) max = v;
  return max;
}

/** Every series label (topic) in a set of per-topic views, with `known` ones, sorted and without duplicates. */
export function topicsIn(views: readonly (MetricView | null | undefined)[], known: readonly string[] = []): string[] {
  const all = new Set(known);
  for (const v of views) for (const s of v?.series ?? []) all.add(s.label);
  return [...all].sort((a, b) => a.localeCompare(b));
}
