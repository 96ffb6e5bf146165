// Benchmark page (not a test): draws 7 days at 1-minute resolution for 6 series (~60k points)
// with the Metrics section's TimeChart, N times, and publishes the timings on window.__bench.
import "../src/styles.css";

import { render } from "preact";

import type { MetricView } from "../src/bindings";
import { TimeChart, loadUPlot } from "../src/sections/metrics/TimeChart";
import { human } from "../src/format";
import { type ChartData, shape } from "../src/sections/metrics/series";

const MIN = 60_000;
const POINTS = 7 * 24 * 60; // 10 080 one-minute buckets
const SERIES = 6;
const RUNS = Number(new URLSearchParams(location.search).get("runs") ?? 15);

/** A MetricView like the backend's: bytes per 1-minute bucket for 6 topics, with some noise. */
function fakeView(seed: number): MetricView {
  const end = Date.now() - (Date.now() % MIN);
  const times = Array.from({ length: POINTS }, (_, i) => end - (POINTS - i) * MIN);
  let x = seed * 7919 + 1;
  const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647);
  const series = Array.from({ length: SERIES }, (_, s) => ({
    label: `topic-${s}`,
    values: times.map((t, i) => Math.round((1 + s) * 60_000 * (1.2 + Math.sin(t / 3_600_000 / 4 + s)) * (0.8 + 0.4 * rand())) + (i % 97 === 0 ? 0 : 1)),
  }));
  return { metric: "received_bytes", granularity: "PT1M", step_ms: MIN, times_ms: times, series, cached: false };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
let extraDraws = 0;
const frame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
/** Lets the previous step's paint and effects finish, so runs don't overlap. */
const settle = async () => {
  await frame();
  await new Promise((r) => setTimeout(r, 50));
};

/** Renders the chart and resolves when uPlot has drawn it: [render → drawn, uPlot's own ms, render → painted]. */
function drawOnce(host: HTMLElement, data: ChartData, stacked: boolean): Promise<[number, number, number]> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let draws = 0;
    const onDraw = (own: number) => {
      if (draws++) return void (extraDraws += 1);
      const drawn = performance.now();
      // The frame after the next one: by then the first has been painted (canvas rasterised).
      void frame()
        .then(frame)
        .then((f) => resolve([drawn - t0, own, f - t0]));
    };
    render(
      <TimeChart metric="received_bytes" data={data} stacked={stacked} format={(v) => human(v, true, "/s")} tick={(v) => human(v, true)} axisLabel="bytes/s" lastLabel="Latest" cannotDraw="no canvas" height={240} onDraw={onDraw} />,
      host,
    );
  });
}

/** Re-renders with new data of the same shape (an auto-refresh): resolves with uPlot's setData + draw ms. */
function updateOnce(host: HTMLElement, data: ChartData): Promise<number> {
  return new Promise((resolve) => {
    render(
      <TimeChart metric="received_bytes" data={data} format={(v) => human(v, true, "/s")} tick={(v) => human(v, true)} axisLabel="bytes/s" lastLabel="Latest" cannotDraw="no canvas" height={240} onDraw={resolve} />,
      host,
    );
  });
}

async function main() {
  const host = document.getElementById("bench")!;
  await loadUPlot(); // the chunk's load is not the draw
  const views = Array.from({ length: RUNS + 1 }, (_, i) => fakeView(i));
  const shapeMs: number[] = [];
  const datas = views.map((v) => {
    const t = performance.now();
    const d = shape(v, { bytes: true, rate: true });
    shapeMs.push(performance.now() - t);
    return d;
  });
  const points = datas[0]!.series.length * datas[0]!.times.length;
  // Warm-up (JIT), not counted.
  await drawOnce(host, datas[0]!, false);
  render(null, host);
  await settle();

  const first: number[] = [], own: number[] = [], toFrame: number[] = [], stackedFirst: number[] = [], stackedPainted: number[] = [], updates: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const di = datas[i]!;
    const [a, b, c] = await drawOnce(host, di, false);
    first.push(a), own.push(b), toFrame.push(c);
    await settle();
    updates.push(await updateOnce(host, datas[0]!)); // new data, same series: setData
    render(null, host);
    await settle();
    const [sa, , sc] = await drawOnce(host, di, true);
    stackedFirst.push(sa), stackedPainted.push(sc);
    if (i < RUNS) render(null, host);
    await settle();
  }
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await frame();
    idle.push((await frame()) - t);
  }
  const chart = host.querySelector<HTMLElement>("[data-testid=chart-received_bytes]")!;
  const result = {
    engine: navigator.userAgent,
    runs: RUNS,
    series: SERIES,
    pointsPerSeries: POINTS,
    points,
    width: chart.clientWidth,
    devicePixelRatio,
    drawn: chart.dataset.drawn,
    extraDraws,
    median_ms: {
      first_draw_lines: median(first),
      uplot_only_lines: median(own),
      first_draw_painted: median(toFrame),
      idle_frame: median(idle),
      first_draw_stacked: median(stackedFirst),
      first_draw_stacked_painted: median(stackedPainted),
      refresh_setData: median(updates),
      shape_rates: median(shapeMs),
    },
    all_ms: { first_draw_lines: first, first_draw_painted: toFrame, first_draw_stacked: stackedFirst, refresh_setData: updates },
  };
  (window as unknown as { __bench: unknown }).__bench = result;
  document.getElementById("out")!.textContent = JSON.stringify(result, null, 2);
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: `${String(e)} (navigator.language=${JSON.stringify(navigator.language)})\n${e?.stack ?? ""}` };
});
