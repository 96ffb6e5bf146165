// Lesson 7: the Confluent Cloud quick start on the app's real screens. A checklist that takes the
// learner to Clusters, API keys, Topics and Send, says what to click, and ticks a step when the
// sandbox really has it (polled): a PROVISIONED cluster of the suggested name, a key of it in the
// keyring, the topic, and a record in it. The checklist floats over the other sections.
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import { pick } from "../../components/ClusterPicker";
import { fmtClock } from "../../format";
import { type Key, t } from "../../i18n";
import { type SectionId, activeConnectionId, section } from "../../state";
import { keyFor } from "../access/state";
import { targetKey } from "../send/model";
import { chosenTopic } from "../send/state";
import { history } from "../send/storage";
import { LessonFrame, SandboxGate } from "./common";
import { markDone, openLesson, progress } from "./progress";
import { walkFound } from "./state";

export const WALK = { conn: "sandbox", cluster: "my-first-cluster", topic: "my-first-topic" } as const;
export const WALK_KEY = "gureum.learn.walkthrough";
export const WALK_STEPS = ["cluster", "key", "topic", "send"] as const;
export type WalkStep = (typeof WALK_STEPS)[number];
/** Where each step is done. */
const WHERE: Record<WalkStep, SectionId> = { cluster: "clusters", key: "api-keys", topic: "topics", send: "send" };
const NAV: Record<SectionId, Key> = {
  clusters: "nav.clusters",
  topics: "nav.topics",
  "api-keys": "nav.apiKeys",
  send: "nav.send",
  metrics: "nav.metrics",
  learn: "nav.learn",
  settings: "nav.settings",
};

export interface WalkFound {
  cluster?: { id: string; envId: string };
  key?: { id: string };
  topic?: { partitions: number };
  send?: { partition: number; offset: number | null; timestamp_ms: number | null } | { records: number };
}

export const walkActive = signal<boolean>(globalThis.localStorage?.getItem(WALK_KEY) === "on");
/** How often the checklist asks the sandbox (tests shorten it). */
export const walkTiming = { pollMs: 3000 };

export function setWalkActive(on: boolean) {
  walkActive.value = on;
  try {
    if (on) globalThis.localStorage?.setItem(WALK_KEY, "on");
    else globalThis.localStorage?.removeItem(WALK_KEY);
  } catch {
    // Storage off: this session only.
  }
}

/** Reads what the sandbox has of the walkthrough, step by step, and ticks what is done. */
export async function pollWalk(): Promise<WalkFound> {
  const found: WalkFound = {};
  // What is found shows at once, step by step; what is gone disappears at the end of the round.
  const seen = (change: Partial<WalkFound>, step: WalkStep) => {
    Object.assign(found, change);
    walkFound.value = { ...walkFound.value, ...change };
    markDone("l7", step);
  };
  try {
    for (const env of await call(commands.listEnvironments(WALK.conn))) {
      const c = (await call(commands.listClusters(WALK.conn, env.id))).find((x) => x.name === WALK.cluster && x.phase === "PROVISIONED");
      if (c) {
        found.cluster = { id: c.id, envId: env.id };
        break;
      }
    }
    const cl = found.cluster;
    if (cl) {
      seen({ cluster: cl }, "cluster");
      const key = (await call(commands.listApiKeys(WALK.conn))).find((k) => k.resource_id === cl.id && k.stored);
      if (key) {
        seen({ key: { id: key.id } }, "key");
        const topic = (await call(commands.listTopics(WALK.conn, cl.envId, cl.id))).find((x) => x.name === WALK.topic);
        if (topic) {
          seen({ topic: { partitions: topic.partitions } }, "topic");
          const sent = history.value.find((h) => h.target.cluster_id === cl.id && h.input.topic === WALK.topic);
          if (sent) seen({ send: sent.result }, "send");
          else {
            const check = await call(commands.checkSequence({ connection_id: WALK.conn, environment_id: cl.envId, cluster_id: cl.id }, WALK.topic));
            if ((check.records ?? 0) > 0) seen({ send: { records: check.records ?? 0 } }, "send");
          }
        }
      }
    }
  } catch (e) {
    // A step not there yet (a key still propagating, the sandbox restarting): ask again later.
    void asBridgeError(e);
  }
  walkFound.value = found;
  return found;
}

/** Polls while mounted. */
function useWalkPoller() {
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!live) return;
      if (document.visibilityState !== "hidden") await pollWalk();
      if (live) timer = setTimeout(() => void tick(), walkTiming.pollMs);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
}

/** Takes the learner to where a step is done, with the cluster picked where it helps. */
function go(step: WalkStep) {
  activeConnectionId.value = WALK.conn;
  const c = walkFound.value.cluster;
  if (c) {
    pick(WALK.conn, { env: c.envId, cluster: c.id });
    if (step === "key") keyFor.value = { conn: WALK.conn, envId: c.envId, clusterId: c.id };
    if (step === "send") chosenTopic.value = { ...chosenTopic.value, [targetKey({ connection_id: WALK.conn, environment_id: c.envId, cluster_id: c.id })]: WALK.topic };
  }
  section.value = WHERE[step];
}

function foundText(step: WalkStep, f: WalkFound): string | null {
  switch (step) {
    case "cluster":
      return f.cluster ? t("learn.l7.found.cluster", { id: f.cluster.id }) : null;
    case "key":
      return f.key ? t("learn.l7.found.key", { id: f.key.id }) : null;
    case "topic":
      return f.topic ? t("learn.l7.found.topic", { n: String(f.topic.partitions) }) : null;
    case "send":
      if (!f.send) return null;
      return "records" in f.send
        ? t("learn.l7.found.sendCount", { n: String(f.send.records) })
        : t("learn.l7.found.send", {
            p: String(f.send.partition),
            o: String(f.send.offset ?? "—"),
            time: fmtClock(f.send.timestamp_ms),
          });
  }
}

/** The checklist; `compact` in the floating panel. */
export function Checklist({ compact }: { compact?: boolean }) {
  useWalkPoller();
  const f = walkFound.value;
  const done = progress.value.l7 ?? [];
  const vars = { name: WALK.cluster, topic: WALK.topic };
  const next = WALK_STEPS.find((s) => !done.includes(s));
  return (
    <div class={compact ? "walk-list compact" : "walk-list"}>
      <ol>
        {WALK_STEPS.map((s) => {
          const ok = done.includes(s);
          const current = s === next;
          const seen = foundText(s, f);
          return (
            <li key={s} class={ok ? "done" : current ? "current" : undefined} data-testid={`walk-step-${s}`} data-done={ok ? "true" : "false"}>
              <span class="walk-tick" aria-hidden="true">
                {ok ? "✓" : "○"}
              </span>
              <div>
                <strong>{t(`learn.l7.s.${s}` as Key, vars)}</strong>
                {seen ? (
                  <span class="muted small" data-testid={`walk-found-${s}`}>
                    {" "}
                    — {seen}
                  </span>
                ) : null}
                {!ok && (!compact || current) ? <p class="small">{t(`learn.l7.s.${s}.how` as Key, vars)}</p> : null}
                {!ok && (!compact || current) ? (
                  <button type="button" class="small" data-testid={`walk-go-${s}`} onClick={() => go(s)}>
                    {t("learn.l7.go", { where: t(NAV[WHERE[s]]) })}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      {next ? (
        <p class="muted small" aria-live="polite">
          <span class="spinner" aria-hidden="true" /> {t("learn.l7.polling")}
        </p>
      ) : (
        <p class="walk-done" data-testid="walk-all-done" role="status">
          {t("learn.l7.allDone")}
        </p>
      )}
    </div>
  );
}

export function Lesson7() {
  return (
    <LessonFrame
      id="l7"
      why={
        <>
          <p>{t("learn.l7.why1")}</p>
          <p class="muted small">{t("learn.l7.order")}</p>
        </>
      }
      byHand={["learn.l7.hand1"]}
    >
      <SandboxGate>
        {walkActive.value ? (
          <>
            <Checklist />
            <div class="actions start">
              <button type="button" class="ghost" data-testid="walk-stop" onClick={() => setWalkActive(false)}>
                {t("learn.l7.hide")}
              </button>
            </div>
          </>
        ) : (
          <div class="actions start">
            <button type="button" class="primary" data-testid="walk-start" onClick={() => setWalkActive(true)}>
              {t("learn.l7.start")}
            </button>
          </div>
        )}
      </SandboxGate>
    </LessonFrame>
  );
}

/** The checklist floating over the other sections while the walkthrough is on. */
export function WalkDock() {
  if (!walkActive.value || section.value === "learn") return null;
  return (
    <aside class="walk-dock" data-testid="walk-dock" aria-labelledby="h-walk-dock">
      <div class="walk-dock-head">
        <h2 id="h-walk-dock">{t("learn.l7.panel")}</h2>
        <button type="button" class="ghost small" data-testid="walk-dock-hide" aria-label={t("learn.l7.hide")} title={t("learn.l7.hide")} onClick={() => setWalkActive(false)}>
          ×
        </button>
      </div>
      <Checklist compact />
      <button
        type="button"
        class="small"
        data-testid="walk-back"
        onClick={() => {
          openLesson("l7");
          section.value = "learn";
        }}
      >
        {t("learn.l7.back")}
      </button>
    </aside>
  );
}
