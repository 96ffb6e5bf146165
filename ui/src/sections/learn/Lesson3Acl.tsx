// Lesson 3's ACL step: a service account's key with no ACLs gets in but may do nothing; the
// refusal names what it lacks and offers the preset that fixes it. Producer → sending works,
// reading is still refused; Consumer → reading works. Live on the lesson cluster.
import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { AclAction, AclTry_Serialize as AclTry, BareKey } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { t } from "../../i18n";
import { Refusal } from "../access/Refusal";
import { LAB, type Lab } from "./lab";

import { markDone } from "./progress";
import { aclStep } from "./state";

type Outcome = { running: true } | { running: false; result: AclTry } | { running: false; error: BridgeError };

export interface AclState {
  cluster: string;
  making: boolean;
  key: BareKey | null;
  error: BridgeError | null;
  tries: Partial<Record<AclAction, Outcome>>;
}

const fresh = (cluster: string): AclState => ({ cluster, making: false, key: null, error: null, tries: {} });

function update(cluster: string, change: Partial<AclState>) {
  const cur = aclStep.value?.cluster === cluster ? aclStep.value : fresh(cluster);
  aclStep.value = { ...cur, ...change };
}

async function makeKey(l: Lab) {
  update(l.cluster.id, { making: true, error: null, key: null, tries: {} });
  try {
    const key = await call(commands.aclLessonKey(l.target));
    update(l.cluster.id, { making: false, key });
  } catch (e) {
    update(l.cluster.id, { making: false, error: asBridgeError(e) });
  }
}

async function attempt(l: Lab, key: BareKey, action: AclAction) {
  const tries = () => (aclStep.value?.cluster === l.cluster.id ? aclStep.value.tries : {});
  update(l.cluster.id, { tries: { ...tries(), [action]: { running: true } } });
  let o: Outcome;
  try {
    const result = await call(commands.aclLessonTry(l.target, key.key_id, LAB.topic, action));
    o = { running: false, result };
    if (result.allowed) markDone("l3", action === "send" ? "acl_producer" : "acl_consumer");
    else if (result.error?.code === "NOT_AUTHORIZED") markDone("l3", "acl_refused");
  } catch (e) {
    o = { running: false, error: asBridgeError(e) };
  }
  update(l.cluster.id, { tries: { ...tries(), [action]: o } });
}

export function AclStep({ l }: { l: Lab }) {
  const s = aclStep.value?.cluster === l.cluster.id ? aclStep.value : fresh(l.cluster.id);
  const where = { conn: l.target.connection_id, envId: l.target.environment_id, clusterId: l.target.cluster_id };
  return (
    <section class="l3-acl card" aria-labelledby="h-l3-acl" data-testid="l3-acl">
      <h4 id="h-l3-acl">{t("learn.l3.acl.title")}</h4>
      <p>{t("learn.l3.acl.intro")}</p>
      <div class="actions start">
        <button type="button" data-testid="acl-key" disabled={s.making} onClick={() => void makeKey(l)}>
          {s.making ? t("learn.l3.acl.making") : t("learn.l3.acl.make")}
        </button>
      </div>
      {s.error ? <ErrorView error={s.error} testid="acl-key-error" /> : null}
      {s.key ? (
        <>
          <p class="muted" data-testid="acl-key-ready" data-key={s.key.key_id}>
            {t("learn.l3.acl.ready", { key: s.key.key_id, name: s.key.account.name, id: s.key.account.id })}
            {s.key.removed ? ` ${t("learn.l3.acl.removed", { n: String(s.key.removed) })}` : ""}
          </p>
          <p class="small">{t("learn.l3.acl.next")}</p>
          <ol class="l3-probes">
            {(["send", "read"] as const).map((action) => {
              const o = s.tries[action];
              const key = s.key!;
              return (
                <li key={action} class="l3-probe card">
                  <div class="l3-probe-head">
                    <strong>{action === "send" ? t("learn.l3.acl.send") : t("learn.l3.acl.read", { group: "learn-acl-readers" })}</strong>
                    <button type="button" data-testid={`acl-try-${action}`} disabled={o?.running} onClick={() => void attempt(l, key, action)}>
                      {o?.running ? t("learn.l3.acl.running") : t("learn.l3.run")}
                    </button>
                  </div>
                  {o && !o.running ? (
                    "result" in o ? (
                      <Verdict r={o.result} onFixed={() => void attempt(l, key, action)} where={where} />
                    ) : (
                      <ErrorView error={o.error} testid={`acl-error-${action}`} />
                    )
                  ) : null}
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function Verdict({ r, where, onFixed }: { r: AclTry; where: { conn: string; envId: string; clusterId: string }; onFixed: () => void }) {
  return (
    <div class={r.allowed ? "l3-verdict accepted" : "l3-verdict refused"} data-testid={`acl-result-${r.action}`} data-allowed={r.allowed ? "true" : "false"} role="status">
      {r.allowed ? (
        <p>
          <strong class="l3-badge">
            {r.action === "send"
              ? t("learn.l3.acl.sent", { p: String(r.partition ?? "?"), o: String(r.offset ?? "?") })
              : t("learn.l3.acl.readOk", { n: String(r.records ?? 0), group: r.group })}
          </strong>
        </p>
      ) : r.error?.code === "NOT_AUTHORIZED" ? (
        <Refusal error={r.error} where={where} testid={`acl-refusal-${r.action}`} onFixed={onFixed} />
      ) : r.error ? (
        <ErrorView error={r.error} testid={`acl-problem-${r.action}`} />
      ) : null}
    </div>
  );
}
