import { useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../api";
import type { SecretState } from "../bindings";
import { Field, control } from "../components/Field";
import { t } from "../i18n";
import { flash, shownError } from "../state";
import { useCommand } from "../useCommand";
import { type Draft, type DraftKind, emptyDraft, toInput, usesSecret } from "./connectionDraft";

interface Props {
  initial: Draft;
  onDone: () => void;
}

/** Add or edit a connection. The Rust side validates; its per-field messages appear under each field. */
export function ConnectionForm({ initial, onDone }: Props) {
  const [d, setD] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const { data: secretState } = useCommand<SecretState>(initial.id ? () => call(commands.connectionSecretState(initial.id!)) : null, [initial.id], (be) => (shownError.value = be));
  // The URL overrides sit in a collapsed section; it opens when one of them is wrong, and only
  // the user closes it again (closing it while they type would hide the field under the caret).
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const editing = d.id !== null;

  const set = <K extends keyof Draft>(k: K) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value as Draft[K];
    setD((old) => ({ ...old, [k]: value }));
    setErrors(({ [k]: _gone, ...rest }) => rest);
  };
  const setKind = (e: Event) => {
    const kind = (e.currentTarget as HTMLSelectElement).value as DraftKind;
    setD((old) => ({ ...emptyDraft(kind), id: old.id, name: old.name }));
    setErrors({});
  };

  async function submit(e: Event) {
    e.preventDefault();
    setSaving(true);
    try {
      const saved = await call(commands.saveConnection(toInput(d)));
      flash(t("form.saved", { name: saved.name }));
      onDone();
    } catch (err) {
      const be = asBridgeError(err);
      if (be.code === "VALIDATION" && be.fields) {
        setErrors(be.fields as Record<string, string>);
        if (be.fields.cloud_api_url || be.fields.metrics_api_url) setAdvancedOpen(true);
        const first = Object.keys(be.fields)[0];
        document.getElementById(`f-${first === "kind" ? "kind" : first}`)?.focus();
      } else {
        shownError.value = be;
      }
    } finally {
      setSaving(false);
    }
  }

  const secretLabel = d.kind === "confluent_cloud" ? t("form.secret.cloud") : t("form.secret.sasl");
  const secretHint = editing ? t("form.secret.keep") : t("form.secret.where");
  return (
    <form class="card form" onSubmit={submit} data-testid="connection-form" noValidate>
      <h2>{editing ? t("form.editTitle") : t("form.newTitle")}</h2>
      <Field name="name" label={t("form.name")} error={errors.name}>
        <input {...control("name", errors.name)} value={d.name} onInput={set("name")} maxLength={80} autoFocus />
      </Field>
      <Field name="kind" label={t("form.kind")} error={errors.kind}>
        <select {...control("kind", errors.kind)} value={d.kind} onChange={setKind} disabled={editing}>
          <option value="confluent_cloud">{t("kind.confluent_cloud")}</option>
          <option value="kafka">{t("kind.kafka")}</option>
        </select>
      </Field>

      {d.kind === "confluent_cloud" ? (
        <>
          <Field name="cloud_api_key" label={t("form.cloud_api_key")} error={errors.cloud_api_key}>
            <input {...control("cloud_api_key", errors.cloud_api_key)} value={d.cloud_api_key} onInput={set("cloud_api_key")} autoComplete="off" spellcheck={false} />
          </Field>
        </>
      ) : (
        <>
          <Field name="bootstrap_servers" label={t("form.bootstrap_servers")} hint={t("form.bootstrap_servers.hint")} error={errors.bootstrap_servers}>
            <input {...control("bootstrap_servers", errors.bootstrap_servers)} value={d.bootstrap_servers} onInput={set("bootstrap_servers")} placeholder="broker-1:9092,broker-2:9092" spellcheck={false} />
          </Field>
          <Field name="security_protocol" label={t("form.security_protocol")} error={errors.security_protocol}>
            <select {...control("security_protocol")} value={d.security_protocol} onChange={set("security_protocol")}>
              {(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const).map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
          </Field>
          {usesSecret(d) ? (
            <>
              <Field name="sasl_mechanism" label={t("form.sasl_mechanism")}>
                <select {...control("sasl_mechanism")} value={d.sasl_mechanism} onChange={set("sasl_mechanism")}>
                  {(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const).map((m) => (
                    <option value={m}>{m}</option>
                  ))}
                </select>
              </Field>
              <Field name="sasl_username" label={t("form.sasl_username")} error={errors.sasl_username}>
                <input {...control("sasl_username", errors.sasl_username)} value={d.sasl_username} onInput={set("sasl_username")} autoComplete="off" spellcheck={false} />
              </Field>
            </>
          ) : null}
          {d.security_protocol.endsWith("SSL") ? (
            <Field name="ssl_ca_location" label={t("form.ssl_ca_location")} error={errors.ssl_ca_location}>
              <input {...control("ssl_ca_location", errors.ssl_ca_location)} value={d.ssl_ca_location} onInput={set("ssl_ca_location")} placeholder="/path/to/ca.pem" spellcheck={false} />
            </Field>
          ) : null}
        </>
      )}

      {usesSecret(d) ? (
        <Field name="secret" label={secretLabel} hint={secretHint} error={errors.secret}>
          <input {...control("secret", errors.secret)} type="password" value={d.secret} onInput={set("secret")} autoComplete="new-password" />
          {secretState && secretState !== "not_needed" ? (
            <small class={`secret-state ${secretState}`} data-testid="secret-state" data-state={secretState}>
              {t(secretState === "stored" ? "secret.stored" : "secret.missing")}
            </small>
          ) : null}
        </Field>
      ) : null}

      {d.kind === "confluent_cloud" ? (
        <details class="advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
          <summary>{t("form.cloud_api_url")} · {t("form.metrics_api_url")}</summary>
          <Field name="cloud_api_url" label={t("form.cloud_api_url")} error={errors.cloud_api_url}>
            <input {...control("cloud_api_url", errors.cloud_api_url)} value={d.cloud_api_url} onInput={set("cloud_api_url")} spellcheck={false} />
          </Field>
          <Field name="metrics_api_url" label={t("form.metrics_api_url")} error={errors.metrics_api_url}>
            <input {...control("metrics_api_url", errors.metrics_api_url)} value={d.metrics_api_url} onInput={set("metrics_api_url")} spellcheck={false} />
          </Field>
        </details>
      ) : null}

      <div class="actions">
        <button type="button" onClick={onDone} data-testid="cancel-connection">
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="save-connection">
          {saving ? t("form.saving") : t("form.save")}
        </button>
      </div>
    </form>
  );
}
