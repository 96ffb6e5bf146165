// Lesson 5: limits of customisation. What Confluent Cloud lets you change and what it keeps fixed
// (docs/cluster-limits.md), MSK for comparison (same file), and both tried on the lesson topic.
import { type BridgeError, asBridgeError, call, commands } from "../../api";
import { type Key, t } from "../../i18n";
import { LessonFrame, WithLab } from "./common";
import { LAB, type Lab } from "./lab";
import { markDone } from "./progress";
import { tries } from "./state";

/** Setting, what Confluent Cloud does, editable?, sources (ids of docs/cluster-limits.md#sources). */
export const CC_LIMITS: readonly { row: string; editable: boolean | null; source: string }[] = [
  { row: "topic", editable: true, source: "C9, C2" },
  { row: "broker", editable: false, source: "C2, C1" },
  { row: "rf", editable: false, source: "C9, C4, C10" },
  { row: "compression", editable: false, source: "C9" },
  { row: "isr", editable: null, source: "C8 [?]" },
  { row: "internal", editable: false, source: "C1" },
  { row: "auth", editable: false, source: "C12, C4" },
  { row: "placement", editable: false, source: "[D]" },
];
export const MSK_LIMITS: readonly { row: string; source: string }[] = [
  { row: "custom", source: "A3" },
  { row: "topic", source: "A3" },
  { row: "apply", source: "A3" },
  { row: "express", source: "A2" },
  { row: "serverless", source: "A8" },
  { row: "patching", source: "A2" },
];

export const TRIES = {
  editable: { name: "retention.ms", value: "86400000" },
  locked: { name: "compression.type", value: "gzip" },
} as const;
type TryId = keyof typeof TRIES;
type Outcome = { state: "running" } | { state: "ok"; value: string } | { state: "refused"; error: BridgeError };
/** What each try answered, kept across visits (state.ts). */
export type Tries = Partial<Record<TryId, Outcome>>;

async function attempt(l: Lab, id: TryId) {
  const { name, value } = TRIES[id];
  tries.value = { ...tries.value, [id]: { state: "running" } };
  try {
    await call(commands.alterTopicConfigs(LAB.conn, l.env.id, l.cluster.id, LAB.topic, [{ name, value }]));
    // Read it back: the cluster's word, not ours.
    const configs = await call(commands.topicConfigs(LAB.conn, l.env.id, l.cluster.id, LAB.topic));
    const now = configs.find((c) => c.name === name)?.value ?? value;
    tries.value = { ...tries.value, [id]: { state: "ok", value: now } };
    if (id === "editable") markDone("l5", "editable");
  } catch (e) {
    tries.value = { ...tries.value, [id]: { state: "refused", error: asBridgeError(e) } };
    if (id === "locked") markDone("l5", "locked");
  }
}

export function Lesson5() {
  return (
    <LessonFrame id="l5" why={<p>{t("learn.l5.why1")}</p>} byHand={["learn.l5.hand1"]}>
      <div class="l5">
        <div class="l5-table-scroll">
          <table class="l5-table" data-testid="limits-table">
            <thead>
              <tr>
                <th>{t("learn.l5.col.setting")}</th>
                <th>{t("learn.l5.col.cc")}</th>
                <th>{t("learn.l5.col.source")}</th>
              </tr>
            </thead>
            <tbody>
              {CC_LIMITS.map((r) => (
                <tr key={r.row} data-row={r.row} data-editable={r.editable === null ? "unknown" : String(r.editable)}>
                  <th scope="row">{t(`learn.l5.r.${r.row}` as Key)}</th>
                  <td>
                    <span class={r.editable ? "l5-tag yes" : r.editable === false ? "l5-tag no" : "l5-tag maybe"}>
                      {r.editable ? t("learn.l5.editable") : r.editable === false ? t("learn.l5.fixed") : "?"}
                    </span>{" "}
                    {t(`learn.l5.r.${r.row}.v` as Key)}
                  </td>
                  <td class="small muted">{r.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <WithLab>{(l) => <Try l={l} />}</WithLab>
        <section class="l5-msk" aria-labelledby="h-l5-msk">
          <h4 id="h-l5-msk">{t("learn.l5.mskTitle")}</h4>
          <ul data-testid="limits-msk">
            {MSK_LIMITS.map((r) => (
              <li key={r.row}>
                {t(`learn.l5.m.${r.row}` as Key)} <span class="muted small">({r.source})</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </LessonFrame>
  );
}

function Try({ l }: { l: Lab }) {
  const o = tries.value;
  return (
    <section class="l5-try" aria-labelledby="h-l5-try">
      <h4 id="h-l5-try">{t("learn.l5.tryTitle", { topic: LAB.topic })}</h4>
      {(Object.keys(TRIES) as TryId[]).map((id) => {
        const r = o[id];
        return (
          <div key={id} class="l5-attempt">
            <button type="button" data-testid={`limits-try-${id}`} disabled={r?.state === "running"} onClick={() => void attempt(l, id)}>
              {id === "editable" ? t("learn.l5.tryEditable") : t("learn.l5.tryLocked")}
            </button>
            {r && r.state !== "running" ? (
              <div class={r.state === "ok" ? "l5-result ok" : "l5-result refused"} data-testid={`limits-result-${id}`} data-state={r.state} role="status">
                {r.state === "ok" ? (
                  <span>✓ {t("learn.l5.ok", { name: TRIES[id].name, value: r.value })}</span>
                ) : (
                  <>
                    <strong>✕ {t("learn.l5.refused")}</strong> <code>{r.error.code}</code>
                    <p class="small">
                      {t("learn.l5.serverSaid")} <q data-testid={`limits-words-${id}`}>{r.error.fields?.configs ?? r.error.detail ?? r.error.message}</q>
                    </p>
                  </>
                )}
              </div>
            ) : r?.state === "running" ? (
              <span class="spinner" aria-hidden="true" />
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
