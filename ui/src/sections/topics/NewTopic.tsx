import { useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import type { TopicView } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { type TopicTarget, createTopic } from "../../equivalents";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";

/** Topic configs people set most on Confluent Cloud; any other name can be typed. */
export const COMMON_CONFIGS = ["retention.ms", "cleanup.policy", "retention.bytes", "max.message.bytes", "min.insync.replicas", "message.timestamp.type", "segment.bytes", "segment.ms"];

interface Row {
  name: string;
  value: string;
}

export function NewTopic({ conn, target, onDone }: { conn: string; target: TopicTarget; onDone: (t: TopicView | null) => void }) {
  const [name, setName] = useState("");
  const [partitions, setPartitions] = useState("6");
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const configs = rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.value.trim()] as const);
  const count = Number(partitions);

  async function submit(e: Event) {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    try {
      const created = await call(
        commands.createTopic(conn, target.envId, target.clusterId, {
          name,
          partitions: partitions.trim() === "" ? Number.NaN : count,
          configs: configs.map(([n, v]) => ({ name: n, value: v })),
        }),
      );
      flash(t("topics.created", { name: created.name }));
      onDone(created);
    } catch (err) {
      const be = asBridgeError(err);
      const f = be.fields ?? {};
      const mine: Record<string, string> = {};
      if (f.topic_name) mine.name = f.topic_name;
      if (f.partitions_count) mine.partitions = f.partitions_count;
      if (f.configs) mine.configs = f.configs;
      // "Already exists" is about the name: say it there.
      if (be.code === "CLOUD_CONFLICT") mine.name = be.detail ?? be.message;
      if (Object.keys(mine).length) setErrors(mine);
      else shownError.value = be;
    } finally {
      setSaving(false);
    }
  }

  const setRow = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (i === j ? { ...r, ...change } : r)));
  return (
    <form class="inline-form topic-form" onSubmit={submit} noValidate data-testid="topic-form">
      <Field name="topic-name" label={t("topics.name")} error={errors.name} hint={t("topics.nameRule")}>
        <input
          {...control("topic-name", errors.name)}
          value={name}
          autoFocus
          spellcheck={false}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setErrors({ ...errors, name: "" });
          }}
        />
      </Field>
      <Field name="topic-partitions" label={t("topics.partitions")} error={errors.partitions} hint={t("topics.partitionsRule")}>
        <input
          {...control("topic-partitions", errors.partitions)}
          type="number"
          inputMode="numeric"
          value={partitions}
          onInput={(e) => {
            setPartitions(e.currentTarget.value);
            setErrors({ ...errors, partitions: "" });
          }}
        />
      </Field>
      <fieldset class="configs" data-testid="topic-configs">
        <legend>{t("topics.configs")}</legend>
        <datalist id="common-configs">
          {COMMON_CONFIGS.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        {rows.map((r, i) => (
          <div class="config-row" key={i}>
            <input aria-label={t("topics.configName")} list="common-configs" data-testid={`config-name-${i}`} value={r.name} placeholder="retention.ms" onInput={(e) => setRow(i, { name: e.currentTarget.value })} />
            <input aria-label={t("topics.configValue")} data-testid={`config-value-${i}`} value={r.value} onInput={(e) => setRow(i, { value: e.currentTarget.value })} />
            <button type="button" class="ghost" aria-label={t("topics.removeConfig")} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        {errors.configs ? (
          <small class="field-error" role="alert" data-testid="error-topic-configs">
            {errors.configs}
          </small>
        ) : null}
        <button type="button" class="ghost" data-testid="config-add" onClick={() => setRows([...rows, { name: "", value: "" }])}>
          + {t("topics.addConfig")}
        </button>
      </fieldset>
      <Equivalent eq={createTopic({ ...target, name, partitions: Number.isFinite(count) ? count : 0, configs })} />
      <div class="actions">
        <button type="button" onClick={() => onDone(null)} data-testid="topic-cancel">
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="topic-save">
          {saving ? t("form.saving") : t("topics.create")}
        </button>
      </div>
    </form>
  );
}
