import { useEffect, useRef, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import { type Acl, type Account, type CreatedApiKey_Serialize as CreatedApiKey, type ServiceAccountView, events } from "../../bindings";
import type { PickedCluster } from "../../components/ClusterPicker";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { SecretOnceDialog } from "../../components/SecretOnceDialog";
import { createApiKey } from "../../equivalents";
import { errorLine } from "../../errors";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";
import { AclList } from "../access/AclList";
import { type PresetChoice, PresetPicker, emptyTarget } from "../access/PresetPicker";

const CLOUD = "__cloud";

interface Props {
  picked: PickedCluster;
  accounts: ServiceAccountView[];
  /** My account (the owner of the connection's Cloud API key), once known. */
  me?: Account | null;
  onDone: () => void;
}

/** What the readiness wait found the key may do on the preset's topic. */
function authorizedLine(probe: string | null, ops: string[] | null | undefined, expected: readonly string[]): string | null {
  if (!probe) return null;
  if (ops == null) return t("keyform.authorizedUnknown", { topic: probe });
  if (ops.length === 0) return t("keyform.authorizedNothing", { topic: probe });
  const missing = expected.filter((o) => !ops.includes(o) && !ops.includes("ALL"));
  if (missing.length) return t("keyform.authorizedMissing", { topic: probe, ops: ops.join(", "), missing: missing.join(", ") });
  return t("keyform.authorizedFor", { topic: probe, ops: ops.join(", ") });
}

/**
 * A key for a cluster (kept in the keyring and waited for until the cluster accepts it) or a Cloud key,
 * owned by my account (full access) or a service account (with a preset's ACLs added first).
 */
export function NewApiKey({ picked, accounts, me, onDone }: Props) {
  const { conn, env, clusters } = picked;
  const [ownerKind, setOwnerKind] = useState<"me" | "sa">("me");
  const [chosenOwner, setOwner] = useState("");
  // The form may open before the first service account exists: default to the first one there is.
  const sa = accounts.some((a) => a.id === chosenOwner) ? chosenOwner : (accounts[0]?.id ?? "");
  const owner = ownerKind === "me" ? (me?.id ?? "") : sa;
  const [choice, setChoice] = useState<PresetChoice>({ preset: "Producer", target: emptyTarget() });
  const [acls, setAcls] = useState<Acl[]>([]);
  const [authorized, setAuthorized] = useState<string | null>(null);
  const [resource, setResource] = useState(picked.cluster.id);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const waiting = useRef<string | null>(null);
  const cluster = clusters.find((c) => c.id === resource);
  const granular = ownerKind === "sa" && resource !== CLOUD;
  const grants = granular && choice.preset ? acls : [];
  // The topic whose authorization the readiness wait checks: a preset's topic, when it names one.
  const probe = granular && choice.preset && choice.preset !== "FullAccess" && !choice.target.prefixed && choice.preset !== "TopicOwner" ? choice.target.topic.trim() || null : null;
  const expected = grants.filter((a) => a.resource_type === "TOPIC").map((a) => a.operation);

  // Stop waiting if the form goes away mid-wait.
  useEffect(() => () => void (waiting.current && commands.cancelApiKeyWait(waiting.current)), []);

  async function waitUntilUsable(k: CreatedApiKey) {
    const id = k.key.id;
    waiting.current = id;
    setStatus(t("keys.waiting", { n: "1" }));
    const stop = await events.apiKeyWait.listen((e) => {
      if (e.payload.key_id !== id) return;
      setStatus(t("keys.waiting", { n: String(e.payload.attempt) }) + (e.payload.last_error ? ` (${e.payload.last_error})` : ""));
    });
    try {
      const ready = await call(commands.waitForApiKey(conn, env.id, resource, id, probe));
      setStatus(`${t("keys.ready", { cluster: cluster?.name ?? resource })} ${t("keyform.authenticated")}`);
      setAuthorized(ownerKind === "me" ? t("keyform.authorizedAll") : authorizedLine(probe, ready.authorized, expected));
    } catch (e) {
      const be = asBridgeError(e);
      setStatus(be.code === "CANCELLED" ? null : errorLine(be));
    } finally {
      waiting.current = null;
      stop();
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    try {
      const k = await call(
        commands.createApiKey(conn, {
          owner_id: owner,
          cluster_id: resource === CLOUD ? null : resource,
          environment_id: resource === CLOUD ? null : env.id,
          name,
          description,
          acls: grants,
        }),
      );
      setCreated(k);
      if (k.store_error) setStatus(t("keys.notStored", { why: k.store_error }));
      else if (k.key.stored) void waitUntilUsable(k);
    } catch (err) {
      const be = asBridgeError(err);
      if (be.fields?.owner) setErrors({ owner: be.fields.owner });
      else shownError.value = be;
    } finally {
      setSaving(false);
    }
  }

  if (created) {
    return (
      <SecretOnceDialog
        keyId={created.key.id}
        secret={created.secret}
        status={status}
        extra={
          <>
            {authorized ? (
              <p class="muted" role="status" data-testid="secret-authorized">
                {authorized}
              </p>
            ) : null}
            {created.acls_added.length ? (
              <div class="secret-acls" data-testid="secret-acls">
                <p class="muted small">{t("keyform.acls", { who: created.key.owner_id, n: String(created.acls_added.length) })}</p>
                <AclList acls={created.acls_added} testid="secret-acl" />
                {created.admin_key ? (
                  <p class="muted small" data-testid="secret-admin-key">
                    {created.admin_key.created ? t("keyform.adminMade", { key: created.admin_key.key_id }) : t("keyform.adminUsed", { key: created.admin_key.key_id })}
                  </p>
                ) : null}
              </div>
            ) : null}
          </>
        }
        onDone={() => {
          if (waiting.current) void commands.cancelApiKeyWait(waiting.current);
          flash(t("keys.created", { id: created.key.id }));
          onDone();
        }}
      />
    );
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate data-testid="key-form">
      <fieldset class="owner-choices" data-testid="key-owner-kind">
        <legend>{t("owner.title")}</legend>
        <label class="preset-choice">
          <input type="radio" name="owner-kind" data-testid="key-owner-me" checked={ownerKind === "me"} onChange={() => setOwnerKind("me")} />
          <span>
            <strong>{t("owner.me")}</strong>
            <small class="muted">{me ? t("owner.me.desc", { name: me.name, id: me.id }) : t("owner.me.loading")}</small>
          </span>
        </label>
        <label class="preset-choice">
          <input type="radio" name="owner-kind" data-testid="key-owner-sa" checked={ownerKind === "sa"} onChange={() => setOwnerKind("sa")} />
          <span>
            <strong>{t("owner.sa")}</strong>
            <small class="muted">{t("owner.sa.desc")}</small>
          </span>
        </label>
      </fieldset>
      {ownerKind === "sa" ? (
        <Field name="key-owner" label={t("owner.account")} error={errors.owner ?? (accounts.length ? undefined : t("keys.needSa"))}>
          <select {...control("key-owner", errors.owner)} value={sa} onChange={(e) => setOwner(e.currentTarget.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.id})
              </option>
            ))}
          </select>
        </Field>
      ) : errors.owner ? (
        <p class="field-error" role="alert" data-testid="error-key-owner">
          {errors.owner}
        </p>
      ) : null}
      <Field name="key-resource" label={t("keys.resource")} hint={resource === CLOUD ? t("keys.cloudHint") : t("keys.clusterHint")}>
        <select {...control("key-resource")} value={resource} onChange={(e) => setResource(e.currentTarget.value)}>
          {clusters.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.id})
            </option>
          ))}
          <option value={CLOUD}>{t("keys.cloudOption")}</option>
        </select>
      </Field>
      {granular && sa ? (
        <>
          <PresetPicker principal={`User:${sa}`} value={choice} onChange={setChoice} onAcls={setAcls} restEndpoint={cluster?.rest_endpoint ?? ""} clusterId={resource} allowNone />
          {choice.preset ? <p class="muted small">{t("preset.adminNote")}</p> : null}
        </>
      ) : null}
      <Field name="key-name" label={t("keys.name")}>
        <input {...control("key-name")} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field name="key-description" label={t("keys.description")}>
        <input {...control("key-description")} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Equivalent
        eq={createApiKey({
          ownerId: owner,
          resource: resource === CLOUD ? { id: "cloud", kind: "Cloud" } : { id: resource, kind: "Cluster", environmentId: env.id },
          name: name.trim(),
          description: description.trim(),
        })}
      />
      <div class="actions">
        <button type="button" onClick={onDone}>
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving || !owner || (granular && !!choice.preset && acls.length === 0)} data-testid="key-save">
          {saving ? t("form.saving") : t("keys.create")}
        </button>
      </div>
    </form>
  );
}
