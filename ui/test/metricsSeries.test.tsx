import { describe, expect, it } from "vitest";

import type { MetricDescriptorView, MetricView } from "../src/bindings";
import { withAlpha } from "../src/sections/metrics/chartTheme";
import { allZero, lastValue, maxValue, measureOf, shape, stack, stackBands, topicsIn } from "../src/sections/metrics/series";

const desc = (over: Partial<MetricDescriptorView>): MetricDescriptorView => ({ name: "x", description: "", kind: "GAUGE_INT64", unit: "1", labels: [], ...over });
const view = (over: Partial<MetricView>): MetricView => ({
  metric: "received_bytes",
  granularity: "PT1M",
  step_ms: 60_000,
  times_ms: [0, 60_000, 120_000],
  series: [{ label: "total", values: [600, 0, null] }],
  cached: false,
  ...over,
});

describe("measures", () => {
  it("reads bytes and counters from the descriptor, not from the metric's name", () => {
    expect(measureOf(desc({ kind: "COUNTER_INT64", unit: "By" }))).toEqual({ bytes: true, rate: true });
    expect(measureOf(desc({ kind: "GAUGE_INT64", unit: "By" }))).toEqual({ bytes: true, rate: false });
    expect(measureOf(desc({ kind: "COUNTER_INT64", unit: "1" }))).toEqual({ bytes: false, rate: true });
    expect(measureOf(undefined)).toEqual({ bytes: false, rate: false });
  });
});

describe("shape", () => {
  it("turns a counter's per-bucket deltas into per-second rates and keeps future buckets null", () => {
    const d = shape(view({}), { bytes: true, rate: true });
    expect(d.series[0]!.values).toEqual([10, 0, null]);
    expect(d.times).toEqual([0, 60_000, 120_000]);
    expect(d.stepMs).toBe(60_000);
    // PT5M: 3000 bytes in 5 minutes is 10 B/s.
    const five = shape(view({ step_ms: 300_000, series: [{ label: "total", values: [3000] }], times_ms: [0] }), { bytes: true, rate: true });
    expect(five.series[0]!.values).toEqual([10]);
  });

  it("leaves gauges as they are and sorts per-topic series by name", () => {
    const d = shape(
      view({ series: [{ label: "payments", values: [1, 2, 3] }, { label: "orders", values: [4, 5, 6] }] }),
      { bytes: true, rate: false },
    );
    expect(d.series.map((s) => s.label)).toEqual(["orders", "payments"]);
    expect(d.series[0]!.values).toEqual([4, 5, 6]);
  });

  it("stacks series as running sums, nulls staying null, with bands between neighbours", () => {
    const stacked = stack([
      { label: "a", values: [1, 2, null] },
      { label: "b", values: [10, 0, null] },
      { label: "c", values: [100, 5, null] },
    ]);
    expect(stacked.map((s) => s.values)).toEqual([
      [1, 2, null],
      [11, 2, null],
      [111, 7, null],
    ]);
    expect(stackBands(3)).toEqual([{ series: [2, 1] }, { series: [3, 2] }]);
    expect(stackBands(1)).toEqual([]);
    expect(maxValue(stacked)).toBe(111);
  });

  it("finds the last value, zero traffic and the topics seen", () => {
    expect(lastValue([1, 2, null, null])).toBe(2);
    expect(lastValue([null])).toBeNull();
    expect(allZero([{ label: "total", values: [0, 0, null] }])).toBe(true);
    expect(allZero([])).toBe(true);
    expect(allZero([{ label: "total", values: [0, 0.5] }])).toBe(false);
    const v = view({ series: [{ label: "b", values: [] }, { label: "a", values: [] }] });
    expect(topicsIn([v, null, view({ series: [{ label: "c", values: [] }] })], ["a", "z"])).toEqual(["a", "b", "c", "z"]);
  });
});

describe("chart colours", () => {
  it("fades a resolved colour for area fills", () => {
    expect(withAlpha("rgb(47, 91, 234)", 0.3)).toBe("rgba(47, 91, 234, 0.3)");
    expect(withAlpha("#2f5bea", 0.5)).toBe("rgba(47, 91, 234, 0.5)");
    expect(withAlpha("color(srgb 1 0 0)", 0.5)).toBe("color(srgb 1 0 0)");
  });
});
