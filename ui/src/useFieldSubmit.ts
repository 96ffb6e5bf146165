// A one-field form's submit (rename a cluster, resize it, name a new environment or service
// account): `saving` while it runs; a problem with the field comes back at the field, focused;
// any other error goes to the one banner unless the form handles it itself.
import { useState } from "preact/hooks";

import { type BridgeError, asBridgeError } from "./api";
import { shownError } from "./state";

export function useFieldSubmit(fieldId: string) {
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  /** Runs `work`; on failure shows `fieldOf(error)` at the field, else lets `handled` take the
   * error, else shows it in the banner. */
  async function run(work: () => Promise<void>, fieldOf: (be: BridgeError) => string | undefined, handled?: (be: BridgeError) => boolean) {
    setSaving(true);
    try {
      await work();
      setError(undefined);
    } catch (err) {
      const be = asBridgeError(err);
      if (handled?.(be)) return;
      const f = fieldOf(be);
      if (f) {
        setError(f);
        document.getElementById(`f-${fieldId}`)?.focus();
      } else shownError.value = be;
    } finally {
      setSaving(false);
    }
  }

  /** Says what is wrong before anything is sent. */
  function refuse(message: string) {
    setError(message);
    document.getElementById(`f-${fieldId}`)?.focus();
  }

  return { error, setError, saving, run, refuse };
}
