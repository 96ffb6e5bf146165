// Lesson 2: the dashboard comes with the service. Live figures of the lesson cluster from the
// Metrics API, and the way to the full Metrics section with that cluster picked.
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { MetricView } from "../../bindings";
import { pick } from "../../components/ClusterPicker";
import { ErrorView } from "../../components/ErrorView";
import { fmtClock, human } from "../../format";
import { type Key, t } from "../../i18n";
import { activeConnectionId, section } from "../../state";
import { lastValue } from "../metrics/series";
import { LessonFrame, WithLab } from "./common";
import { LAB, type Lab } from "./lab";
import { markDone } from "./progress";

/** Counters show their total over the window (the current minute is still filling); gauges their latest value. */
export const LIVE_METRICS = [
  { metric: "received_records", bytes: false, counter: true },
  { metric: "received_bytes", bytes: true, counter: true },
  { metric: "retained_bytes", bytes: true, counter: false },
  { metric: "active_connection_count", bytes: false, counter: false },
] as const;
const WINDOW_MS = 15 * 60_000;
/** Four queries every 15 s: well under the Metrics API's 60 a minute. */
export const REFRESH_MS = 15_000;

export function Lesson2() {
  return (
    <LessonFrame
      id="l2"
      why={<p>{t("learn.l2.why1")}</p>}
      byHand={["learn.l2.hand1", "learn.l2.hand2", "learn.l2.hand3", "learn.l2.hand4", "learn.l2.hand5"]}
    >
      <WithLab>{(l) => <Live key={l.cluster.id} l={l} />}</WithLab>
    </LessonFrame>
  );
}

/** The total of a view (summing per-topic series if any), one value per time. */
function totals(v: MetricView): (number | null)[] {
  return v.times_ms.map((_, i) => {
    let sum: number | null = null;
    for (const s of v.series) {
      const x = s.values[i];
      if (x != null) sum = (sum ?? 0) + x;
    }
    return sum;
  });
}

function Live({ l }: { l: Lab }) {
  const [views, setViews] = useState<Record<string, MetricView>>({});
  const [error, setError] = useState<BridgeError | null>(null);
  const [at, setAt] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const end = Date.now();
      try {
        const got = await Promise.all(
          LIVE_METRICS.map((m) => call(commands.queryMetric(LAB.conn, l.cluster.id, { metric: m.metric, start_ms: end - WINDOW_MS, end_ms: end, by_topic: false, topics: [] }))),
        );
        if (!live) return;
        setViews(Object.fromEntries(got.map((v, i) => [LIVE_METRICS[i]!.metric, v])));
        setError(null);
        setAt(Date.now());
        markDone("l2", "figures");
      } catch (e) {
        if (live) setError(asBridgeError(e));
      }
    };
    void load();
    const id = setInterval(() => document.visibilityState !== "hidden" && void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [l.cluster.id]);

  const traffic = views.received_records ? totals(views.received_records).some((x) => (x ?? 0) > 0) : true;
  return (
    <div class="l2">
      <h4>{t("learn.l2.live")}</h4>
      {error ? <ErrorView error={error} testid="l2-error" /> : null}
      <div class="l2-figures" data-testid="l2-figures">
        {LIVE_METRICS.map((m) => {
          const v = views[m.metric];
          const values = v ? totals(v) : [];
          const shown = !v ? null : m.counter ? values.reduce<number>((a, x) => a + (x ?? 0), 0) : (lastValue(values) ?? 0);
          return (
            <figure key={m.metric} class="l2-figure" data-testid={`l2-${m.metric}`} data-value={shown ?? ""}>
              <figcaption>
                {t(`metrics.chart.${m.metric}` as Key)} <span class="small">· {m.counter ? t("learn.l2.window") : t("learn.l2.now")}</span>
              </figcaption>
              <span class="big-number">{shown === null ? "…" : human(shown, m.bytes)}</span>
              <Spark values={values} />
            </figure>
          );
        })}
      </div>
      {!traffic ? <p class="muted small">{t("learn.l2.noTraffic")}</p> : null}
      {at ? <p class="muted small">{t("learn.l2.updated", { time: fmtClock(at) })}</p> : null}
      <div class="actions start">
        <button
          type="button"
          class="primary"
          data-testid="l2-open-metrics"
          onClick={() => {
            markDone("l2", "dashboard");
            activeConnectionId.value = LAB.conn;
            pick(LAB.conn, { env: l.env.id, cluster: l.cluster.id });
            section.value = "metrics";
          }}
        >
          {t("learn.l2.open")}
        </button>
      </div>
    </div>
  );
}

/** A tiny line of the last 15 minutes. */
function Spark({ values }: { values: (number | null)[] }) {
  const pts = values.map((v, i) => [i, v ?? 0] as const);
  if (pts.length < 2) return <svg class="spark" viewBox="0 0 100 24" aria-hidden="true" />;
  const max = Math.max(1, ...pts.map(([, v]) => v));
  const d = pts.map(([i, v]) => `${((i / (pts.length - 1)) * 100).toFixed(2)},${(22 - (v / max) * 20).toFixed(2)}`).join(" ");
  return (
    <svg class="spark" viewBox="0 0 100 24" preserveAspectRatio="none" aria-hidden="true">
      <polyline points={d} fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" />
    </svg>
  );
}
