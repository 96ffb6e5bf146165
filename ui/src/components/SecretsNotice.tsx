import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";

import { commands } from "../api";
import { t } from "../i18n";
import { sandboxStatus } from "../state";

/** Why no OS keyring answered at start (then secrets live in memory for this session), or null. */
export const secretsInMemory = signal<string | null>(null);
/** What was on show when "Hide" was pressed: a different notice shows again. */
const hidden = signal<string | null>(null);

/**
 * What a run without an OS keyring won't keep, and how to get a keyring; and, after a start that
 * had to make the sandbox a new CA, that outside clients must trust the new ca.pem.
 */
export function SecretsNotice() {
  useEffect(() => {
    let live = true;
    // Asked once; asked again a moment later if the backend could not answer yet.
    const ask = (retries: number) =>
      commands.appInfo().then(
        (info) => live && (secretsInMemory.value = info.secrets_in_memory ?? null),
        () => live && retries > 0 && setTimeout(() => ask(retries - 1), 1000),
      );
    ask(5);
    return () => {
      live = false;
    };
  }, []);
  const why = secretsInMemory.value;
  const renewed = sandboxStatus.value?.state === "running" && sandboxStatus.value.ca_renewed ? sandboxStatus.value.ca_file : null;
  const shown = `${why ?? ""}|${renewed ?? ""}`;
  if (hidden.value === shown || (!why && !renewed)) return null;
  return (
    <div class="secrets-notice" role="status" data-testid="secrets-notice" data-in-memory={why ? "yes" : "no"}>
      <div>
        {why ? (
          <>
            <strong data-testid="secrets-notice-title">{t("secrets.memory.title")}</strong>
            <p>{t("secrets.memory.body", { why })}</p>
            <p>{t("secrets.memory.howto")}</p>
          </>
        ) : null}
        {renewed ? <p data-testid="secrets-ca-renewed">{t("secrets.caRenewed", { path: renewed })}</p> : null}
      </div>
      <button type="button" class="ghost" data-testid="secrets-notice-hide" onClick={() => (hidden.value = shown)}>
        {t("secrets.hide")}
      </button>
    </div>
  );
}
