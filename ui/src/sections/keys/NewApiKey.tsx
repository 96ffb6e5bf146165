import { useEffect, useRef, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import { type CreatedApiKey, type ServiceAccountView, events } from "../../bindings";
import type { PickedCluster } from "../../components/ClusterPicker";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { SecretOnceDialog } from "../../components/SecretOnceDialog";
import { createApiKey } from "../../equivalents";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";

const CLOUD = "__cloud";

interface Props {
  picked: PickedCluster;
  accounts: ServiceAccountView[];
  onDone: () => void;
}

/** A key for a cluster (kept in the keyring and waited for until the cluster accepts it) or a Cloud key. */
export function NewApiKey({ picked, accounts, onDone }: Props) {
  const { conn, env, clusters } = picked;
  const [chosenOwner, setOwner] = useState("");
  // The form may open before the first service account exists: default to the first one there is.
  const owner = accounts.some((a) => a.id === chosenOwner) ? chosenOwner : (accounts[0]?.id ?? "");
  const [resource, setResource] = useState(picked.cluster.id);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const waiting = useRef<string | null>(null);
  const cluster = clusters.find((c) => c.id === resource);

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
      await call(commands.waitForApiKey(conn, env.id, resource, id));
      setStatus(t("keys.ready", { cluster: cluster?.name ?? resource }));
    } catch (e) {
      const be = asBridgeError(e);
      setStatus(be.code === "CANCELLED" ? null : be.message);
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
      <Field name="key-owner" label={t("keys.owner")} error={errors.owner ?? (accounts.length ? undefined : t("keys.needSa"))}>
        <select {...control("key-owner", errors.owner)} value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.id})
            </option>
          ))}
        </select>
      </Field>
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
        <button type="submit" class="primary" disabled={saving || !owner} data-testid="key-save">
          {saving ? t("form.saving") : t("keys.create")}
        </button>
      </div>
    </form>
  );
}
