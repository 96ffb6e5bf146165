// The welcome: what Gureum is, in two sentences, and three ways in — the guided walkthrough
// (Learn, lesson 7), a one-click sample on the sandbox cloud, or connecting one's own cloud or
// cluster. Shown at the first start; the brand at the top left opens it again.
import "./welcome/welcome.css";

import { useEffect } from "preact/hooks";

import { asBridgeError, call, commands } from "../api";
import { events, type SampleStep } from "../bindings";
import { pick } from "../components/ClusterPicker";
import { t } from "../i18n";
import { activeConnectionId, sandboxStatus, section, shownError } from "../state";
import { openLesson } from "./learn/progress";
import { requestNewConnection } from "./Settings";
import { sampleRun } from "./welcome/state";

const STEPS: SampleStep[] = ["environment", "cluster", "key", "topic"];

async function createSample() {
  sampleRun.value = { busy: true, steps: { environment: "waiting", cluster: "waiting", key: "waiting", topic: "waiting" }, result: null };
  const unlisten = await events.sampleProgress.listen((e) => {
    const { step, done } = e.payload;
    sampleRun.value = { ...sampleRun.value, steps: { ...sampleRun.value.steps, [step]: done ? "done" : "running" } };
  });
  try {
    const result = await call(commands.createSample());
    sampleRun.value = { busy: false, steps: { environment: "done", cluster: "done", key: "done", topic: "done" }, result };
    // Send, Topics and API keys open on the sample's cluster.
    activeConnectionId.value = "sandbox";
    pick("sandbox", { env: result.environment_id, cluster: result.cluster_id });
  } catch (e) {
    sampleRun.value = { ...sampleRun.value, busy: false };
    shownError.value = asBridgeError(e);
  } finally {
    unlisten();
  }
}

function SampleCard() {
  const { busy, steps, result } = sampleRun.value;
  const sandboxUp = sandboxStatus.value?.state === "running";
  const started = busy || result || STEPS.some((s) => steps[s] !== "waiting");
  return (
    <section class="card way" aria-labelledby="h-way-sample" data-testid="welcome-sample">
      <h3 id="h-way-sample">{t("welcome.sample.title")}</h3>
      <p>{t("welcome.sample.body")}</p>
      {started ? (
        <ol class="sample-steps" data-testid="sample-steps">
          {STEPS.map((s) => (
            <li key={s} data-testid={`sample-step-${s}`} data-state={steps[s]}>
              <span class="sample-mark" aria-hidden="true">
                {steps[s] === "done" ? "✓" : steps[s] === "running" ? <span class="spinner" /> : "·"}
              </span>
              {t(`welcome.sample.step.${s}`)}
            </li>
          ))}
        </ol>
      ) : null}
      {result ? (
        <>
          <p class="sample-ready" data-testid="sample-ready" data-cluster={result.cluster_id} data-key={result.key_id} data-topic={result.topic}>
            {t("welcome.sample.ready", { cluster: result.cluster_id, key: result.key_id, topic: result.topic })}
          </p>
          <p class="row-actions">
            <button type="button" class="primary" data-testid="sample-send" onClick={() => (section.value = "send")}>
              {t("welcome.sample.send")}
            </button>
            <button type="button" data-testid="sample-cluster" onClick={() => (section.value = "clusters")}>
              {t("welcome.sample.cluster")}
            </button>
          </p>
        </>
      ) : (
        <>
          {sandboxUp ? null : <p class="muted small">{t("welcome.sample.notReady")}</p>}
          <p class="row-actions">
            <button type="button" class="primary" data-testid="sample-create" disabled={busy || !sandboxUp} aria-busy={busy} onClick={createSample}>
              {busy ? <span class="spinner" aria-hidden="true" /> : null} {started ? t("welcome.sample.again") : t("welcome.sample.start")}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

export function Welcome() {
  // The welcome has no connection of its own: keep the picker's choice, show nothing stale.
  useEffect(() => {
    if (shownError.value?.code === "SANDBOX_NOT_READY") shownError.value = null;
  }, []);
  return (
    <div class="welcome" data-testid="welcome">
      <section class="welcome-intro">
        <h2>{t("welcome.title")}</h2>
        <p data-testid="welcome-what">{t("welcome.what1")}</p>
        <p>{t("welcome.what2")}</p>
      </section>
      <h2 class="welcome-ways">{t("welcome.waysIn")}</h2>
      <div class="ways">
        <section class="card way" aria-labelledby="h-way-walk" data-testid="welcome-walk">
          <h3 id="h-way-walk">{t("welcome.walk.title")}</h3>
          <p>{t("welcome.walk.body")}</p>
          <p class="row-actions">
            <button
              type="button"
              class="primary"
              data-testid="welcome-walk-start"
              onClick={() => {
                activeConnectionId.value = "sandbox";
                openLesson("l7");
                section.value = "learn";
              }}
            >
              {t("welcome.walk.start")}
            </button>
          </p>
        </section>
        <SampleCard />
        <section class="card way" aria-labelledby="h-way-connect" data-testid="welcome-connect">
          <h3 id="h-way-connect">{t("welcome.connect.title")}</h3>
          <p>{t("welcome.connect.body")}</p>
          <p class="row-actions wrap">
            <button type="button" class="primary" data-testid="welcome-connect-cloud" onClick={() => requestNewConnection("confluent_cloud")}>
              {t("welcome.connect.cloud")}
            </button>
            <button type="button" data-testid="welcome-connect-kafka" onClick={() => requestNewConnection("kafka")}>
              {t("welcome.connect.kafka")}
            </button>
          </p>
        </section>
      </div>
      <p class="muted small">{t("welcome.later")}</p>
    </div>
  );
}
