// The dashboard's timing without the DOM: rounds, backoff after 429, auto-refresh, hidden pause.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { BridgeFailure } from "../src/api";
import type { MetricDescriptorView, MetricInput, MetricView } from "../src/bindings";
import { FILTER_DEBOUNCE_MS, MetricsDashboard } from "../src/sections/metrics/dashboard";

const NOW = Date.UTC(2025, 0, 15, 12, 0, 30);
const descriptors: MetricDescriptorView[] = [
  { name: "received_bytes", description: "", kind: "COUNTER_INT64", unit: "By", labels: ["topic", "partition"] },
  { name: "partition_count", description: "", kind: "GAUGE_INT64", unit: "1", labels: [] },
];
const answer = (input: MetricInput): MetricView => ({
  metric: input.metric,
  granularity: "PT1M",
  step_ms: 60_000,
  times_ms: [input.start_ms ?? 0],
  series: input.by_topic ? [{ label: "orders", values: [1] }, { label: "audit", values: [2] }] : [{ label: "total", values: [3] }],
  cached: false,
});
const limited = () => new BridgeFailure({ code: "CLOUD_RATE_LIMITED", message: "60 a minute" });

function setup(query: (input: MetricInput) => Promise<MetricView>) {
  const asked: MetricInput[] = [];
  const d = new MetricsDashboard(["received_bytes", "partition_count"], {
    query: (input) => {
      asked.push(input);
      return query(input);
    },
    descriptors: async () => descriptors,
  });
  return { d, asked };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("MetricsDashboard", () => {
  it("reads every chart, then again after the range's interval", async () => {
    const { d, asked } = setup(async (i) => answer(i));
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.map((i) => i.metric)).toEqual(["received_bytes", "partition_count"]);
    expect(asked[0]).toEqual({ metric: "received_bytes", start_ms: NOW - 3_600_000, end_ms: NOW, by_topic: false, topics: [] });
    expect(d.updatedAt.value).toBe(NOW);
    expect(d.nextAt.value).toBe(NOW + 60_000);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(asked).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toHaveLength(4);
    expect(asked[2]!.start_ms).toBe(NOW + 60_000 - 3_600_000);
    d.stop();
  });

  it("backs off 15 s, 30 s, 60 s on 429, re-asking only what was refused and keeping the data", async () => {
    let refuse = false;
    const { d, asked } = setup(async (i) => {
      if (refuse && i.metric === "received_bytes") throw limited();
      return answer(i);
    });
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    const kept = d.slots.value["received_bytes"]!.view;
    refuse = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(d.retryAt.value).toBe(NOW + 60_000 + 15_000);
    expect(d.slots.value["received_bytes"]!.view).toBe(kept);
    expect(d.slots.value["received_bytes"]!.error?.code).toBe("CLOUD_RATE_LIMITED");
    asked.length = 0;
    await vi.advanceTimersByTimeAsync(14_999);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.map((i) => i.metric)).toEqual(["received_bytes"]);
    expect(d.retryAt.value).toBe(NOW + 75_000 + 30_000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(d.retryAt.value).toBe(NOW + 105_000 + 60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(d.retryAt.value).toBe(NOW + 165_000 + 60_000);
    refuse = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(d.retryAt.value).toBeNull();
    expect(d.slots.value["received_bytes"]!.error).toBeNull();
    expect(d.nextAt.value).toBe(NOW + 225_000 + 60_000);
    d.stop();
  });

  it("pauses while hidden and catches up when shown", async () => {
    const { d, asked } = setup(async (i) => answer(i));
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    d.setHidden(true);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(asked).toHaveLength(2);
    d.setHidden(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(4);
    d.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(asked).toHaveLength(4);
  });

  it("asks per topic only for metrics with a topic label, and debounces the topic filter", async () => {
    const { d, asked } = setup(async (i) => answer(i));
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    asked.length = 0;
    d.setByTopic(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual([{ metric: "received_bytes", start_ms: NOW - 3_600_000, end_ms: NOW, by_topic: true, topics: [] }]);
    expect(d.seen.value).toEqual(["audit", "orders"]);
    asked.length = 0;
    d.setTopics(["orders"]);
    d.setTopics(["audit", "orders"]);
    await vi.advanceTimersByTimeAsync(FILTER_DEBOUNCE_MS - 1);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.map((i) => i.topics)).toEqual([["audit", "orders"]]);
    d.stop();
  });

  it("drops answers of a superseded round but still reads what it was reading", async () => {
    const pending: ((v: MetricView) => void)[] = [];
    const { d, asked } = setup((i) => new Promise((resolve) => pending.push(() => resolve(answer(i)))));
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(2);
    // Switching the view while the first round is out re-reads both charts, not just the topic one.
    d.setByTopic(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.slice(2).map((i) => [i.metric, i.by_topic])).toEqual([
      ["received_bytes", true],
      ["partition_count", false],
    ]);
    pending[0]!(undefined as never); // the old round's answer arrives: ignored
    await vi.advanceTimersByTimeAsync(0);
    expect(d.slots.value["received_bytes"]!.view).toBeNull();
    pending[2]!(undefined as never);
    pending[3]!(undefined as never);
    await vi.advanceTimersByTimeAsync(0);
    expect(d.slots.value["received_bytes"]!.byTopic).toBe(true);
    expect(d.slots.value["partition_count"]!.loading).toBe(false);
    d.stop();
  });

  it("treats a failed descriptor read like a failed chart", async () => {
    const d = new MetricsDashboard(["received_bytes"], {
      query: async (i) => answer(i),
      descriptors: async () => {
        throw new BridgeFailure({ code: "CLOUD_UNREACHABLE", message: "down" });
      },
    });
    d.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(d.slots.value["received_bytes"]!.error?.code).toBe("CLOUD_UNREACHABLE");
    expect(d.retryAt.value).toBeNull();
    expect(d.nextAt.value).toBe(NOW + 60_000);
    d.stop();
  });
});
