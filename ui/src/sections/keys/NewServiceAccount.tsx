import { useState } from "preact/hooks";

import { call, commands } from "../../api";
import type { ServiceAccountView } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { createServiceAccount } from "../../equivalents";
import { t } from "../../i18n";
import { flash } from "../../state";
import { useFieldSubmit } from "../../useFieldSubmit";

export function NewServiceAccount({ conn, onDone }: { conn: string; onDone: (sa: ServiceAccountView | null) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const { error, setError, saving, run } = useFieldSubmit("sa-name");

  async function submit(e: Event) {
    e.preventDefault();
    await run(
      async () => {
        const sa = await call(commands.createServiceAccount(conn, name, description));
        flash(t("keys.saCreated", { name: sa.name }));
        onDone(sa);
      },
      (be) => be.fields?.display_name ?? (be.code === "CLOUD_CONFLICT" ? (be.detail ?? be.message) : undefined),
    );
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate data-testid="sa-form">
      <Field name="sa-name" label={t("keys.saName")} error={error}>
        <input
          {...control("sa-name", error)}
          value={name}
          maxLength={64}
          autoFocus
          onInput={(e) => {
            setName(e.currentTarget.value);
            setError(undefined);
          }}
        />
      </Field>
      <Field name="sa-description" label={t("keys.description")}>
        <input {...control("sa-description")} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Equivalent eq={createServiceAccount(name.trim(), description.trim())} />
      <div class="actions">
        <button type="button" onClick={() => onDone(null)}>
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="sa-save">
          {saving ? t("form.saving") : t("clusters.create")}
        </button>
      </div>
    </form>
  );
}
