// Client snippets: the same connection as code (properties, Java, Python, Rust, kcat). The secret
// stays masked unless the user reveals it; Copy copies the real secret and keeps the screen masked.
import { useEffect, useRef, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { SnippetView } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { t } from "../../i18n";
import { whereOf } from "./common";
import type { Target } from "./model";

export function SnippetsPanel({ target, topic }: { target: Target; topic: string }) {
  const [masked, setMasked] = useState<SnippetView[] | null>(null);
  const [revealed, setRevealed] = useState<SnippetView[] | null>(null);
  const [tab, setTab] = useState<string>("properties");
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState<"reveal" | "copy" | null>(null);
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const [reload, setReload] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    setMasked(null);
    setRevealed(null);
    setError(null);
    let live = true;
    call(commands.clientSnippets(target, topic, false)).then(
      (list) => {
        if (!live) return;
        setMasked(list);
        if (list.length && !list.some((s) => s.id === tab)) setTab(list[0]!.id);
      },
      (e) => live && setError(asBridgeError(e)),
    );
    return () => {
      live = false;
    };
  }, [target.connection_id, target.environment_id, target.cluster_id, topic, reload]);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function toggleReveal() {
    if (revealed) {
      setRevealed(null);
      return;
    }
    setBusy("reveal");
    try {
      setRevealed(await call(commands.clientSnippets(target, topic, true)));
    } catch (e) {
      setError(asBridgeError(e));
    } finally {
      setBusy(null);
    }
  }

  async function copy() {
    setBusy("copy");
    let state: "copied" | "failed" = "failed";
    try {
      // Ask again with the secret: the copy must work, the screen stays as it was.
      const list = revealed ?? (await call(commands.clientSnippets(target, topic, true)));
      const code = list.find((s) => s.id === tab)?.code;
      if (code != null) {
        await navigator.clipboard.writeText(code);
        state = "copied";
      }
    } catch (e) {
      const be = asBridgeError(e);
      if (be.code !== "INTERNAL") setError(be);
    } finally {
      setBusy(null);
      setCopied(state);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied("idle"), 2000);
    }
  }

  const list = revealed ?? masked;
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
            <span class={revealed ? "secret-state revealed" : "secret-state masked"} data-testid="snippet-secret-state">
              {revealed ? t("snippets.revealedNote") : t("snippets.maskedNote")}
            </span>
            <button type="button" data-testid="snippet-reveal" aria-pressed={!!revealed} disabled={busy !== null} onClick={() => void toggleReveal()}>
              {busy === "reveal" ? t("common.loading") : revealed ? t("snippets.hide") : t("snippets.reveal")}
            </button>
            <button type="button" class="copy" data-testid="snippet-copy" data-state={copied} disabled={busy !== null} onClick={() => void copy()}>
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
