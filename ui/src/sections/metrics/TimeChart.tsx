// One time-series chart: uPlot on a canvas, a legend in the DOM, data-* attributes for tests.
//
// Why uPlot: it is ~50 KB, has no dependencies, and draws dense time series straight to a canvas
// (tens of thousands of points in a few milliseconds — 7 days at 1-minute resolution for 6 series
// is ~60k points); it has a synced cursor across charts built in, and it is loaded only when the
// Metrics section first draws (a separate chunk), so it costs the rest of the app nothing.
// SVG/DOM chart libraries slow down at these sizes, and canvas ones such as Chart.js are 4× larger.
import "uplot/dist/uPlot.min.css";
import "./metrics.css";

import type uPlot from "uplot";
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";

import { type ChartColors, SERIES_VARS, chartColors, onThemeChange, withAlpha } from "./chartTheme";
import { type ChartData, lastValue, stack, stackBands } from "./series";

type UPlotClass = typeof uPlot;
let loaded: UPlotClass | null = null;
let loading: Promise<UPlotClass> | null = null;

/**
 * uPlot formats numbers with `new Intl.NumberFormat(navigator.language)` when its module loads; a
 * POSIX locale (LANG=C.UTF-8) makes WebKitGTK report "C", which Intl refuses: the import would throw.
 */
function saneNavigatorLanguage() {
  try {
    new Intl.NumberFormat(navigator.language);
  } catch {
    try {
      Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
    } catch {
      /* then the import fails and the charts say they can't draw */
    }
  }
}

/** uPlot, imported on first use (its own chunk); tests mock the module. */
export function loadUPlot(): Promise<UPlotClass> {
  if (loaded) return Promise.resolve(loaded);
  saneNavigatorLanguage();
  loading ??= import("uplot").then(
    (m) => (loaded = m.default),
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

export interface TimeChartProps {
  /** Names the test ids: chart-<metric>, legend-<metric>. */
  metric: string;
  data: ChartData | null;
  /** Per-topic series stacked as areas (else lines). */
  stacked?: boolean;
  /** A value for the legend, with its unit (e.g. "1.2 MB/s"). */
  format: (v: number | null) => string;
  /** A y-axis tick (e.g. "1.2 MB"). */
  tick: (v: number) => string;
  /** The y axis' unit (e.g. "bytes/s"). */
  axisLabel: string;
  /** The palette slot of a series (so a topic has one colour in every chart). */
  colorOf?: (label: string, index: number) => number;
  /** Charts sharing a key share one cursor. */
  syncKey?: string;
  height?: number;
  /** Shown over the plot when there is nothing to draw (e.g. no topic had traffic). */
  empty?: ComponentChildren;
  /** Shown in place of the plot before the first data. */
  placeholder?: ComponentChildren;
  /** Header of the legend's value column when the cursor is away ("Last"). */
  lastLabel: string;
  /** The series label shown for the cluster-wide series. */
  totalLabel?: string;
  /** The chart could not be drawn (no canvas): said here instead. */
  cannotDraw: string;
  /** How long the last draw took, ms (for the benchmark). */
  onDraw?: (ms: number) => void;
  lang?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The aligned arrays uPlot takes: [x, y1, y2, …]. */
function aligned(data: ChartData, stacked: boolean): uPlot.AlignedData {
  const ys = stacked ? stack(data.series) : data.series;
  return [data.times, ...ys.map((s) => s.values)] as uPlot.AlignedData;
}

export function TimeChart(p: TimeChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const drawnWith = useRef<uPlot.AlignedData | null>(null);
  const drawStart = useRef(0);
  const props = useRef(p);
  props.current = p;
  const [UPlot, setUPlot] = useState<UPlotClass | null>(() => loaded); // (a class is a function: not an initialiser)
  const [failed, setFailed] = useState(false);
  const [hover, setHover] = useState<number | null>(null);
  const [themeGen, setThemeGen] = useState(0);
  const height = p.height ?? 200;
  const stacked = !!p.stacked && (p.data?.series.length ?? 0) > 1;
  const labels = p.data?.series.map((s) => s.label) ?? [];
  const arrays = useMemo(() => (p.data ? aligned(p.data, stacked) : null), [p.data, stacked]);
  // What needs a new plot rather than new data: the series, the mode, the theme, the axis.
  const structure = `${stacked}|${labels.join("\u0001")}|${themeGen}|${p.axisLabel}|${p.lang ?? ""}|${height}`;
  const drawable = !!arrays && labels.length > 0;

  useEffect(() => {
    if (UPlot || failed) return;
    let live = true;
    loadUPlot().then(
      (c) => live && setUPlot(() => c),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [UPlot, failed]);

  useEffect(() => onThemeChange(() => setThemeGen((n) => n + 1)), []);

  useLayoutEffect(() => {
    const el = host.current;
    if (!UPlot || !el || !drawable || !arrays || !p.data) return;
    const onDraw = () => props.current.onDraw?.(performance.now() - drawStart.current);
    const opts = options(p.data, stacked, chartColors(el), el.clientWidth || 600, height, props, setHover, onDraw);
    try {
      drawStart.current = performance.now();
      plot.current = new UPlot(opts, arrays, el);
      drawnWith.current = arrays;
    } catch {
      el.textContent = "";
      setFailed(true);
    }
    return () => {
      plot.current?.destroy();
      plot.current = null;
      drawnWith.current = null;
      setHover(null);
    };
  }, [UPlot, structure, drawable]);

  useEffect(() => {
    const u = plot.current;
    if (!u || !arrays || drawnWith.current === arrays) return;
    drawnWith.current = arrays;
    drawStart.current = performance.now();
    u.setData(arrays);
  }, [arrays]);

  // Follow the container's width (a narrow window, the sidebar collapsing).
  useEffect(() => {
    const el = host.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      const u = plot.current;
      if (u && w > 0 && w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [height]);

  const first = p.data?.series[0];
  const last = first ? lastValue(first.values) : null;
  const attrs = {
    "data-testid": `chart-${p.metric}`,
    "data-series-count": p.data ? p.data.series.length : undefined,
    "data-points": p.data ? (first?.values.length ?? 0) : undefined,
    "data-last": p.data && last != null ? String(last) : undefined,
    "data-stacked": p.data ? String(stacked) : undefined,
    "data-drawn": String(!!UPlot && drawable && !failed),
    ...p.attrs,
  };
  return (
    <div class="time-chart" {...attrs}>
      <div class="chart-plot" style={{ minHeight: `${height}px` }}>
        {!p.data ? (p.placeholder ?? null) : null}
        <div class="chart-canvas" ref={host} />
        {p.data && !drawable && p.empty ? <div class="chart-overlay">{p.empty}</div> : null}
        {failed && p.data ? <div class="chart-overlay muted">{p.cannotDraw}</div> : null}
      </div>
      {p.data && labels.length ? <Legend {...p} hover={hover} /> : null}
    </div>
  );
}

function Legend(p: TimeChartProps & { hover: number | null }) {
  const data = p.data!;
  const at = p.hover != null ? data.times[p.hover] : undefined;
  const shown = at != null ? timeText(at, data, p.lang) : p.lastLabel;
  return (
    <div class="chart-legend" data-testid={`legend-${p.metric}`} data-hover={p.hover != null ? "true" : "false"}>
      <div class="legend-when" data-testid={`legend-when-${p.metric}`}>
        {shown}
      </div>
      <ul>
        {data.series.map((s, i) => {
          const v = p.hover != null ? (s.values[p.hover] ?? null) : lastValue(s.values);
          const slot = (p.colorOf?.(s.label, i) ?? i) % SERIES_VARS;
          return (
            <li key={s.label} data-testid="legend-item" data-label={s.label}>
              <span class="legend-swatch" style={{ background: `var(--chart-${slot + 1})` }} aria-hidden="true" />
              <span class="legend-label" title={s.label}>
                {s.label === "total" && p.totalLabel ? p.totalLabel : s.label}
              </span>
              <span class="legend-value">{p.format(v)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function timeText(ms: number, data: ChartData, lang?: string): string {
  const span = (data.times[data.times.length - 1] ?? ms) - (data.times[0] ?? ms);
  const opts: Intl.DateTimeFormatOptions =
    span > DAY ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false } : { hour: "2-digit", minute: "2-digit", hour12: false };
  return new Intl.DateTimeFormat(lang, opts).format(ms);
}

function xTicks(lang: string | undefined) {
  const time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  const date = new Intl.DateTimeFormat(lang, { month: "numeric", day: "numeric" });
  return (_u: uPlot, splits: number[], _ax: number, _space: number, incr: number) =>
    splits.map((ms) => {
      if (incr >= DAY) return date.format(ms);
      const d = new Date(ms);
      return d.getHours() === 0 && d.getMinutes() === 0 && incr >= HOUR ? date.format(ms) : time.format(ms);
    });
}

function options(
  data: ChartData,
  stacked: boolean,
  c: ChartColors,
  width: number,
  height: number,
  props: { current: TimeChartProps },
  setHover: (i: number | null) => void,
  onDraw: () => void,
): uPlot.Options {
  const p = props.current;
  const colorAt = (label: string, i: number) => c.series[(p.colorOf?.(label, i) ?? i) % c.series.length]!;
  const font = "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans KR', sans-serif";
  const axis = { stroke: c.muted, font, labelFont: font, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1, size: 4 } };
  // uPlot draws at most a few vertices per pixel column, so this is about what gets stroked.
  const vertices = data.series.length * Math.min(data.times.length, 4 * width);
  // WebKitGTK strokes 1-device-pixel lines far faster than wider ones (7 days at 1 min, 6 series:
  // ~20 ms vs ~140 ms at DPR 1, ~400 ms at DPR 2; tests/bench/metrics-draw.mjs): dense charts get
  // hairlines, sparse ones a 1.5 px line.
  const lineWidth = vertices > 4000 ? 1 / (globalThis.devicePixelRatio || 1) : 1.5;
  let hovered: number | null = null;
  return {
    width,
    height,
    ms: 1,
    pxAlign: 1,
    legend: { show: false },
    cursor: {
      drag: { x: false, y: false, setScale: false },
      points: { size: 6 },
      ...(p.syncKey ? { sync: { key: p.syncKey } } : {}),
    },
    scales: {
      x: { time: true },
      // Every metric here is ≥ 0: start at zero; a flat zero line still gets an axis (whole ticks).
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 10] },
    },
    axes: [
      { ...axis, values: xTicks(p.lang), space: 70, size: 32 },
      {
        ...axis,
        label: p.axisLabel,
        labelSize: 18,
        values: (_u, splits) => splits.map((v) => props.current.tick(v)),
        size: (_u, values) => 14 + 7 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
      },
    ],
    series: [
      {},
      ...data.series.map((s, i) => {
        const color = colorAt(s.label, i);
        return {
          label: s.label,
          stroke: color,
          width: lineWidth,
          // Stacked: each area fills down to the one beneath it (the bands); lines: a light fill under a single series.
          fill: stacked ? withAlpha(color, 0.35) : data.series.length === 1 ? withAlpha(color, 0.12) : undefined,
          // Dots on the values only while they are few enough to tell apart (e.g. 15 minutes).
          points: { show: data.times.length <= 40 && vertices <= 400, fill: c.panel },
          spanGaps: false,
        };
      }),
    ],
    bands: stacked ? stackBands(data.series.length) : [],
    hooks: {
      setCursor: [
        (u) => {
          const idx = u.cursor.idx ?? null;
          if (idx !== hovered) setHover((hovered = idx));
        },
      ],
      draw: [onDraw],
    },
  };
}
