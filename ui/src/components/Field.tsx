import type { ComponentChildren } from "preact";

interface Props {
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  children: ComponentChildren;
}

/** A labelled form control with its hint and its error right under it (linked for screen readers). */
export function Field({ name, label, error, hint, children }: Props) {
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={`f-${name}`}>{label}</label>
      {children}
      {hint && !error ? <small id={`hint-${name}`} class="hint">{hint}</small> : null}
      {error ? (
        <small id={`err-${name}`} class="field-error" role="alert" data-testid={`error-${name}`}>
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** Props for the control inside a Field, so id/aria stay consistent. */
export function control(name: string, error?: string) {
  return {
    id: `f-${name}`,
    name,
    "data-testid": `field-${name}`,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `err-${name}` : `hint-${name}`,
  };
}

interface SelectProps<T extends string> {
  name: string;
  label: string;
  value: T;
  options: readonly T[];
  /** How an option reads; the option itself by default (Kafka's names, e.g. READ). */
  text?: (option: T) => string;
  onChange: (value: T) => void;
}

/** A labelled choice among fixed options. */
export function SelectField<T extends string>({ name, label, value, options, text = (o) => o, onChange }: SelectProps<T>) {
  return (
    <Field name={name} label={label}>
      <select {...control(name)} value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {text(o)}
          </option>
        ))}
      </select>
    </Field>
  );
}
