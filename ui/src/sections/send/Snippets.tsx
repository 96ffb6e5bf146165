// Client snippets: the same connection as code (properties, Java, Python, Rust, kcat). The window
// only ever gets them with the secret masked; Copy asks the backend to put the snippet with its
// real secret on the OS clipboard (src-tauri/app/commands/clipboard.rs), so the secret never
// crosses into the window. There is no "reveal": the one time a secret is shown is at a key's
// creation (SecretOnceDialog).
import { useEffect, useRef, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { SnippetView } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { t } from "../../i18n";
import { whereOf } from "./common";
import type { Target } from "./model";

export function SnippetsPanel({ target, topic }: { target: Target; topic: string }) {
  const [list, setList] = useState<SnippetView[] | null>(null);
  const [tab, setTab] = useState<string>("properties");
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const [reload, setReload] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    setList(null);
    setError(null);
    let live = true;
    call(commands.clientSnippets(target, topic)).then(
      (list) => {
        if (!live) return;
        setList(list);
        if (list.length && !list.some((s) => s.id === tab)) setTab(list[0]!.id);
      },
      (e) => live && setError(asBridgeError(e)),
    );
    return () => {
      live = false;
    };
  }, [target.connection_id, target.environment_id, target.cluster_id, topic, reload]);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy(id: string) {
    setBusy(true);
    let state: "copied" | "failed" = "failed";
    try {
      // The backend builds the snippet with its secret and writes it to the clipboard itself.
      await call(commands.copyClientSnippet(target, topic, id));
      state = "copied";
    } catch (e) {
      const be = asBridgeError(e);
      // A clipboard that did not answer shows on the button; anything else (no key any more…)
      // is said like every other error of this panel.
      if (be.code !== "INTERNAL") setError(be);
    } finally {
      setBusy(false);
      setCopied(state);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied("idle"), 2000);
    }
  }

  const current = list?.find((s) => s.id === tab) ?? list?.[0];
  return (
    <div class="snippets-panel" data-testid="snippets-panel">
      <p class="muted small">{t("snippets.intro", { topic: topic || "—" })}</p>
      {error ? <ErrorView error={error} where={whereOf(target)} testid="snippets-error" onRetry={() => setReload((n) => n + 1)} /> : null}
      {!list && !error ? (
        <p class="muted" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t("common.loading")}
        </p>
      ) : null}
      {list && current ? (
        <>
          <div class="tabs small-tabs" role="tablist" aria-label={t("snippets.languages")}>
            {list.map((s) => (
              <button
                key={s.id}
                type="button"
                role="tab"
                id={`snippet-tab-${s.id}`}
                aria-selected={s.id === current.id}
                aria-controls="snippet-code"
                data-testid={`snippet-tab-${s.id}`}
                onClick={() => setTab(s.id)}
              >
                {s.title}
              </button>
            ))}
          </div>
          <div class="snippet-tools">
            <span class="secret-state masked" data-testid="snippet-secret-state">
              {t("snippets.maskedNote")}
            </span>
            <button type="button" class="copy" data-testid="snippet-copy" data-state={copied} disabled={busy} onClick={() => void copy(current.id)}>
              {copied === "copied" ? `✓ ${t("copy.copied")}` : copied === "failed" ? t("copy.failed") : t("snippets.copy")}
            </button>
          </div>
          <pre class="snippet-code" id="snippet-code" role="tabpanel" aria-labelledby={`snippet-tab-${current.id}`} data-testid="snippet-code" data-id={current.id}>
            <code>{current.code}</code>
          </pre>
        </>
      ) : null}
    </div>
  );
}
