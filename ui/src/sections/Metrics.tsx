// Metrics: a dashboard per cluster from the connection's Metrics API — 8 time-series charts, a range
// picker, auto-refresh, a per-topic breakdown, and states that say what is going on.
import "./metrics/metrics.css";

import { useEffect, useMemo, useRef, useState } from "preact/hooks";

import { type BridgeError, call, commands } from "../api";
import type { ClusterView_Serialize as ClusterView, MetricDescriptorView } from "../bindings";
import { ClusterPicker } from "../components/ClusterPicker";
import { ErrorView } from "../components/ErrorView";
import { human } from "../format";
import { type Key, lang, t } from "../i18n";
import { activeConnectionId, connections, section } from "../state";
import { MetricsDashboard, type Slot } from "./metrics/dashboard";
import { PRESETS, type RangeChoice, agoParts, refreshInterval, resolveRange, toLocalInput, validateCustom, wholeUnit } from "./metrics/range";
import { allZero, measureOf, shape } from "./metrics/series";
import { descriptorCache } from "./metrics/state";
import { TimeChart } from "./metrics/TimeChart";

/** The dashboard's charts, in order; the title and the noun of a count. Units, kinds and which
 * metrics have a topic label come from the Metrics API's descriptors. */
export const CHARTS: readonly { metric: string; title: Key; noun: Key }[] = [
  { metric: "received_bytes", title: "metrics.chart.received_bytes", noun: "metrics.noun.bytes" },
  { metric: "sent_bytes", title: "metrics.chart.sent_bytes", noun: "metrics.noun.bytes" },
  { metric: "received_records", title: "metrics.chart.received_records", noun: "metrics.noun.records" },
  { metric: "sent_records", title: "metrics.chart.sent_records", noun: "metrics.noun.records" },
  { metric: "retained_bytes", title: "metrics.chart.retained_bytes", noun: "metrics.noun.bytes" },
  { metric: "active_connection_count", title: "metrics.chart.active_connection_count", noun: "metrics.noun.connections" },
  { metric: "request_count", title: "metrics.chart.request_count", noun: "metrics.noun.requests" },
  { metric: "partition_count", title: "metrics.chart.partition_count", noun: "metrics.noun.partitions" },
];
/** Traffic: when these are all zero the cluster has had none in the range. */
const TRAFFIC = ["received_bytes", "sent_bytes", "received_records", "sent_records"];
const SYNC_KEY = "gureum-metrics";

async function descriptorsOf(conn: string): Promise<MetricDescriptorView[]> {
  const hit = descriptorCache.get(conn);
  if (hit) return hit;
  const list = await call(commands.metricDescriptors(conn));
  descriptorCache.set(conn, list);
  return list;
}

export function Metrics() {
  const conn = connections.value.find((c) => c.id === activeConnectionId.value);
  if (conn?.endpoint.kind === "kafka") return <NeedsCloud />;
  return <ClusterPicker>{(p) => <ClusterMetrics key={`${p.conn}/${p.cluster.id}`} conn={p.conn} cluster={p.cluster} />}</ClusterPicker>;
}

function NeedsCloud({ message }: { message?: string }) {
  return (
    <div class="card empty-state" data-testid="metrics-needs-cloud">
      <p>{t("metrics.needsCloud")}</p>
      {message ? <p class="muted small">{message}</p> : null}
      <button type="button" onClick={() => (section.value = "settings")}>
        {t("clusters.openSettings")}
      </button>
    </div>
  );
}

/** The current time, re-read every second while the window is visible (for "updated N s ago"). */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => document.visibilityState !== "hidden" && setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function durationText(ms: number): string {
  const { n, unit } = wholeUnit(ms);
  return t(`metrics.dur.${unit}`, { n: String(n) });
}

function ClusterMetrics({ conn, cluster }: { conn: string; cluster: ClusterView }) {
  const dash = useMemo(
    () =>
      new MetricsDashboard(
        CHARTS.map((c) => c.metric),
        { query: (input) => call(commands.queryMetric(conn, cluster.id, input)), descriptors: () => descriptorsOf(conn) },
      ),
    [conn, cluster.id],
  );
  const provisioned = cluster.phase === "PROVISIONED";
  useEffect(() => {
    if (!provisioned) return;
    const onVisibility = () => dash.setHidden(document.visibilityState === "hidden");
    onVisibility();
    document.addEventListener("visibilitychange", onVisibility);
    dash.start();
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      dash.stop();
    };
  }, [dash, provisioned]);
  const [stacked, setStacked] = useState(true);
  // One colour per topic across every chart, in the order topics first appear.
  const colors = useRef(new Map<string, number>());
  const colorOf = (label: string) => {
    if (label === "total") return 0;
    let slot = colors.current.get(label);
    if (slot == null) colors.current.set(label, (slot = colors.current.size));
    return slot;
  };

  if (!provisioned) {
    return (
      <p class="card muted" data-testid="metrics-not-ready">
        {t("metrics.notReady", { phase: cluster.phase })}
      </p>
    );
  }
  const slots = dash.slots.value;
  const all = Object.entries(slots) as [string, Slot][];
  const noCloud = all.find(([, s]) => s.error?.code === "NO_CLOUD_API")?.[1].error;
  if (noCloud) return <NeedsCloud message={noCloud.message} />;

  const failures = all.filter(([, s]) => s.error && s.error.code !== "CLOUD_RATE_LIMITED");
  const retryAt = dash.retryAt.value;
  const updatedAt = dash.updatedAt.value;
  const step = all.find(([, s]) => s.view?.step_ms)?.[1].view;
  const traffic = TRAFFIC.map((m) => slots[m]?.view);
  const noTraffic = traffic.every((v) => v) && allZero(traffic.flatMap((v) => v!.series));
  const every = dash.autoRefresh.value ? refreshInterval(dash.range.value) : null;

  return (
    <div class="metrics" data-testid="metrics">
      <section class="card metrics-toolbar" aria-label={t("metrics.controls")}>
        <RangePicker dash={dash} />
        <div class="metrics-status">
          <span data-testid="metrics-granularity" class="muted">
            {step ? t("metrics.granularity", { step: durationText(step.step_ms ?? 0), iso: step.granularity }) : "\u00a0"}
          </span>
          <UpdatedAgo at={updatedAt} />
          <label class="metrics-auto">
            <input
              type="checkbox"
              data-testid="metrics-auto"
              checked={dash.autoRefresh.value && dash.range.value.kind === "preset"}
              disabled={dash.range.value.kind === "custom"}
              onChange={(e) => dash.setAutoRefresh(e.currentTarget.checked)}
            />
            {dash.range.value.kind === "custom"
              ? t("metrics.autoOffCustom")
              : t("metrics.auto", { every: durationText(refreshInterval(dash.range.value) ?? 60_000) })}
          </label>
          <button type="button" data-testid="metrics-refresh" onClick={() => void dash.refresh()}>
            {all.some(([, s]) => s.loading) ? <span class="spinner" aria-hidden="true" /> : null} {t("clusters.refresh")}
          </button>
        </div>
        <ViewPicker dash={dash} stacked={stacked} setStacked={setStacked} />
        {every == null && dash.range.value.kind === "preset" ? (
          <p class="muted small" data-testid="metrics-auto-off">
            {t("metrics.autoPaused")}
          </p>
        ) : null}
      </section>

      {retryAt != null ? <RateLimited retryAt={retryAt} /> : null}
      {failures.length ? <ErrorCard errors={failures} onRetry={() => void dash.refresh(failures.map(([m]) => m))} /> : null}
      {noTraffic && !failures.length ? (
        <div class="card metrics-hint" data-testid="metrics-no-traffic">
          <p>{t("metrics.noTraffic")}</p>
          <button type="button" data-testid="metrics-open-send" onClick={() => (section.value = "send")}>
            {t("metrics.openSend")}
          </button>
        </div>
      ) : null}

      <div class="metrics-grid">
        {CHARTS.map((spec) => (
          <MetricCard key={spec.metric} dash={dash} spec={spec} slot={slots[spec.metric]!} stacked={stacked} colorOf={colorOf} />
        ))}
      </div>
    </div>
  );
}

/** "Updated N s ago", ticking on its own (the charts don't re-render every second). */
function UpdatedAgo({ at }: { at: number | null }) {
  const now = useNow();
  const { n, unit } = agoParts(now - (at ?? now));
  return (
    <span data-testid="metrics-updated" class="muted">
      {at != null ? t("metrics.updated", { ago: t(`metrics.dur.${unit}`, { n: String(n) }) }) : t("metrics.notYet")}
    </span>
  );
}

function RateLimited({ retryAt }: { retryAt: number }) {
  const now = useNow();
  return (
    <div class="metrics-notice" role="status" data-testid="metrics-rate-limited">
      {t("metrics.rateLimited", { s: String(Math.max(0, Math.ceil((retryAt - now) / 1000))) })}
    </div>
  );
}

function RangePicker({ dash }: { dash: MetricsDashboard }) {
  const choice = dash.range.value;
  const [customOpen, setCustomOpen] = useState(false);
  const showCustom = customOpen || choice.kind === "custom";
  return (
    <div class="range">
      <div class="segmented" role="group" aria-label={t("metrics.range")}>
        {PRESETS.map((p) => (
          <button
            type="button"
            key={p.id}
            data-testid={`range-${p.id}`}
            aria-pressed={choice.kind === "preset" && choice.id === p.id}
            onClick={() => {
              setCustomOpen(false);
              dash.setRange({ kind: "preset", id: p.id });
            }}
          >
            {t(p.label)}
          </button>
        ))}
        <button type="button" data-testid="range-custom" aria-pressed={showCustom} onClick={() => setCustomOpen(true)}>
          {t("metrics.range.custom")}
        </button>
      </div>
      {showCustom ? <CustomRange choice={choice} onApply={(c) => dash.setRange(c)} /> : null}
    </div>
  );
}

function CustomRange({ choice, onApply }: { choice: RangeChoice; onApply: (c: RangeChoice) => void }) {
  const initial = resolveRange(choice, Date.now());
  const [start, setStart] = useState(toLocalInput(initial.start_ms));
  const [end, setEnd] = useState(toLocalInput(initial.end_ms));
  const [problem, setProblem] = useState<{ field: "start" | "end"; error: Key } | null>(null);
  const max = toLocalInput(Date.now() + 60_000);
  return (
    <form
      class="custom-range"
      data-testid="custom-range"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const r = validateCustom(start, end, Date.now());
        if (!r.ok) return setProblem(r);
        setProblem(null);
        onApply({ kind: "custom", start: r.start, end: r.end });
      }}
    >
      <label class={problem?.field === "start" ? "invalid" : ""}>
        <span>{t("metrics.custom.from")}</span>
        <input type="datetime-local" data-testid="range-start" value={start} max={max} onInput={(e) => setStart(e.currentTarget.value)} aria-invalid={problem?.field === "start"} />
      </label>
      <label class={problem?.field === "end" ? "invalid" : ""}>
        <span>{t("metrics.custom.to")}</span>
        <input type="datetime-local" data-testid="range-end" value={end} max={max} onInput={(e) => setEnd(e.currentTarget.value)} aria-invalid={problem?.field === "end"} />
      </label>
      <button type="submit" class="primary" data-testid="range-apply">
        {t("metrics.custom.apply")}
      </button>
      {problem ? (
        <p class="field-error" role="alert" data-testid="range-error" data-field={problem.field}>
          {t(problem.error)}
        </p>
      ) : null}
    </form>
  );
}

function ViewPicker({ dash, stacked, setStacked }: { dash: MetricsDashboard; stacked: boolean; setStacked: (s: boolean) => void }) {
  const byTopic = dash.byTopic.value;
  return (
    <div class="view-picker">
      <div class="segmented" role="group" aria-label={t("metrics.view")}>
        <button type="button" data-testid="view-total" aria-pressed={!byTopic} onClick={() => byTopic && dash.setByTopic(false)}>
          {t("metrics.view.total")}
        </button>
        <button type="button" data-testid="view-by-topic" aria-pressed={byTopic} onClick={() => !byTopic && dash.setByTopic(true)}>
          {t("metrics.view.byTopic")}
        </button>
      </div>
      {byTopic ? (
        <>
          <div class="segmented" role="group" aria-label={t("metrics.mode")}>
            <button type="button" data-testid="mode-stacked" aria-pressed={stacked} onClick={() => setStacked(true)}>
              {t("metrics.mode.stacked")}
            </button>
            <button type="button" data-testid="mode-lines" aria-pressed={!stacked} onClick={() => setStacked(false)}>
              {t("metrics.mode.lines")}
            </button>
          </div>
          <TopicFilter dash={dash} />
        </>
      ) : null}
    </div>
  );
}

function TopicFilter({ dash }: { dash: MetricsDashboard }) {
  const [q, setQ] = useState("");
  const chosen = dash.topics.value;
  const seen = dash.seen.value;
  const shown = seen.filter((name) => name.toLowerCase().includes(q.trim().toLowerCase()));
  const toggle = (name: string, on: boolean) => dash.setTopics(on ? [...chosen, name].sort((a, b) => a.localeCompare(b)) : chosen.filter((x) => x !== name));
  return (
    <details class="topic-filter" data-testid="topic-filter">
      <summary data-testid="topic-filter-summary">{chosen.length ? t("metrics.topics.some", { n: String(chosen.length) }) : t("metrics.topics.all")}</summary>
      <div class="topic-filter-body">
        <input type="search" data-testid="topic-search" placeholder={t("metrics.topics.search")} aria-label={t("metrics.topics.search")} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        {seen.length === 0 ? <p class="muted small">{t("metrics.topics.none")}</p> : null}
        <ul>
          {shown.map((name) => (
            <li key={name}>
              <label>
                <input type="checkbox" data-testid="topic-option" data-topic={name} checked={chosen.includes(name)} onChange={(e) => toggle(name, e.currentTarget.checked)} />
                <span>{name}</span>
              </label>
            </li>
          ))}
        </ul>
        {chosen.length ? (
          <button type="button" class="ghost" data-testid="topic-clear" onClick={() => dash.setTopics([])}>
            {t("metrics.topics.clear")}
          </button>
        ) : null}
      </div>
    </details>
  );
}

function errorTitle(code: string): Key {
  switch (code) {
    case "CLOUD_UNREACHABLE":
    case "SANDBOX_NOT_READY":
      return "metrics.error.unreachable";
    case "CLOUD_TIMEOUT":
      return "metrics.error.timeout";
    case "CLOUD_UNAUTHORIZED":
    case "CLOUD_FORBIDDEN":
      return "metrics.error.unauthorized";
    default:
      return "metrics.error.other";
  }
}

function ErrorCard({ errors, onRetry }: { errors: [string, Slot][]; onRetry: () => void }) {
  const first = errors[0]![1].error as BridgeError;
  return (
    <ErrorView error={first} variant="card" testid="metrics-error" ids="metrics" title={t(errorTitle(first.code))} onRetry={onRetry}>
      {errors.some(([, s]) => s.view) ? <p class="muted small">{t("metrics.error.kept")}</p> : null}
    </ErrorView>
  );
}

function MetricCard(p: { dash: MetricsDashboard; spec: (typeof CHARTS)[number]; slot: Slot; stacked: boolean; colorOf: (label: string) => number }) {
  const { dash, spec, slot } = p;
  const desc = dash.descriptor(spec.metric);
  const measure = measureOf(desc);
  const data = useMemo(() => (slot.view ? shape(slot.view, measure) : null), [slot.view, measure.bytes, measure.rate]);
  const state = slot.view ? (slot.error ? "stale" : "ready") : slot.error ? "error" : "loading";
  const perSecond = measure.rate ? t("metrics.perSecond") : "";
  const noun = measure.bytes ? t("metrics.noun.bytes") : t(spec.noun);
  const axisLabel = measure.rate ? `${noun}${perSecond}` : noun;
  const empty = data ? allZero(data.series) : undefined;
  return (
    <section class="card metric-card" data-testid={`metric-${spec.metric}`} data-state={state} aria-labelledby={`h-${spec.metric}`}>
      <header class="metric-head">
        <h3 id={`h-${spec.metric}`} title={desc?.description}>
          {t(spec.title)}
        </h3>
        <span class="muted small">{axisLabel}</span>
        {slot.loading && slot.view ? <span class="spinner" aria-label={t("common.loading")} /> : null}
        {dash.byTopic.value && desc && !dash.hasTopics(spec.metric) ? (
          <span class="muted small" data-testid={`no-topic-label-${spec.metric}`}>
            {t("metrics.noTopicLabel")}
          </span>
        ) : null}
        {state === "stale" ? (
          <span class="stale-badge" data-testid={`stale-${spec.metric}`} title={slot.error?.message}>
            {t("metrics.stale")}
          </span>
        ) : null}
      </header>
      {desc?.description ? (
        <p class="metric-desc muted small" title={desc.description}>
          {measure.rate ? `${t("metrics.rateNote")} ` : ""}
          {desc.description}
        </p>
      ) : null}
      <TimeChart
        metric={spec.metric}
        data={data}
        stacked={slot.byTopic && p.stacked}
        format={(v) => human(v, measure.bytes, perSecond)}
        tick={(v) => human(v, measure.bytes)}
        axisLabel={axisLabel}
        colorOf={p.colorOf}
        syncKey={SYNC_KEY}
        lang={lang.value}
        lastLabel={t("metrics.legend.last")}
        totalLabel={t("metrics.legend.total")}
        cannotDraw={t("metrics.cannotDraw")}
        empty={<span data-testid={`chart-empty-${spec.metric}`}>{t("metrics.noTopicData")}</span>}
        placeholder={
          slot.error ? (
            <div class="chart-placeholder error" data-testid={`chart-error-${spec.metric}`}>
              {t("metrics.chartFailed")}
            </div>
          ) : (
            <div class="chart-placeholder skeleton" data-testid={`chart-loading-${spec.metric}`} aria-busy="true">
              <span class="spinner" aria-hidden="true" /> {t("common.loading")}
            </div>
          )
        }
        attrs={{ "data-state": state, "data-empty": empty === undefined ? undefined : String(empty), "data-by-topic": String(slot.byTopic) }}
      />
    </section>
  );
}
