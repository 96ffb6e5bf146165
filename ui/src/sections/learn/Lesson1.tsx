// Lesson 1: the provider runs the infrastructure. Produce a long numbered stream, kill a broker,
// watch the sandbox replace it, read the topic back: no acknowledged record is lost. Then scale out.
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import { type BulkProgress, type BulkSummary, type SandboxBroker, type SandboxClusterEvent, type SequenceCheckView, events } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { errorText } from "../../errors";
import { fmtCount } from "../../format";
import { t } from "../../i18n";
import { BrokerTimeline, useSandboxBrokers } from "../clusters/SandboxBrokers";
import { newId } from "../send/model";
import { LessonFrame, WithLab } from "./common";
import { LAB, type Lab, recreateLabTopic, refreshLabCluster, sleep, timing } from "./lab";
import { markDone } from "./progress";
import { l1Failure, l1Job, l1Run, l1Scale, l1Since, lab } from "./state";

/** Records a run asks for: far more than a lesson needs, so it runs until stopped. */
export const RUN_RECORDS = 1_000_000;
/** Confluent's Dedicated capacity per CKU (docs/cluster-limits.md#per-cluster-type, C2). */
export const CKU_IN_MBPS = 60;
export const CKU_OUT_MBPS = 180;

export interface Run {
  jobId: string;
  clusterId: string;
  startedAt: number;
  preparing: boolean;
  running: boolean;
  stopping: boolean;
  progress: BulkProgress | null;
  summary: BulkSummary | null;
  failure: BridgeError | null;
  checking: boolean;
  check: SequenceCheckView | null;
  checkError: BridgeError | null;
}

function update(jobId: string, change: Partial<Run>) {
  if (l1Run.value?.jobId === jobId) l1Run.value = { ...l1Run.value, ...change };
}

/** Acknowledged records so far (the summary's count once the run is over). */
export const ackedOf = (r: Run) => r.summary?.progress.acked ?? r.progress?.acked ?? 0;
/** Acknowledged records the topic doesn't have. */
export const lostOf = (acked: number, distinct: number) => Math.max(0, acked - distinct);

async function startRun(shown: Lab) {
  // The latest state of the lesson cluster (the page may not have re-rendered since it changed).
  const l = lab.value?.cluster.id === shown.cluster.id ? lab.value : shown;
  const jobId = newId();
  const now = Date.now();
  // The timeline starts over with each run (a failure of an earlier run is history).
  l1Since.value = now - 2000;
  l1Failure.value = null;
  l1Run.value = {
    jobId,
    clusterId: l.cluster.id,
    startedAt: now,
    preparing: !l.topicFresh,
    running: true,
    stopping: false,
    progress: null,
    summary: null,
    failure: null,
    checking: false,
    check: null,
    checkError: null,
  };
  try {
    // The check counts the topic's records: a topic with an earlier run's would blur it.
    if (!l.topicFresh) await recreateLabTopic(l);
  } catch (e) {
    update(jobId, { preparing: false, running: false, failure: asBridgeError(e) });
    return;
  }
  if (lab.value) lab.value = { ...lab.value, topicFresh: false };
  update(jobId, { preparing: false });
  markDone("l1", "produce");
  let stop: (() => void) | undefined;
  try {
    stop = await events.bulkProgress.listen((e) => {
      if (e.payload.job_id === jobId && l1Run.value?.running) update(jobId, { progress: e.payload });
    });
  } catch {
    // No progress events: the summary still comes.
  }
  l1Job.finished = call(
    commands.bulkSend(l.target, {
      job_id: jobId,
      topic: LAB.topic,
      partition: null,
      source: "template",
      count: RUN_RECORDS,
      key_template: null,
      value_template: '{"seq": {{seq}}}',
      headers: [],
      text: null,
      acks: "all",
      compression: "none",
    }),
  ).then(
    (summary) => update(jobId, { running: false, stopping: false, summary, progress: summary.progress }),
    (e) => update(jobId, { running: false, stopping: false, failure: asBridgeError(e) }),
  );
  await l1Job.finished;
  stop?.();
}

async function stopAndCheck(l: Lab) {
  const run = l1Run.value;
  if (!run || run.checking) return;
  if (run.running) {
    update(run.jobId, { stopping: true });
    try {
      await commands.cancelBulk(run.jobId);
    } catch {
      // Already over.
    }
    await l1Job.finished;
  }
  update(run.jobId, { checking: true, check: null, checkError: null });
  try {
    const check = await call(commands.checkSequence(l.target, LAB.topic));
    update(run.jobId, { checking: false, check });
    markDone("l1", "check");
  } catch (e) {
    update(run.jobId, { checking: false, checkError: asBridgeError(e) });
  }
}

/** The lesson's events: those since it began acting, oldest first. */
function lessonEvents(all: SandboxClusterEvent[], since: number | null): SandboxClusterEvent[] {
  if (since === null) return [];
  return all.filter((e) => (e.at_ms ?? 0) >= since);
}

/** Seconds from the failure the lesson caused to HEALTHY again, or null while healing. */
export function healSeconds(list: SandboxClusterEvent[], failedAt: number | null): number | null {
  if (failedAt === null) return null;
  const failed = list.find((e) => e.kind === "BROKER_FAILED" && (e.at_ms ?? 0) >= failedAt - 2000);
  if (!failed) return null;
  const healthy = list.find((e) => e.kind === "HEALTHY" && (e.at_ms ?? 0) >= (failed.at_ms ?? 0));
  return healthy ? ((healthy.at_ms ?? 0) - (failed.at_ms ?? 0)) / 1000 : null;
}

export function Lesson1() {
  return (
    <LessonFrame
      id="l1"
      why={
        <>
          <p>{t("learn.l1.why1")}</p>
          <p>{t("learn.l1.why2")}</p>
        </>
      }
      byHand={["learn.l1.hand1", "learn.l1.hand2", "learn.l1.hand3", "learn.l1.hand4", "learn.l1.hand5"]}
    >
      <WithLab>{(l) => <Exercise key={l.cluster.id} l={l} />}</WithLab>
    </LessonFrame>
  );
}

function Exercise({ l }: { l: Lab }) {
  const { brokers, timeline, reload } = useSandboxBrokers(l.cluster.id);
  useEffect(() => markDone("l1", "setup"), []);
  const run = l1Run.value?.clusterId === l.cluster.id ? l1Run.value : null;
  const failure = l1Failure.value?.clusterId === l.cluster.id ? l1Failure.value : null;
  const shown = lessonEvents(timeline, l1Since.value);
  return (
    <div class="l1">
      <Producer l={l} run={run} brokers={brokers} />
      <section class="l1-brokers" aria-labelledby="h-l1-timeline">
        <BrokerDots brokers={brokers} />
        <h4 id="h-l1-timeline">{t("learn.l1.timeline")}</h4>
        {failure ? <Healing list={shown} failedAt={failure.at} /> : <p class="muted small">{t("learn.l1.noFailure")}</p>}
        {shown.length ? <BrokerTimeline events={shown} since={failure?.at ?? null} testid="l1-timeline" /> : null}
      </section>
      {run?.check || run?.checking || run?.checkError ? <Result run={run} /> : null}
      <ScaleOut l={l} brokers={brokers} reloadBrokers={reload} run={run} />
    </div>
  );
}

function Producer({ l, run, brokers }: { l: Lab; run: Run | null; brokers: SandboxBroker[] | null }) {
  const [failing, setFailing] = useState(false);
  const [failError, setFailError] = useState<BridgeError | null>(null);
  const acked = run ? ackedOf(run) : 0;
  const busy = !!run && (run.running || run.checking);
  const victim = brokers?.[0] ?? null;

  async function fail() {
    if (!victim) return;
    setFailing(true);
    setFailError(null);
    const at = Date.now();
    l1Since.value ??= at - 2000;
    l1Failure.value = { at, node: victim.node_id, clusterId: l.cluster.id };
    try {
      await call(commands.failSandboxBroker(l.cluster.id, victim.node_id));
      markDone("l1", "fail");
    } catch (e) {
      setFailError(asBridgeError(e));
    } finally {
      setFailing(false);
    }
  }

  return (
    <section class="l1-producer" aria-live="polite">
      <div class="l1-counter" data-testid="l1-acked" data-acked={acked} data-state={run ? (run.preparing ? "preparing" : run.running ? "running" : "done") : "idle"}>
        <span class="big-number">{fmtCount(acked)}</span>
        <span class="muted">
          {t("learn.l1.acked")} {t("learn.l1.ofTotal", { total: fmtCount(RUN_RECORDS) })}
        </span>
        {run?.running && run.progress ? (
          <span class="muted small" data-testid="l1-rate">
            {t("learn.l1.rate", { rps: fmtCount(Math.round(run.progress.records_per_sec ?? 0)), mbps: (run.progress.mb_per_sec ?? 0).toFixed(2) })}
          </span>
        ) : null}
        {run?.preparing ? <span class="muted small">{t("learn.l1.recreating", { topic: LAB.topic })}</span> : null}
        {run && !run.running && run.summary && !run.check && !run.checking ? (
          <span class="muted small">{t("learn.l1.finished", { n: fmtCount(acked) })}</span>
        ) : null}
      </div>
      <div class="actions start l1-actions">
        <button type="button" class="primary" data-testid="l1-start" disabled={busy} onClick={() => void startRun(l)}>
          {t("learn.l1.produce")}
        </button>
        <button
          type="button"
          class="danger"
          data-testid="l1-fail"
          disabled={failing || !victim}
          title={victim ? t("learn.l1.failHint", { id: String(victim.node_id) }) : undefined}
          onClick={() => void fail()}
        >
          {t("learn.l1.fail")}
        </button>
        <button type="button" data-testid="l1-stop" disabled={!run || run.checking || run.preparing || run.stopping} onClick={() => void stopAndCheck(l)}>
          {run?.stopping ? t("learn.l1.stopping") : run?.checking ? t("learn.l1.checking") : run?.running ? t("learn.l1.stop") : t("learn.l1.checkOnly")}
        </button>
      </div>
      {failError ? <ErrorView error={failError} testid="l1-fail-error" /> : null}
      {run?.failure ? <ErrorView error={run.failure} testid="l1-run-error" /> : null}
      {run?.summary?.errors.length ? (
        <ul class="muted small" data-testid="l1-send-errors">
          {run.summary.errors.map((g) => (
            <li key={g.cause}>
              {errorText(g).text} ({g.cause}) × {fmtCount(g.count)}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function BrokerDots({ brokers }: { brokers: SandboxBroker[] | null }) {
  return (
    <p class="l1-dots">
      <span class="muted small">{t("learn.l1.brokers")}: </span>
      {(brokers ?? []).map((b) => (
        <span key={b.node_id} class="l1-dot" data-testid="l1-broker" data-node={b.node_id}>
          <span class="broker-dot" aria-hidden="true" /> {t("learn.l1.broker", { id: String(b.node_id) })}
        </span>
      ))}
    </p>
  );
}

function Healing({ list, failedAt }: { list: SandboxClusterEvent[]; failedAt: number }) {
  const s = healSeconds(list, failedAt);
  return s === null ? (
    <p class="l1-heal" data-testid="l1-heal" data-state="healing">
      <span class="spinner" aria-hidden="true" /> {t("learn.l1.healing")}
    </p>
  ) : (
    <p class="l1-heal ok" data-testid="l1-heal" data-state="healed" data-seconds={s.toFixed(1)}>
      {t("learn.l1.healed", { s: s.toFixed(1) })}
    </p>
  );
}

function Result({ run }: { run: Run }) {
  if (run.checking)
    return (
      <p class="muted" aria-busy="true" data-testid="l1-checking">
        <span class="spinner" aria-hidden="true" /> {t("learn.l1.checking")}
      </p>
    );
  if (run.checkError) return <ErrorView error={run.checkError} testid="l1-check-error" />;
  const c = run.check!;
  const acked = ackedOf(run);
  const distinct = c.distinct ?? 0;
  const lost = lostOf(acked, distinct);
  return (
    <section class="l1-result" data-testid="l1-result" aria-labelledby="h-l1-result">
      <h4 id="h-l1-result">{t("learn.l1.result")}</h4>
      <div class={lost === 0 ? "lost-counter ok" : "lost-counter bad"} data-testid="lost-count" data-lost={lost} role="status">
        <span class="big-number">{fmtCount(lost)}</span>
        <span>{t("learn.l1.lost")}</span>
        <span class="small">{lost === 0 ? t("learn.l1.lostZero") : t("learn.l1.lostSome", { n: fmtCount(lost) })}</span>
      </div>
      <dl class="l1-figures">
        <div>
          <dt>{t("learn.l1.res.acked")}</dt>
          <dd data-testid="res-acked">{fmtCount(acked)}</dd>
        </div>
        <div>
          <dt>{t("learn.l1.res.distinct")}</dt>
          <dd data-testid="res-distinct">{fmtCount(distinct)}</dd>
        </div>
        <div>
          <dt>{t("learn.l1.res.dups")}</dt>
          <dd data-testid="res-dups">{fmtCount(c.duplicates)}</dd>
        </div>
        <div>
          <dt>{t("learn.l1.res.missing")}</dt>
          <dd data-testid="res-missing">{fmtCount(c.missing)}</dd>
        </div>
      </dl>
      <p class="muted small">{t("learn.l1.unackedNote")}</p>
    </section>
  );
}

function ScaleOut({ l, brokers, reloadBrokers, run }: { l: Lab; brokers: SandboxBroker[] | null; reloadBrokers: () => Promise<unknown>; run: Run | null }) {
  const cku = l.cluster.cku ?? LAB.cku;
  const [wanted, setWanted] = useState(String(cku + 1));
  const scale = l1Scale.value?.clusterId === l.cluster.id ? l1Scale.value : null;
  const n = Number(wanted);
  const valid = Number.isInteger(n) && n >= 1 && n <= 152 && n !== cku;

  async function apply() {
    if (!valid) return;
    l1Since.value ??= Date.now() - 2000;
    l1Scale.value = { target: n, clusterId: l.cluster.id, state: "scaling" };
    try {
      await call(commands.updateCluster(LAB.conn, l.env.id, l.cluster.id, { name: null, cku: n }));
      const end = Date.now() + 180_000;
      for (;;) {
        const c = await refreshLabCluster();
        await reloadBrokers();
        if (c?.cku === n) break;
        if (Date.now() > end) throw { code: "CLOUD_TIMEOUT", message: `The cluster did not reach ${n} CKU within 3 minutes.` } satisfies BridgeError;
        await sleep(timing.pollMs);
      }
      l1Scale.value = { target: n, clusterId: l.cluster.id, state: "done" };
      setWanted(String(n + 1));
      markDone("l1", "scale");
    } catch (e) {
      l1Scale.value = { target: n, clusterId: l.cluster.id, state: "failed", error: asBridgeError(e) };
    }
  }

  const capIn = cku * CKU_IN_MBPS;
  const using = run?.running ? (run.progress?.mb_per_sec ?? 0) : 0;
  return (
    <section class="l1-scale" aria-labelledby="h-l1-scale" data-testid="l1-scale">
      <h4 id="h-l1-scale">{t("learn.l1.scale.title")}</h4>
      <p class="muted small">{t("learn.l1.scale.explain")}</p>
      <div class="l1-scale-row">
        <label class="field inline">
          <span>{t("learn.l1.scale.cku")}</span>
          <input type="number" min={1} max={152} data-testid="l1-cku" value={wanted} onInput={(e) => setWanted(e.currentTarget.value)} />
        </label>
        <button type="button" data-testid="l1-scale-apply" disabled={!valid || scale?.state === "scaling"} onClick={() => void apply()}>
          {scale?.state === "scaling" ? t("learn.l1.scale.scaling", { n: String(scale.target) }) : t("learn.l1.scale.apply", { n: wanted })}
        </button>
        <span class="muted small" data-testid="l1-scale-state" data-state={scale?.state ?? "idle"} data-cku={cku} data-brokers={brokers?.length ?? 0}>
          {t("learn.l1.scale.done", { n: String(cku), b: String(brokers?.length ?? "…") })}
        </span>
      </div>
      {scale?.state === "failed" && scale.error ? <ErrorView error={scale.error} testid="l1-scale-error" /> : null}
      <div class="headroom" data-testid="l1-headroom" data-capacity={capIn}>
        <span class="small">{t("learn.l1.scale.headroom")}</span>
        <div class="headroom-bar" role="img" aria-label={t("learn.l1.scale.capacity", { in: String(capIn), out: String(cku * CKU_OUT_MBPS) })}>
          {Array.from({ length: cku }, (_, i) => (
            <span key={i} class="headroom-cku" style={{ width: `${100 / cku}%` }}>
              {CKU_IN_MBPS}
            </span>
          ))}
          <span class="headroom-used" style={{ width: `${Math.min(100, (using / capIn) * 100)}%` }} />
        </div>
        <span class="small">
          {t("learn.l1.scale.capacity", { in: String(capIn), out: String(cku * CKU_OUT_MBPS) })}
          {run?.running ? ` · ${t("learn.l1.scale.using", { mbps: using.toFixed(2) })}` : ""}
        </span>
      </div>
    </section>
  );
}
