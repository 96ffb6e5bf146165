// The Metrics section against a fake backend, with uPlot replaced by a recorder (jsdom has no canvas).
import { act, cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend, calls } from "./backend";
import type { ClusterView_Serialize as ClusterView, MetricDescriptorView, MetricInput, MetricView } from "../src/bindings";
import { clusterView } from "./fixtures";
import { lang } from "../src/i18n";
import { CHARTS, Metrics } from "../src/sections/Metrics";
import { resetSession } from "../src/session";
import { activeConnectionId, connections, sandboxStatus, section, shownError } from "../src/state";

const plots = vi.hoisted(() => [] as { opts: any; data: any; setData: any[]; destroyed: boolean; sizes: any[] }[]);
/** Set to make the fake throw like uPlot without a 2D canvas. */
const noCanvas = vi.hoisted(() => ({ on: false }));
vi.mock("uplot", () => {
  class FakePlot {
    cursor = { idx: null as number | null };
    width: number;
    rec: (typeof plots)[number];
    constructor(opts: any, data: any) {
      if (noCanvas.on) throw new TypeError("Cannot read properties of null (reading 'font')");
      this.width = opts.width;
      this.rec = { opts, data, setData: [], destroyed: false, sizes: [] };
      plots.push(this.rec);
      for (const h of opts.hooks?.draw ?? []) h(this);
    }
    setData(d: any) {
      this.rec.setData.push(d);
    }
    setSize(s: any) {
      this.rec.sizes.push(s);
    }
    destroy() {
      this.rec.destroyed = true;
    }
  }
  return { default: FakePlot };
});

const NOW = Date.UTC(2025, 0, 15, 12, 0, 30);
const MIN = 60_000;
const topicLabels = ["topic", "partition"];
const descriptors: MetricDescriptorView[] = [
  { name: "received_bytes", description: "Bytes received from the network.", kind: "COUNTER_INT64", unit: "By", labels: topicLabels },
  { name: "sent_bytes", description: "Bytes sent.", kind: "COUNTER_INT64", unit: "By", labels: topicLabels },
  { name: "received_records", description: "Records received.", kind: "COUNTER_INT64", unit: "1", labels: topicLabels },
  { name: "sent_records", description: "Records sent.", kind: "COUNTER_INT64", unit: "1", labels: topicLabels },
  { name: "retained_bytes", description: "Bytes retained.", kind: "GAUGE_INT64", unit: "By", labels: topicLabels },
  { name: "active_connection_count", description: "Connections.", kind: "GAUGE_INT64", unit: "1", labels: [] },
  { name: "request_count", description: "Requests.", kind: "COUNTER_INT64", unit: "1", labels: ["type"] },
  { name: "partition_count", description: "Partitions.", kind: "GAUGE_INT64", unit: "1", labels: [] },
  { name: "successful_authentication_count", description: "Auth.", kind: "COUNTER_INT64", unit: "1", labels: [] },
];
const cluster: ClusterView = clusterView();

/** A MetricView like the backend's: whole PT1M buckets over the range, `value(i)` per bucket. */
function answer(input: MetricInput, value: (i: number, label: string) => number | null, labels = ["total"]): MetricView {
  const step = MIN;
  const start = input.start_ms! - (input.start_ms! % step);
  const times: number[] = [];
  for (let t = start; t < input.end_ms!; t += step) times.push(t);
  const topics = input.topics.length ? labels.filter((l) => input.topics.includes(l)) : labels;
  return { metric: input.metric, granularity: "PT1M", step_ms: step, times_ms: times, series: topics.map((label) => ({ label, values: times.map((_, i) => value(i, label)) })), cached: false };
}

type Handler = (input: MetricInput) => MetricView;
const traffic: Handler = (input) =>
  input.by_topic
    ? answer(input, (i, l) => (l === "orders" ? 6000 : 3000) + i, ["payments", "orders"])
    : answer(input, (i) => (input.metric === "partition_count" ? 7 : 60_000 + i * 60));

function serve(query: Handler | (() => never), extra: Record<string, (args: any) => unknown> = {}) {
  backend({
    list_environments: () => [{ id: "env-1", name: "dev" }],
    list_clusters: () => [cluster],
    metric_descriptors: () => descriptors,
    query_metric: (args: { input: MetricInput }) => query(args.input),
    ...extra,
  });
}
const queries = () => calls.filter((c) => c.cmd === "query_metric");
const chart = (metric: string) => screen.getByTestId(`chart-${metric}`);

/** Lets promises, effects and due timers run (fake clock). */
async function tick(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
  for (let i = 0; i < 10; i++) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "requestAnimationFrame", "cancelAnimationFrame", "Date"] });
  lang.value = "en";
  shownError.value = null;
  resetSession();
  section.value = "metrics";
  connections.value = [];
  activeConnectionId.value = "sandbox";
  sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
  plots.length = 0;
  noCanvas.on = false;
  delete document.documentElement.dataset.theme;
});
afterEach(async () => {
  cleanup();
  // Preact runs effects after a (fake) 35 ms timeout: let it run, or the next test's never will.
  await act(async () => {
    await vi.advanceTimersByTimeAsync(100);
  });
  clearMocks();
  vi.useRealTimers();
});

describe("Metrics dashboard", () => {
  it("reads each chart for the last hour and shows rates, points, the last value and a legend", async () => {
    serve(traffic);
    render(<Metrics />);
    await tick();
    expect(queries().map((c) => c.args.input.metric)).toEqual(CHARTS.map((c) => c.metric));
    for (const c of queries()) {
      expect(c.args).toEqual({ connectionId: "sandbox", clusterId: "lkc-1", input: { metric: c.args.input.metric, start_ms: NOW - 3_600_000, end_ms: NOW, by_topic: false, topics: [] } });
    }
    expect(calls.filter((c) => c.cmd === "metric_descriptors")).toHaveLength(1);

    // Bytes in: a counter, drawn per second (bucket ÷ 60 s).
    const bytesIn = chart("received_bytes");
    expect(bytesIn.dataset.seriesCount).toBe("1");
    expect(bytesIn.dataset.points).toBe("61");
    expect(bytesIn.dataset.last).toBe(String((60_000 + 60 * 60) / 60));
    expect(bytesIn.dataset.state).toBe("ready");
    expect(bytesIn.dataset.empty).toBe("false");
    expect(screen.getByTestId("legend-received_bytes").textContent).toContain("1.1 KB/s");
    expect(screen.getByTestId("metric-received_bytes").textContent).toContain("bytes/s");
    // Records in: a counter of records.
    expect(screen.getByTestId("legend-received_records").textContent).toContain("1.1k/s");
    // Partitions: a gauge, as is.
    expect(chart("partition_count").dataset.last).toBe("7");
    expect(screen.getByTestId("legend-partition_count").textContent).toContain("7");
    expect(screen.getByTestId("metric-partition_count").textContent).toContain("partitions");
    expect(screen.getByTestId("metrics-granularity").textContent).toBe("One point every 1 min (PT1M)");
    expect(screen.queryByTestId("metrics-no-traffic")).toBeNull();

    // One uPlot per chart, sharing one cursor, with the values on a ms time axis.
    expect(plots).toHaveLength(8);
    expect(plots.every((p) => p.opts.cursor.sync.key === "gureum-metrics" && p.opts.ms === 1)).toBe(true);
    expect(plots[0]!.data[1]).toHaveLength(61);
    expect(plots[0]!.opts.axes[1].label).toBe("bytes/s");
    expect(plots[0]!.opts.axes[1].values(null, [0, 1500, 2_000_000])).toEqual(["0 B", "1.5 KB", "2 MB"]);
  });

  it("shows the values under the cursor in human units, and the latest when it leaves", async () => {
    serve(traffic);
    render(<Metrics />);
    await tick();
    const legend = screen.getByTestId("legend-received_bytes");
    expect(legend.dataset.hover).toBe("false");
    expect(screen.getByTestId("legend-when-received_bytes").textContent).toBe("Latest");
    const plot = plots[0]!;
    await act(() => plot.opts.hooks.setCursor[0]({ cursor: { idx: 0 } }));
    expect(legend.dataset.hover).toBe("true");
    expect(legend.textContent).toContain("1 KB/s"); // 60 000 B in the first minute
    expect(screen.getByTestId("legend-when-received_bytes").textContent).toMatch(/\d{2}:\d{2}/);
    await act(() => plot.opts.hooks.setCursor[0]({ cursor: { idx: null } }));
    expect(legend.dataset.hover).toBe("false");
  });

  it("redraws with the other theme's colours when Settings or the OS switches it", async () => {
    serve(traffic);
    render(<Metrics />);
    await tick();
    expect(plots).toHaveLength(8);
    document.documentElement.dataset.theme = "dark";
    await tick();
    expect(plots).toHaveLength(16);
    expect(plots.slice(0, 8).every((p) => p.destroyed)).toBe(true);
    // New data on the same series only updates the plot.
    await tick(60_000);
    expect(plots).toHaveLength(16);
    expect(plots[8]!.setData).toHaveLength(1);
  });

  it("redraws when the OS switches between light and dark", async () => {
    const listeners: (() => void)[] = [];
    const media = { dark: false };
    vi.stubGlobal("matchMedia", (q: string) => ({
      media: q,
      get matches() {
        return q.includes("dark") && media.dark;
      },
      addEventListener: (_: string, f: () => void) => listeners.push(f),
      removeEventListener: (_: string, f: () => void) => listeners.splice(listeners.indexOf(f), 1),
    }));
    try {
      serve(traffic);
      render(<Metrics />);
      await tick();
      expect(plots).toHaveLength(8);
      expect(listeners).toHaveLength(8);
      media.dark = true;
      await act(() => listeners.slice().forEach((f) => f()));
      await tick();
      expect(plots).toHaveLength(16);
      cleanup();
      expect(listeners).toHaveLength(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("follows its container's width (narrow windows)", async () => {
    const observers: { cb: ResizeObserverCallback; el?: Element }[] = [];
    vi.stubGlobal(
      "ResizeObserver",
      class {
        rec: { cb: ResizeObserverCallback; el?: Element };
        constructor(cb: ResizeObserverCallback) {
          observers.push((this.rec = { cb }));
        }
        observe(el: Element) {
          this.rec.el = el;
        }
        disconnect() {}
      },
    );
    try {
      serve(traffic);
      render(<Metrics />);
      await tick();
      const ro = observers.find((o) => o.el?.closest("[data-testid=chart-received_bytes]"))!;
      ro.cb([{ contentRect: { width: 333 } } as ResizeObserverEntry], ro as never);
      expect(plots[0]!.sizes).toEqual([{ width: 333, height: 200 }]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("still shows the numbers where charts can't be drawn", async () => {
    noCanvas.on = true;
    serve(traffic);
    render(<Metrics />);
    await tick();
    const bytesIn = chart("received_bytes");
    expect(bytesIn.dataset.drawn).toBe("false");
    expect(bytesIn.dataset.points).toBe("61");
    expect(bytesIn.textContent).toContain("This view can't draw charts");
    expect(screen.getByTestId("legend-received_bytes").textContent).toContain("KB/s");
  });

  it("breaks topic metrics down by topic, stacked or as lines, filtered server-side", async () => {
    serve(traffic);
    render(<Metrics />);
    await tick();
    calls.length = 0;
    fireEvent.click(screen.getByTestId("view-by-topic"));
    await tick();
    // Only metrics whose descriptor has a topic label are asked per topic.
    expect(queries().map((c) => [c.args.input.metric, c.args.input.by_topic])).toEqual([
      ["received_bytes", true],
      ["sent_bytes", true],
      ["received_records", true],
      ["sent_records", true],
      ["retained_bytes", true],
    ]);
    const bytesIn = chart("received_bytes");
    expect(bytesIn.dataset.seriesCount).toBe("2");
    expect(bytesIn.dataset.stacked).toBe("true");
    expect([...screen.getByTestId("legend-received_bytes").querySelectorAll("[data-testid=legend-item]")].map((e) => (e as HTMLElement).dataset.label)).toEqual(["orders", "payments"]);
    expect(bytesIn.dataset.last).toBe(String((6000 + 60) / 60)); // first series (orders), per second, not stacked
    const stackedPlot = plots.filter((p) => p.data.length === 3 && p.opts.axes[1].label === "bytes/s").at(-1)!;
    expect(stackedPlot.opts.bands).toEqual([{ series: [2, 1] }]);
    expect(stackedPlot.data[2][0]).toBe(stackedPlot.data[1][0] + 3000 / 60); // payments on top of orders
    expect(chart("partition_count").dataset.seriesCount).toBe("1");
    expect(screen.getByTestId("no-topic-label-request_count")).toBeTruthy();
    expect(screen.queryByTestId("no-topic-label-received_bytes")).toBeNull();

    fireEvent.click(screen.getByTestId("mode-lines"));
    await tick();
    expect(chart("received_bytes").dataset.stacked).toBe("false");
    expect(plots.at(-1)!.opts.bands).toEqual([]);

    // The filter lists the topics seen; picking one asks the server for it.
    fireEvent.click(screen.getByTestId("topic-filter-summary"));
    expect(screen.getAllByTestId("topic-option").map((e) => e.dataset.topic)).toEqual(["orders", "payments"]);
    fireEvent.input(screen.getByTestId("topic-search"), { target: { value: "pay" } });
    expect(screen.getAllByTestId("topic-option").map((e) => e.dataset.topic)).toEqual(["payments"]);
    calls.length = 0;
    fireEvent.click(screen.getByTestId("topic-option"));
    await tick(400);
    expect(queries().map((c) => c.args.input.topics)).toEqual(Array(5).fill(["payments"]));
    expect(chart("received_bytes").dataset.seriesCount).toBe("1");
    expect(screen.getByTestId("topic-filter-summary").textContent).toBe("1 topic(s)");
    // A topic filtered out is still offered.
    fireEvent.input(screen.getByTestId("topic-search"), { target: { value: "" } });
    expect(screen.getAllByTestId("topic-option")).toHaveLength(2);
    calls.length = 0;
    fireEvent.click(screen.getByTestId("topic-clear"));
    await tick(400);
    expect(queries().map((c) => c.args.input.topics)).toEqual(Array(5).fill([]));
  });

  it("shows a cluster without traffic as flat zero lines with a hint, not an error", async () => {
    serve((input) => (input.by_topic ? { ...answer(input, () => 0), series: [] } : answer(input, (i) => (i > 59 ? null : 0))));
    render(<Metrics />);
    await tick();
    const hint = screen.getByTestId("metrics-no-traffic");
    expect(hint.textContent).toContain("No traffic yet");
    expect(screen.queryByTestId("metrics-error")).toBeNull();
    expect(shownError.value).toBeNull();
    const bytesIn = chart("received_bytes");
    expect(bytesIn.dataset.empty).toBe("true");
    expect(bytesIn.dataset.seriesCount).toBe("1");
    expect(bytesIn.dataset.last).toBe("0");
    expect(bytesIn.dataset.drawn).toBe("true");
    expect(plots[0]!.opts.scales.y.range(null, 0, 0)).toEqual([0, 10]);
    // By topic, no topic had traffic: said on the chart.
    fireEvent.click(screen.getByTestId("view-by-topic"));
    await tick();
    expect(chart("received_bytes").dataset.seriesCount).toBe("0");
    expect(screen.getByTestId("chart-empty-received_bytes").textContent).toBe("No topic had traffic in this range.");
    fireEvent.click(screen.getByTestId("metrics-open-send"));
    expect(section.value).toBe("send");
  });

  it("keeps the last data on 429 and retries after 15 s, then 30 s", async () => {
    let refuse = false;
    serve((input) => {
      if (refuse) throw { code: "CLOUD_RATE_LIMITED", message: "The Metrics API allows 60 requests a minute…" };
      return traffic(input);
    });
    render(<Metrics />);
    await tick();
    const before = chart("received_bytes").dataset.last;
    refuse = true;
    await tick(60_000);
    expect(screen.getByTestId("metrics-rate-limited").textContent).toContain("Retrying in 15 s");
    expect(chart("received_bytes").dataset.last).toBe(before);
    expect(chart("received_bytes").dataset.state).toBe("stale");
    expect(screen.getByTestId("stale-received_bytes")).toBeTruthy();
    expect(screen.queryByTestId("metrics-error")).toBeNull();
    expect(shownError.value).toBeNull();
    await tick(5_000);
    expect(screen.getByTestId("metrics-rate-limited").textContent).toContain("Retrying in 10 s");
    calls.length = 0;
    await tick(9_000);
    expect(queries()).toHaveLength(0);
    await tick(1_000);
    expect(queries()).toHaveLength(8);
    expect(screen.getByTestId("metrics-rate-limited").textContent).toContain("Retrying in 30 s");
    refuse = false;
    await tick(30_000);
    expect(screen.queryByTestId("metrics-rate-limited")).toBeNull();
    expect(chart("received_bytes").dataset.state).toBe("ready");
    expect(screen.queryByTestId("stale-received_bytes")).toBeNull();
  });

  it("says the Metrics API is unreachable, with a retry that recovers", async () => {
    let down = true;
    serve((input) => {
      if (down) throw { code: "CLOUD_UNREACHABLE", message: "Could not reach the sandbox's Metrics API at 127.0.0.1:1.", detail: "connection refused" };
      return traffic(input);
    });
    render(<Metrics />);
    await tick();
    const error = screen.getByTestId("metrics-error");
    expect(error.dataset.code).toBe("CLOUD_UNREACHABLE");
    expect(error.textContent).toContain("The Metrics API can't be reached.");
    expect(error.textContent).toContain("Could not reach the sandbox's Metrics API");
    expect(chart("received_bytes").dataset.state).toBe("error");
    expect(chart("received_bytes").dataset.points).toBeUndefined();
    expect(screen.getByTestId("chart-error-received_bytes")).toBeTruthy();
    down = false;
    fireEvent.click(screen.getByTestId("metrics-retry"));
    await tick();
    expect(screen.queryByTestId("metrics-error")).toBeNull();
    expect(chart("received_bytes").dataset.state).toBe("ready");
  });

  it("auto-refreshes every minute, ticks “updated N s ago”, and pauses while hidden", async () => {
    serve(traffic);
    render(<Metrics />);
    await tick();
    expect(screen.getByTestId("metrics-updated").textContent).toBe("Updated 0 s ago");
    await tick(5_000);
    expect(screen.getByTestId("metrics-updated").textContent).toBe("Updated 5 s ago");
    calls.length = 0;
    await tick(55_000);
    expect(queries()).toHaveLength(8);
    expect(queries()[0]!.args.input.start_ms).toBe(NOW + MIN - 3_600_000);
    expect(screen.getByTestId("metrics-updated").textContent).toBe("Updated 0 s ago");

    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    document.dispatchEvent(new Event("visibilitychange"));
    calls.length = 0;
    await tick(180_000);
    expect(queries()).toHaveLength(0);
    visibility.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange"));
    await tick();
    expect(queries()).toHaveLength(8);
    visibility.mockRestore();

    // Turned off: no more rounds; Refresh still reads.
    fireEvent.click(screen.getByTestId("metrics-auto"));
    calls.length = 0;
    await tick(120_000);
    expect(queries()).toHaveLength(0);
    expect(screen.getByTestId("metrics-updated").textContent).toBe("Updated 2 min ago");
    fireEvent.click(screen.getByTestId("metrics-refresh"));
    await tick();
    expect(queries()).toHaveLength(8);
  });

  it("stops reading when the section is left", async () => {
    serve(traffic);
    const { unmount } = render(<Metrics />);
    await tick();
    unmount();
    calls.length = 0;
    await tick(300_000);
    expect(queries()).toHaveLength(0);
  });

  it("switches ranges, and validates a custom one before asking", async () => {
    serve(traffic);
    render(<Metrics />);
    await tick();
    calls.length = 0;
    fireEvent.click(screen.getByTestId("range-7d"));
    await tick();
    expect(queries()[0]!.args.input).toMatchObject({ start_ms: NOW - 7 * 24 * 3_600_000, end_ms: NOW });
    expect(screen.getByTestId("range-7d").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("metrics-auto").parentElement!.textContent).toContain("every 10 min");

    fireEvent.click(screen.getByTestId("range-custom"));
    const start = screen.getByTestId("range-start") as HTMLInputElement;
    const end = screen.getByTestId("range-end") as HTMLInputElement;
    const local = (ms: number) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    };
    fireEvent.input(start, { target: { value: local(NOW - 30 * MIN) } });
    fireEvent.input(end, { target: { value: local(NOW - 90 * MIN) } });
    calls.length = 0;
    fireEvent.click(screen.getByTestId("range-apply"));
    await tick();
    expect(screen.getByTestId("range-error").textContent).toBe("The range must end after it starts.");
    expect(screen.getByTestId("range-error").dataset.field).toBe("end");
    expect(queries()).toHaveLength(0);
    fireEvent.input(end, { target: { value: local(NOW + 3 * 3_600_000) } });
    fireEvent.click(screen.getByTestId("range-apply"));
    expect(screen.getByTestId("range-error").textContent).toContain("can't end in the future");

    fireEvent.input(start, { target: { value: local(NOW - 120 * MIN) } });
    fireEvent.input(end, { target: { value: local(NOW - 60 * MIN) } });
    fireEvent.click(screen.getByTestId("range-apply"));
    await tick();
    expect(screen.queryByTestId("range-error")).toBeNull();
    const input = queries()[0]!.args.input;
    expect(input.end_ms - input.start_ms).toBe(60 * MIN);
    expect(input.end_ms).toBeLessThanOrEqual(NOW - 60 * MIN);
    expect((screen.getByTestId("metrics-auto") as HTMLInputElement).disabled).toBe(true);
    calls.length = 0;
    await tick(600_000);
    expect(queries()).toHaveLength(0); // a fixed range isn't re-read by itself
  });

  it("explains that a Kafka-only connection has no Metrics API", async () => {
    connections.value = [
      { id: "sandbox", name: "Sandbox", endpoint: { kind: "sandbox" } },
      { id: "k1", name: "On-prem", endpoint: { kind: "kafka", bootstrap_servers: "b:9092", security_protocol: "PLAINTEXT", sasl_mechanism: null, sasl_username: null, ssl_ca_location: null } as any },
    ];
    activeConnectionId.value = "k1";
    serve(traffic);
    render(<Metrics />);
    await tick();
    expect(screen.getByTestId("metrics-needs-cloud").textContent).toContain("need the sandbox cloud or a Confluent Cloud connection");
    expect(calls).toHaveLength(0);
  });

  it("explains NO_CLOUD_API from the Metrics API too, without a banner", async () => {
    serve(traffic, {
      metric_descriptors: () => {
        throw { code: "NO_CLOUD_API", message: "This connection has no Cloud API." };
      },
    });
    render(<Metrics />);
    await tick();
    expect(screen.getByTestId("metrics-needs-cloud").textContent).toContain("This connection has no Cloud API.");
    expect(shownError.value).toBeNull();
  });

  it("speaks Korean", async () => {
    lang.value = "ko";
    serve(traffic);
    render(<Metrics />);
    await tick();
    expect(screen.getByTestId("metric-received_bytes").textContent).toContain("수신 바이트");
    expect(screen.getByTestId("legend-received_bytes").textContent).toContain("KB/초");
    expect(screen.getByTestId("metrics-granularity").textContent).toBe("1분마다 한 점 (PT1M)");
  });
});
