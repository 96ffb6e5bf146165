import { useEffect, useRef, useState } from "preact/hooks";

import type { Equivalent as Eq } from "../equivalents";
import { t } from "../i18n";

/** A Copy button that says "Copied" for a moment (or that copying failed, e.g. clipboard access denied). */
export function CopyButton({ text, testid, label }: { text: string; testid: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  }
  return (
    <button type="button" class="copy" data-testid={testid} data-state={state} aria-label={label} onClick={copy}>
      {state === "copied" ? `✓ ${t("copy.copied")}` : state === "failed" ? t("copy.failed") : t("copy.copy")}
    </button>
  );
}

/** The method, the full URL (control-plane paths are relative to the Cloud API) and the pretty JSON body. */
export function restText(eq: Eq, cloudApiUrl = "https://api.confluent.cloud"): string {
  const { method, path, body } = eq.rest;
  const url = /^https?:\/\//.test(path) ? path : `${cloudApiUrl.replace(/\/+$/, "")}${path}`;
  return body === undefined ? `${method} ${url}` : `${method} ${url}\n\n${JSON.stringify(body, null, 2)}`;
}

interface Props {
  eq: Eq;
  /** The connection's Cloud API base URL, for control-plane calls. */
  cloudApiUrl?: string;
}

/** "Show the equivalent": the same action as a REST call and as a `confluent` command, closed until asked for. */
export function Equivalent({ eq, cloudApiUrl }: Props) {
  const rest = restText(eq, cloudApiUrl);
  return (
    <details class="equivalent" data-testid="equivalent">
      <summary>{t("equiv.show")}</summary>
      <section class="equiv-block" data-testid="equivalent-rest" aria-label={t("equiv.rest")}>
        <div class="equiv-head">
          <h3>{t("equiv.rest")}</h3>
          <CopyButton text={rest} testid="equivalent-rest-copy" label={`${t("copy.copy")}: ${t("equiv.rest")}`} />
        </div>
        <p class="muted small" data-testid="equivalent-auth">
          {eq.rest.auth === "cloud" ? t("equiv.auth.cloud") : t("equiv.auth.cluster")}
        </p>
        <pre>
          <code>{rest}</code>
        </pre>
      </section>
      <section class="equiv-block" data-testid="equivalent-cli" aria-label={t("equiv.cli")}>
        <div class="equiv-head">
          <h3>{t("equiv.cli")}</h3>
          {eq.cli ? <CopyButton text={eq.cli} testid="equivalent-cli-copy" label={`${t("copy.copy")}: ${t("equiv.cli")}`} /> : null}
        </div>
        {eq.cli ? (
          <pre>
            <code>{eq.cli}</code>
          </pre>
        ) : null}
        {eq.note ? (
          <p class="muted small" data-testid="equivalent-note">
            {t(eq.note)}
          </p>
        ) : null}
      </section>
    </details>
  );
}
