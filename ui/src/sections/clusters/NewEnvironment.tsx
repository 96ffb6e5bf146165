import { useState } from "preact/hooks";

import { call, commands } from "../../api";
import type { EnvironmentView } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { createEnvironment } from "../../equivalents";
import { t } from "../../i18n";
import { flash } from "../../state";
import { useFieldSubmit } from "../../useFieldSubmit";
import { cloudApiUrlOf } from "./shared";

export function NewEnvironment({ conn, onDone }: { conn: string; onDone: (created: EnvironmentView | null) => void }) {
  const [name, setName] = useState("");
  const { error, setError, saving, run, refuse } = useFieldSubmit("env-name");

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) return refuse(t("clusters.envNameRequired"));
    await run(
      async () => {
        const created = await call(commands.createEnvironment(conn, name.trim()));
        flash(t("clusters.envCreated", { name: created.name }));
        onDone(created);
      },
      (be) => be.fields?.display_name,
    );
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
