// The cluster keys Gureum holds: which clusters of the environment have one, whose it is, which
// one Topics and Send use; an existing key pasted in (checked against the cluster first),
// chosen, or forgotten.
import { Fragment } from "preact";
import { useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { ClusterView_Serialize as ClusterView, HeldKey_Serialize as HeldKey, KeyCheckView_Serialize as KeyCheck } from "../../bindings";
import { ClusterPicker, type PickedCluster } from "../../components/ClusterPicker";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorView } from "../../components/ErrorView";
import { Field, control } from "../../components/Field";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";
import { useCommand } from "../../useCommand";
import { pasteFor } from "./state";

export function HeldKeys() {
  return <ClusterPicker>{(p) => <EnvKeys key={`${p.conn}/${p.env.id}`} picked={p} />}</ClusterPicker>;
}

function EnvKeys({ picked }: { picked: PickedCluster }) {
  const { conn, env, clusters } = picked;
  const { data: held, reload } = useCommand<HeldKey[]>(() => call(commands.heldKeys(conn)), [conn], (e) => (shownError.value = e));
  const wanted = pasteFor.value?.conn === conn ? pasteFor.value.clusterId : null;
  const [pasting, setPasting] = useState<string | null>(wanted && clusters.some((c) => c.id === wanted) ? wanted : null);
  const [forgetting, setForgetting] = useState<string | null>(null);

  if (!held) {
    return (
      <p class="card muted" aria-busy="true">
        <span class="spinner" aria-hidden="true" /> {t("common.loading")}
      </p>
    );
  }

  async function use(key: string, cluster: ClusterView) {
    try {
      await call(commands.useHeldKey(conn, key));
      flash(t("held.nowUsed", { cluster: cluster.name, key }));
      reload();
    } catch (e) {
      shownError.value = asBridgeError(e);
    }
  }

  async function forget(key: string) {
    setForgetting(null);
    try {
      await call(commands.forgetHeldKey(conn, key));
      flash(t("held.forgotten", { key }));
      reload();
    } catch (e) {
      shownError.value = asBridgeError(e);
    }
  }

  const ownerText = (k: HeldKey) => (k.owner ? `${k.owner.name} (${k.owner.id})` : t("held.unknownOwner"));
  return (
    <section class="card held-keys" aria-labelledby="h-held">
      <h2 id="h-held">{t("held.title", { env: env.name })}</h2>
      <p class="muted small">{t("held.explain")}</p>
      <table class="table" data-testid="held-table">
        <thead>
          <tr>
            <th>{t("held.cluster")}</th>
            <th>{t("held.key")}</th>
            <th>{t("held.owner")}</th>
            <th>{t("held.inUse")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => {
            const keys = held.filter((k) => k.cluster_id === c.id).sort((a, b) => Number(b.in_use) - Number(a.in_use));
            return (
              <Fragment key={c.id}>
                {keys.length === 0 ? (
                  <tr key={c.id} data-testid="held-row" data-cluster={c.id} data-key="">
                    <td>
                      {c.name} <code class="muted">{c.id}</code>
                    </td>
                    <td colSpan={3} class="muted">
                      {t("held.none")}
                    </td>
                    <td>
                      <button type="button" data-testid="held-paste" disabled={c.phase !== "PROVISIONED"} onClick={() => setPasting(c.id)}>
                        {t("held.useExisting")}
                      </button>
                    </td>
                  </tr>
                ) : (
                  keys.map((k, i) => (
                    <tr key={k.key_id} data-testid="held-row" data-cluster={c.id} data-key={k.key_id} data-in-use={k.in_use ? "true" : "false"}>
                      <td>{i === 0 ? <>{c.name} <code class="muted">{c.id}</code></> : null}</td>
                      <td>
                        <code>{k.key_id}</code>
                      </td>
                      <td>{ownerText(k)}</td>
                      <td>{k.in_use ? "✓" : ""}</td>
                      <td class="actions start">
                        {k.in_use ? (
                          <button type="button" data-testid="held-paste" disabled={c.phase !== "PROVISIONED"} onClick={() => setPasting(c.id)}>
                            {t("held.replace")}
                          </button>
                        ) : (
                          <button type="button" data-testid="held-use" onClick={() => void use(k.key_id, c)}>
                            {t("held.use")}
                          </button>
                        )}
                        <button type="button" class="danger" data-testid="held-forget" onClick={() => setForgetting(k.key_id)}>
                          {t("held.forget")}
                        </button>
                      </td>
                    </tr>
                  ))
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {pasting ? (
        <PasteKey
          key={pasting}
          conn={conn}
          envId={env.id}
          cluster={clusters.find((c) => c.id === pasting)!}
          onDone={(changed) => {
            pasteFor.value = null;
            if (changed) reload();
            else setPasting(null);
          }}
        />
      ) : null}
      {forgetting ? (
        <ConfirmDialog
          title={t("held.forgetTitle", { key: forgetting })}
          body={t("held.forgetBody")}
          confirmLabel={t("held.forget")}
          cancelLabel={t("common.cancel")}
          onConfirm={() => void forget(forgetting)}
          onCancel={() => setForgetting(null)}
        />
      ) : null}
    </section>
  );
}

/** Paste a key and its secret: checked against the cluster, then kept and used. */
function PasteKey({ conn, envId, cluster, onDone }: { conn: string; envId: string; cluster: ClusterView; onDone: (changed: boolean) => void }) {
  const [key, setKey] = useState("");
  const [secret, setSecret] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<BridgeError | null>(null);
  const [checked, setChecked] = useState<KeyCheck | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setProblem(null);
    try {
      const c = await call(commands.useExistingKey(conn, envId, cluster.id, key, secret));
      setSecret("");
      setChecked(c);
    } catch (err) {
      const be = asBridgeError(err);
      if (be.fields) setErrors(be.fields);
      else setProblem(be);
    } finally {
      setBusy(false);
    }
  }

  if (checked) {
    return (
      <div class="paste-result card" role="status" data-testid="paste-result" data-visible={checked.visible}>
        <p>
          <strong>{t("paste.ok", { key: checked.key_id, cluster: cluster.name })}</strong>
        </p>
        <p data-testid="paste-owner">{checked.owner ? t("paste.owner", { name: checked.owner.name, id: checked.owner.id }) : t("paste.ownerUnknown")}</p>
        {checked.visible ? (
          <>
            <p>{t("paste.sees", { n: String(checked.visible) })}</p>
            <ul class="paste-topics" data-testid="paste-topics">
              {checked.topics.map((x) => (
                <li key={x.topic} data-topic={x.topic}>
                  <code>{x.topic}</code> — {x.operations.join(", ") || "—"}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="muted">{t("paste.seesNone")}</p>
        )}
        <div class="actions start">
          <button type="button" class="primary" data-testid="paste-done" onClick={() => onDone(true)}>
            {t("secretOnce.done")}
          </button>
        </div>
      </div>
    );
  }
  return (
    <form class="inline-form" data-testid="paste-form" noValidate onSubmit={submit}>
      <h3>{t("paste.title", { cluster: cluster.name })}</h3>
      <p class="muted small">{t("paste.hint")}</p>
      <Field name="paste-key" label={t("paste.key")} error={errors.key}>
        <input {...control("paste-key", errors.key)} value={key} autocomplete="off" spellcheck={false} onInput={(e) => setKey(e.currentTarget.value)} />
      </Field>
      <Field name="paste-secret" label={t("paste.secret")} error={errors.secret}>
        <input {...control("paste-secret", errors.secret)} type="password" value={secret} autocomplete="off" spellcheck={false} onInput={(e) => setSecret(e.currentTarget.value)} />
      </Field>
      {problem ? <ErrorView error={problem} testid="paste-error" /> : null}
      <div class="actions">
        <button type="button" onClick={() => onDone(false)}>
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" data-testid="paste-save" disabled={busy}>
          {busy ? t("paste.checking") : t("paste.check")}
        </button>
      </div>
    </form>
  );
}
