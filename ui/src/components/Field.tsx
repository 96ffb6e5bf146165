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
