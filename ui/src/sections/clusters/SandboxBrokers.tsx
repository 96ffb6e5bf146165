// The sandbox shows what a SaaS does out of sight: its brokers, a button that fails one like a
// dying machine, and the timeline of the service noticing, removing and replacing it.
import { useEffect, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import { type SandboxBroker, type SandboxClusterEvent, events } from "../../bindings";
import { fmtClock } from "../../format";
import { t } from "../../i18n";
import { shownError } from "../../state";

const KIND_LABEL: Record<string, Parameters<typeof t>[0]> = {
  BROKER_STARTED: "brokers.ev.started",
  BROKER_FAILED: "brokers.ev.failed",
  BROKER_REMOVED: "brokers.ev.removed",
  REPLACEMENT_STARTED: "brokers.ev.replacing",
  REPLACEMENT_FAILED: "brokers.ev.replaceFailed",
  HEALTHY: "brokers.ev.healthy",
  SCALING_STARTED: "brokers.ev.scaling",
  BROKER_RETIRED: "brokers.ev.retired",
  SCALING_DONE: "brokers.ev.scaled",
};

/** A sandbox cluster's brokers and its recent events, re-read whenever the sandbox reports one. */
export function useSandboxBrokers(clusterId: string) {
  const [brokers, setBrokers] = useState<SandboxBroker[] | null>(null);
  const [timeline, setTimeline] = useState<SandboxClusterEvent[]>([]);

  const load = () =>
    call(commands.sandboxClusterBrokers(clusterId)).then(
      ([b, ev]) => {
        setBrokers(b);
        setTimeline(ev);
      },
      (e) => (shownError.value = asBridgeError(e)),
    );

  useEffect(() => {
    void load();
    let stop: (() => void) | undefined;
    let live = true;
    void events.sandboxClusterEvent
      .listen((e) => {
        if (e.payload.cluster_id === clusterId) void load();
      })
      .then((un) => (live ? (stop = un) : un()));
    return () => {
      live = false;
      stop?.();
    };
  }, [clusterId]);

  return { brokers, timeline, reload: load };
}

/** The steps the sandbox took, with the time of each and the seconds since `since` (a failure). */
export function BrokerTimeline({ events: list, since, testid = "broker-timeline" }: { events: SandboxClusterEvent[]; since: number | null; testid?: string }) {
  return (
    <ol class="timeline" data-testid={testid} aria-label={t("brokers.timeline")}>
      {list.map((e, i) => {
        const at = e.at_ms ?? 0;
        return (
          <li key={`${at}-${i}`} data-kind={e.kind} data-at={at}>
            <time>{fmtClock(at)}</time>
            {since !== null && at >= since ? <span class="muted small"> +{((at - since) / 1000).toFixed(1)} s</span> : null}{" "}
            <strong>{t(KIND_LABEL[e.kind] ?? "brokers.ev.other")}</strong>
            {e.node_id !== null ? ` · ${t("brokers.broker", { id: String(e.node_id) })}` : ""} <span class="muted small">— {e.detail}</span>
          </li>
        );
      })}
    </ol>
  );
}

export function SandboxBrokers({ clusterId }: { clusterId: string }) {
  const { brokers, timeline } = useSandboxBrokers(clusterId);
  const [failing, setFailing] = useState<number | null>(null);

  async function fail(node: number) {
    setFailing(node);
    try {
      await call(commands.failSandboxBroker(clusterId, node));
    } catch (e) {
      shownError.value = asBridgeError(e);
    } finally {
      setFailing(null);
    }
  }

  if (!brokers) return null;
  const start = timeline.find((e) => e.kind === "BROKER_FAILED")?.at_ms ?? null;
  return (
    <section class="cluster-action sandbox-brokers" data-testid="sandbox-brokers" aria-labelledby="h-brokers">
      <h3 id="h-brokers">{t("brokers.title", { n: String(brokers.length) })}</h3>
      <p class="muted small">{t("brokers.explain")}</p>
      <ul class="broker-list">
        {brokers.map((b) => (
          <li key={b.node_id} data-testid="broker" data-node={b.node_id}>
            <span class="broker-dot" aria-hidden="true" /> {t("brokers.broker", { id: String(b.node_id) })} <code>127.0.0.1:{b.port}</code>
            <button type="button" class="danger small" data-testid="broker-fail" disabled={failing !== null} onClick={() => fail(b.node_id)}>
              {t("brokers.fail")}
            </button>
          </li>
        ))}
      </ul>
      {timeline.length ? <BrokerTimeline events={timeline.slice(-12)} since={start} /> : null}
    </section>
  );
}
