// Lesson 3: security by default. Four clients try to get into the lesson cluster: plaintext, a
// wrong secret and a deleted key are refused (with librdkafka's reason); SASL_SSL gets in. Then
// ACLs: a service account's key gets in but may do only what its ACLs allow (Lesson3Acl).
import { asBridgeError, call, commands } from "../../api";
import type { Probe, ProbeResult_Serialize as ProbeResult } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { errorText } from "../../errors";
import { type Key, t } from "../../i18n";
import { LessonFrame, WithLab } from "./common";
import type { Lab } from "./lab";
import { AclStep } from "./Lesson3Acl";
import { markDone } from "./progress";
import { probeOutcomes } from "./state";

export const PROBES: readonly Probe[] = ["plaintext", "wrong_secret", "deleted_key", "sasl"];

type Outcome = { running: true } | { running: false; result: ProbeResult } | { running: false; error: ReturnType<typeof asBridgeError> };
/** Outcomes per cluster and probe, kept across visits (state.ts). */
export type ProbeOutcomes = Record<string, Partial<Record<Probe, Outcome>>>;

function set(cluster: string, probe: Probe, o: Outcome) {
  probeOutcomes.value = { ...probeOutcomes.value, [cluster]: { ...probeOutcomes.value[cluster], [probe]: o } };
}

async function run(l: Lab, probe: Probe) {
  set(l.cluster.id, probe, { running: true });
  try {
    const result = await call(commands.securityProbe(l.target, probe));
    set(l.cluster.id, probe, { running: false, result });
    // A step is done when the cluster answered as a SaaS should.
    if (result.accepted === (probe === "sasl")) markDone("l3", probe);
  } catch (e) {
    set(l.cluster.id, probe, { running: false, error: asBridgeError(e) });
  }
}

export function Lesson3() {
  return (
    <LessonFrame
      id="l3"
      why={
        <>
          <p>{t("learn.l3.why1")}</p>
          <dl class="l3-concepts">
            <div>
              <dt>SSL (TLS)</dt>
              <dd>{t("learn.l3.ssl")}</dd>
            </div>
            <div>
              <dt>SASL/PLAIN</dt>
              <dd>{t("learn.l3.sasl")}</dd>
            </div>
            <div>
              <dt>ACL</dt>
              <dd>{t("learn.l3.acl")}</dd>
            </div>
          </dl>
        </>
      }
      byHand={["learn.l3.hand1", "learn.l3.hand2", "learn.l3.hand3", "learn.l3.hand4"]}
    >
      <WithLab>{(l) => <Probes l={l} />}</WithLab>
    </LessonFrame>
  );
}

function Probes({ l }: { l: Lab }) {
  const outcomes = probeOutcomes.value[l.cluster.id] ?? {};
  return (
    <div class="l3">
      <p>{t("learn.l3.try")}</p>
      <ol class="l3-probes">
        {PROBES.map((p) => {
          const o = outcomes[p];
          return (
            <li key={p} class="l3-probe card">
              <div class="l3-probe-head">
                <div>
                  <strong>{t(`learn.l3.probe.${p}` as Key)}</strong>
                  <p class="muted small">{t(`learn.l3.probe.${p}.desc` as Key)}</p>
                </div>
                <button type="button" data-testid={`probe-${p}`} disabled={o?.running} onClick={() => void run(l, p)}>
                  {o?.running ? t("learn.l3.running") : t("learn.l3.run")}
                </button>
              </div>
              {o && !o.running ? "result" in o ? <Verdict r={o.result} /> : <ErrorView error={o.error} testid={`probe-error-${p}`} /> : null}
            </li>
          );
        })}
      </ol>
      <AclStep l={l} />
    </div>
  );
}

function Verdict({ r }: { r: ProbeResult }) {
  return (
    <div class={r.accepted ? "l3-verdict accepted" : "l3-verdict refused"} data-testid={`probe-result-${r.probe}`} data-accepted={r.accepted ? "true" : "false"} role="status">
      <p>
        <strong class="l3-badge">{r.accepted ? `✓ ${t("learn.l3.accepted")}` : `✕ ${t("learn.l3.refused")}`}</strong>{" "}
        <span class="muted small">{t("learn.l3.took", { ms: String(Math.round(r.took_ms ?? 0)) })}</span>
      </p>
      {r.error ? (
        <p class="l3-reason" data-testid={`probe-reason-${r.probe}`} data-code={r.error.code}>
          <code>{r.error.code}</code> {errorText(r.error).text}
          <span class="l3-detail"> — {r.error.message}</span>
          {r.error.detail ? <span class="l3-detail"> · {r.error.detail}</span> : null}
        </p>
      ) : null}
      {r.accepted ? <p>{t("learn.l3.sawTopics", { n: String(r.topics ?? 0) })}</p> : null}
      <details open={r.accepted}>
        <summary class="small">{t("learn.l3.settings")}</summary>
        <table class="l3-settings" data-testid={`probe-settings-${r.probe}`}>
          <tbody>
            {r.settings.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">
                  <code>{k}</code>
                </th>
                <td>
                  <code>{v}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
