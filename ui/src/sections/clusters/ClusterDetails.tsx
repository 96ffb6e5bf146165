// One cluster: where it runs, its endpoints and state; rename it, resize it (Dedicated) or delete it.
import { useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { ClusterView_Serialize as ClusterView } from "../../bindings";
import { CopyButton, Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { TypeToConfirm } from "../../components/TypeToConfirm";
import { deleteCluster, renameCluster, resizeCluster } from "../../equivalents";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";
import { useFieldSubmit } from "../../useFieldSubmit";
import { SandboxBrokers } from "./SandboxBrokers";
import { Phase, availabilityLabel, cloudApiUrlOf, isGone } from "./shared";

interface Props {
  conn: string;
  envId: string;
  cluster: ClusterView;
  /** No longer in the list (deleted elsewhere, it seems): shown as last seen. */
  missing?: boolean;
  /** When the list first saw this cluster PROVISIONING (ms since the epoch), for the progress line. */
  provisioningSince?: number | undefined;
  /** The server's answer to a rename or resize. */
  onChanged: (c: ClusterView) => void;
  onDeleted: (c: ClusterView) => void;
  /** An action found the cluster gone (deleted meanwhile). */
  onGone: (be: BridgeError) => void;
  onClose: () => void;
}

export function ClusterDetails(p: Props) {
  const c = p.cluster;
  const apiUrl = cloudApiUrlOf(p.conn);
  const provisioning = c.phase === "PROVISIONING" && !p.missing;
  const seconds = provisioning && p.provisioningSince ? Math.max(0, Math.round((Date.now() - p.provisioningSince) / 1000)) : 0;
  return (
    <section class="card cluster-details" data-testid="cluster-details" data-id={c.id} aria-labelledby="h-cluster-details">
      <div class="card-head">
        <h2 id="h-cluster-details">{c.name}</h2>
        <button type="button" class="ghost" data-testid="cluster-close" aria-label={t("clusters.details.close")} title={t("clusters.details.close")} onClick={p.onClose}>
          ✕
        </button>
      </div>
      {p.missing ? (
        <p class="field-error" role="status" data-testid="cluster-missing">
          {t("clusters.details.missing")}
        </p>
      ) : null}
      <dl class="cluster-facts">
        <dt>{t("clusters.details.id")}</dt>
        <dd>
          <code data-testid="cluster-id">{c.id}</code>
          <CopyButton text={c.id} testid="cluster-id-copy" label={`${t("copy.copy")}: ${t("clusters.details.id")}`} />
        </dd>
        <dt>{t("clusters.col.type")}</dt>
        <dd data-testid="cluster-type-value">{c.type}</dd>
        {c.type === "Dedicated" ? (
          <>
            <dt>{t("clusters.details.size")}</dt>
            <dd data-testid="cluster-cku-value">{c.cku ? t("clusters.ckuCount", { n: String(c.cku) }) : "—"}</dd>
          </>
        ) : null}
        <dt>{t("clusters.col.where")}</dt>
        <dd data-testid="cluster-where">
          {c.cloud} · {c.region}
        </dd>
        <dt>{t("clusters.col.availability")}</dt>
        <dd>{availabilityLabel(c.availability)}</dd>
        <dt>{t("clusters.col.status")}</dt>
        <dd>
          <Phase phase={c.phase} testid="cluster-details-phase" />
          {provisioning ? (
            <span class="muted small" role="status" data-testid="cluster-progress">
              {t("clusters.details.provisioning", { s: String(seconds) })}
            </span>
          ) : null}
        </dd>
        <Endpoint label={t("clusters.details.bootstrap")} value={c.bootstrap} testid="cluster-bootstrap" />
        <Endpoint label={t("clusters.details.rest")} value={c.rest_endpoint} testid="cluster-rest" />
      </dl>
      <div class="cluster-actions">
        <RenameForm key={`rename-${c.id}`} {...p} apiUrl={apiUrl} />
        {c.type === "Dedicated" ? <ResizeForm key={`resize-${c.id}`} {...p} apiUrl={apiUrl} /> : null}
        {p.conn === "sandbox" && c.phase === "PROVISIONED" && !p.missing ? <SandboxBrokers key={`brokers-${c.id}`} clusterId={c.id} /> : null}
        <DeleteZone key={`delete-${c.id}`} {...p} apiUrl={apiUrl} />
      </div>
    </section>
  );
}

function Endpoint({ label, value, testid }: { label: string; value: string | null; testid: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {value ? (
          <>
            <code data-testid={testid}>{value}</code>
            <CopyButton text={value} testid={`${testid}-copy`} label={`${t("copy.copy")}: ${label}`} />
          </>
        ) : (
          <span class="muted" data-testid={`${testid}-pending`}>
            {t("clusters.details.pending")}
          </span>
        )}
      </dd>
    </>
  );
}

type ActionProps = Props & { apiUrl: string | undefined };

function RenameForm(p: ActionProps) {
  const c = p.cluster;
  const [name, setName] = useState(c.name);
  const { error, setError, saving, run } = useFieldSubmit("cluster-rename");

  async function submit(e: Event) {
    e.preventDefault();
    // An empty name (or one the server refuses) comes back as fields.display_name, shown at the field.
    await run(
      async () => {
        const updated = await call(commands.updateCluster(p.conn, p.envId, c.id, { name: name.trim(), cku: null }));
        flash(t("clusters.renamed", { name: updated.name }));
        p.onChanged(updated);
      },
      (be) => be.fields?.display_name ?? be.fields?.name,
      (be) => isGone(be) && (p.onGone(be), true),
    );
  }

  return (
    <form class="cluster-action" onSubmit={submit} noValidate data-testid="cluster-rename-form">
      <h3>{t("clusters.rename.title")}</h3>
      <Field name="cluster-rename" label={t("clusters.rename.label")} error={error}>
        <input
          {...control("cluster-rename", error)}
          data-testid="cluster-rename-input"
          value={name}
          maxLength={64}
          spellcheck={false}
          autocomplete="off"
          onInput={(e) => {
            setName(e.currentTarget.value);
            setError(undefined);
          }}
        />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={saving || name === c.name} data-testid="cluster-rename-save">
          {saving ? t("form.saving") : t("clusters.rename.save")}
        </button>
      </div>
      <Equivalent eq={renameCluster(p.envId, c.id, name.trim())} cloudApiUrl={p.apiUrl} />
    </form>
  );
}

function ResizeForm(p: ActionProps) {
  const c = p.cluster;
  const current = c.cku ?? 1;
  const [cku, setCku] = useState(String(current));
  const { error, setError, saving, run, refuse } = useFieldSubmit("cluster-resize");
  const n = Number(cku);
  const valid = cku.trim() !== "" && Number.isInteger(n) && n >= 1;

  async function submit(e: Event) {
    e.preventDefault();
    if (!valid) return refuse(t("clusters.ckuRequired"));
    await run(
      async () => {
        const updated = await call(commands.updateCluster(p.conn, p.envId, c.id, { name: null, cku: n }));
        flash(t("clusters.resized", { name: updated.name, n: String(n) }));
        p.onChanged(updated);
      },
      (be) => be.fields?.cku ?? be.fields?.config,
      (be) => isGone(be) && (p.onGone(be), true),
    );
  }

  return (
    <form class="cluster-action" onSubmit={submit} noValidate data-testid="cluster-resize-form">
      <h3>{t("clusters.resize.title")}</h3>
      <Field name="cluster-resize" label={t("clusters.resize.label")} hint={t("clusters.resize.hint")} error={error}>
        <input
          {...control("cluster-resize", error)}
          data-testid="cluster-resize-input"
          type="number"
          min={1}
          max={152}
          value={cku}
          onInput={(e) => {
            setCku(e.currentTarget.value);
            setError(undefined);
          }}
        />
      </Field>
      {valid && n < current - 1 ? (
        <p class="muted small" data-testid="cluster-resize-warning">
          {t("clusters.resize.oneAtATime", { n: String(current - 1) })}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={saving || (valid && n === current)} data-testid="cluster-resize-save">
          {saving ? t("form.saving") : t("clusters.resize.save")}
        </button>
      </div>
      <Equivalent eq={resizeCluster(p.envId, c.id, valid ? n : current)} cloudApiUrl={p.apiUrl} />
    </form>
  );
}

function DeleteZone(p: ActionProps) {
  const c = p.cluster;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    try {
      await call(commands.deleteCluster(p.conn, p.envId, c.id));
      setConfirming(false);
      flash(t("clusters.deleted", { name: c.name }));
      p.onDeleted(c);
    } catch (err) {
      const be = asBridgeError(err);
      setConfirming(false);
      if (isGone(be)) p.onGone(be);
      else shownError.value = be;
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="cluster-action cluster-danger" data-testid="cluster-delete-zone">
      <h3>{t("clusters.delete.title")}</h3>
      <p class="muted small">{t("clusters.delete.help")}</p>
      <div class="actions">
        <button type="button" class="danger" data-testid="cluster-delete" onClick={() => setConfirming(true)}>
          {t("clusters.delete.button")}
        </button>
      </div>
      <Equivalent eq={deleteCluster(p.envId, c.id)} cloudApiUrl={p.apiUrl} />
      {confirming ? (
        <TypeToConfirm
          title={t("clusters.delete.confirmTitle", { name: c.name })}
          body={t("clusters.delete.confirmBody")}
          name={c.name}
          confirmLabel={t("clusters.delete.confirm")}
          busyLabel={t("clusters.delete.busy")}
          busy={busy}
          onConfirm={remove}
          onCancel={() => !busy && setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
