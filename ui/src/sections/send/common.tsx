// Pieces the Send, Bulk, Tail and Snippets panels share: producer options, header rows, the
// partition chooser, and the cluster a target is on (for the ErrorView of a failure).
import type { Where } from "../../components/ErrorView";
import { Field, control } from "../../components/Field";
import { type Key, t } from "../../i18n";
import { ACKS, type Acks, COMPRESSIONS, type Compression, type HeaderInput, type Target } from "./model";

export function AcksField({ id, value, onChange, disabled }: { id: string; value: Acks; onChange: (a: Acks) => void; disabled?: boolean }) {
  return (
    <Field name={id} label={t("send.acks")} hint={t(`send.acks.${value}.hint` as Key)}>
      <select {...control(id)} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as Acks)}>
        {ACKS.map((a) => (
          <option key={a} value={a}>
            {t(`send.acks.${a}` as Key)}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function CompressionField({ id, value, onChange, disabled }: { id: string; value: Compression; onChange: (c: Compression) => void; disabled?: boolean }) {
  return (
    <Field name={id} label={t("send.compression")} hint={t("send.compression.hint")}>
      <select {...control(id)} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as Compression)}>
        {COMPRESSIONS.map((c) => (
          <option key={c} value={c}>
            {c === "none" ? t("send.compression.none") : c}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Header rows (name, value) with add/remove; `prefix` namespaces the test ids. */
export function HeadersEditor({
  prefix,
  rows,
  onChange,
  error,
  valuePlaceholder,
}: {
  prefix: string;
  rows: HeaderInput[];
  onChange: (rows: HeaderInput[]) => void;
  error?: string | undefined;
  valuePlaceholder?: string;
}) {
  const set = (i: number, change: Partial<HeaderInput>) => onChange(rows.map((r, j) => (i === j ? { ...r, ...change } : r)));
  return (
    <fieldset class={error ? "send-headers invalid" : "send-headers"} data-testid={`${prefix}-headers`}>
      <legend>{t("send.headers")}</legend>
      {rows.length === 0 ? <p class="muted small">{t("send.headers.none")}</p> : null}
      {rows.map((r, i) => (
        <div class="send-header-row" key={i}>
          <input
            aria-label={t("send.headers.name", { n: String(i + 1) })}
            placeholder={t("send.headers.namePlaceholder")}
            data-testid={`${prefix}-header-name-${i}`}
            value={r.name}
            spellcheck={false}
            onInput={(e) => set(i, { name: e.currentTarget.value })}
          />
          <input
            aria-label={t("send.headers.value", { n: String(i + 1) })}
            placeholder={valuePlaceholder ?? t("send.headers.valuePlaceholder")}
            data-testid={`${prefix}-header-value-${i}`}
            value={r.value}
            spellcheck={false}
            onInput={(e) => set(i, { value: e.currentTarget.value })}
          />
          <button
            type="button"
            class="ghost"
            data-testid={`${prefix}-header-remove-${i}`}
            aria-label={t("send.headers.remove", { n: String(i + 1) })}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {error ? (
        <small class="field-error" role="alert" data-testid={`error-${prefix}-headers`}>
          {error}
        </small>
      ) : null}
      <button type="button" class="ghost add-row" data-testid={`${prefix}-header-add`} onClick={() => onChange([...rows, { name: "", value: "" }])}>
        + {t("send.headers.add")}
      </button>
    </fieldset>
  );
}

/** "Automatic" or an explicit partition number, with what each means. */
export function PartitionChooser({
  prefix,
  mode,
  value,
  partitions,
  error,
  onChange,
  autoHint,
}: {
  prefix: string;
  mode: "auto" | "explicit";
  value: string;
  partitions: number | null;
  error?: string | undefined;
  onChange: (mode: "auto" | "explicit", value: string) => void;
  /** Shown under "Automatic" (e.g. where the key goes). */
  autoHint?: preact.ComponentChildren;
}) {
  const name = `${prefix}-partition`;
  const range = partitions && partitions > 0 ? t("send.partition.range", { max: String(partitions - 1) }) : "";
  return (
    <fieldset class={error ? "send-partition invalid" : "send-partition"}>
      <legend>{t("send.partition")}</legend>
      <label class="radio">
        <input type="radio" name={`${name}-mode`} data-testid={`${prefix}-partition-auto`} checked={mode === "auto"} onChange={() => onChange("auto", value)} />
        {t("send.partition.auto")}
      </label>
      <label class="radio">
        <input type="radio" name={`${name}-mode`} data-testid={`${prefix}-partition-explicit`} checked={mode === "explicit"} onChange={() => onChange("explicit", value)} />
        {t("send.partition.explicit")}
        <input
          {...control(name, error)}
          class="partition-number"
          type="number"
          inputMode="numeric"
          min={0}
          max={partitions ? partitions - 1 : undefined}
          aria-label={t("send.partition.number")}
          value={value}
          disabled={mode !== "explicit"}
          onInput={(e) => onChange("explicit", e.currentTarget.value)}
        />
      </label>
      {error ? (
        <small id={`err-${name}`} class="field-error" role="alert" data-testid={`error-${name}`}>
          {error}
        </small>
      ) : (
        <small id={`hint-${name}`} class="hint" data-testid={`${prefix}-partition-hint`}>
          {mode === "auto" ? (autoHint ?? t("send.partition.autoHint")) : `${t("send.partition.explicitHint")} ${range}`}
        </small>
      )}
    </fieldset>
  );
}

/** The cluster a send target is on, for an ErrorView's actions (a refusal's fix, a missing key). */
export function whereOf(target: Target): Where | null {
  return target.cluster_id ? { conn: target.connection_id, envId: target.environment_id, clusterId: target.cluster_id } : null;
}
