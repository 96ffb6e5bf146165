import { useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import type { EnvironmentView } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { createEnvironment } from "../../equivalents";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";
import { cloudApiUrlOf } from "./shared";

export function NewEnvironment({ conn, onDone }: { conn: string; onDone: (created: EnvironmentView | null) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) {
      setError(t("clusters.envNameRequired"));
      document.getElementById("f-env-name")?.focus();
      return;
    }
    setSaving(true);
    try {
      const created = await call(commands.createEnvironment(conn, name.trim()));
      flash(t("clusters.envCreated", { name: created.name }));
      onDone(created);
    } catch (err) {
      const be = asBridgeError(err);
      const f = be.fields?.display_name;
      if (f) {
        setError(f);
        document.getElementById("f-env-name")?.focus();
      } else shownError.value = be;
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate data-testid="env-form">
      <Field name="env-name" label={t("clusters.envName")} error={error}>
        <input
          {...control("env-name", error)}
          data-testid="env-name"
          value={name}
          maxLength={64}
          autoFocus
          spellcheck={false}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setError(undefined);
          }}
        />
      </Field>
      <Equivalent eq={createEnvironment(name.trim())} cloudApiUrl={cloudApiUrlOf(conn)} />
      <div class="actions">
        <button type="button" onClick={() => onDone(null)} data-testid="env-cancel">
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="env-save">
          {saving ? t("form.saving") : t("clusters.create")}
        </button>
      </div>
    </form>
  );
}
