// Records sent from this cluster (the last 50, for the days Settings says, without header values)
// with Re-send, and named templates of the form (save, load, delete after confirmation).
import { useState } from "preact/hooks";

import { ConfirmDialog } from "../../components/ConfirmDialog";
import { t } from "../../i18n";
import { flash } from "../../state";
import { type Target, type TopicInfo, clip, fmtMs, fmtTime, fromInput, sameTarget } from "./model";
import { sendDraft } from "./state";
import { type HistoryEntry, clearHistory, clearOnQuit, deleteTemplate, history, historyDays, saveTemplate, templates } from "./storage";

/** The entry as a form: its header names come back with empty values, for the user to fill in. */
function draftOf(h: HistoryEntry) {
  return fromInput({ ...h.input, headers: (h.header_names ?? []).map((name) => ({ name, value: "" })) });
}

export function History({
  target,
  sending,
  onResend,
}: {
  target: Target;
  sending: boolean;
  onResend: (e: HistoryEntry) => void;
}) {
  const mine = history.value.filter((h) => sameTarget(h.target, target));
  return (
    <section class="send-history" aria-labelledby="h-send-history" data-testid="send-history">
      <div class="card-head">
        <h3 id="h-send-history">{t("send.history.title", { n: String(mine.length) })}</h3>
        {mine.length ? (
          <button type="button" class="ghost" data-testid="history-clear" onClick={() => clearHistory(target)}>
            {t("send.history.clear")}
          </button>
        ) : null}
      </div>
      <p class="muted small" data-testid="history-kept">
        {clearOnQuit.value ? t("send.history.keptSession") : t("send.history.kept", { days: String(historyDays.value) })}
      </p>
      {mine.length === 0 ? (
        <p class="muted small" data-testid="history-empty">
          {t("send.history.empty")}
        </p>
      ) : (
        <ol class="history-list">
          {mine.map((h) => (
            <li key={h.id} class="history-row" data-testid="history-row" data-topic={h.input.topic} data-offset={h.result.offset ?? ""}>
              <div class="history-main">
                <div class="history-where">
                  <strong>{h.input.topic}</strong>
                  <span class="muted small history-meta">
                    {" "}
                    · P{h.result.partition} @ {h.result.offset != null && h.result.offset >= 0 ? h.result.offset : "—"} · {fmtMs(h.result.latency_ms)}
                    {h.via === "rest" ? " · REST" : ""}
                  </span>
                </div>
                <div class="history-record mono small">
                  {h.input.key != null ? <span class="history-key">{clip(h.input.key, 40)}</span> : <span class="muted">{t("send.noKey")}</span>}
                  <span class="muted"> → </span>
                  <span class="history-value">{clip(h.input.value.replace(/\s+/g, " "), 100)}</span>
                </div>
                {h.header_names?.length ? (
                  <div class="muted small history-headers" data-testid="history-headers">
                    {t("send.history.headersDropped", { names: h.header_names.join(", ") })}
                  </div>
                ) : null}
                <time class="muted small" dateTime={new Date(h.at).toISOString()}>
                  {fmtTime(h.at)}
                </time>
              </div>
              <div class="row-actions">
                <button type="button" class="ghost" data-testid="history-edit" disabled={h.clipped} title={h.clipped ? t("send.history.clipped") : undefined} onClick={() => {
                    sendDraft.value = draftOf(h);
                    if (h.header_names?.length) flash(t("send.history.fillHeaders"));
                  }}>
                  {t("send.history.edit")}
                </button>
                <button
                  type="button"
                  data-testid="history-resend"
                  disabled={sending || h.clipped}
                  title={h.clipped ? t("send.history.clipped") : h.header_names?.length ? t("send.history.resendBare.title") : undefined}
                  onClick={() => onResend(h)}
                >
                  {h.header_names?.length ? t("send.history.resendBare") : t("send.history.resend")}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Templates({ topic, topics, setTopic }: { topic: string; topics: TopicInfo[]; setTopic: (name: string) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const list = templates.value;

  function save(e: Event) {
    e.preventDefault();
    const n = name.trim();
    if (!n) {
      setError(t("send.templates.nameRequired"));
      return;
    }
    saveTemplate({ name: n, topic, draft: { ...sendDraft.value, headers: sendDraft.value.headers.map((h) => ({ ...h })) }, saved_at: Date.now() });
    setName("");
    setError(null);
    flash(t("send.templates.saved", { name: n }));
  }

  return (
    <section class="send-templates" aria-labelledby="h-send-templates" data-testid="send-templates">
      <h3 id="h-send-templates">{t("send.templates.title")}</h3>
      <form class="template-save" onSubmit={save} noValidate>
        <input
          data-testid="template-name"
          aria-label={t("send.templates.name")}
          placeholder={t("send.templates.name")}
          value={name}
          aria-invalid={error ? true : undefined}
          onInput={(e) => (setName(e.currentTarget.value), setError(null))}
        />
        <button type="submit" data-testid="template-save">
          {list.some((x) => x.name === name.trim()) ? t("send.templates.replace") : t("send.templates.save")}
        </button>
      </form>
      {error ? (
        <small class="field-error" role="alert" data-testid="error-template-name">
          {error}
        </small>
      ) : null}
      {list.length === 0 ? (
        <p class="muted small" data-testid="templates-empty">
          {t("send.templates.empty")}
        </p>
      ) : (
        <ul class="template-list">
          {list.map((tpl) => (
            <li key={tpl.name} class="template-row" data-testid="template-row" data-name={tpl.name}>
              <div>
                <strong>{tpl.name}</strong>
                <span class="muted small">
                  {" "}
                  · {tpl.topic || "—"} · {tpl.draft.format === "json" ? "JSON" : t("send.format.text")}
                  {tpl.draft.key ? ` · ${t("send.key")}: ${clip(tpl.draft.key, 20)}` : ""}
                </span>
              </div>
              <div class="row-actions">
                <button
                  type="button"
                  data-testid="template-load"
                  onClick={() => {
                    sendDraft.value = { ...tpl.draft, headers: tpl.draft.headers.map((h) => ({ ...h })) };
                    if (tpl.topic && topics.some((x) => x.name === tpl.topic)) setTopic(tpl.topic);
                    flash(t("send.templates.loaded", { name: tpl.name }));
                  }}
                >
                  {t("send.templates.load")}
                </button>
                <button type="button" class="ghost danger" data-testid="template-delete" aria-label={t("send.templates.deleteLabel", { name: tpl.name })} onClick={() => setDeleting(tpl.name)}>
                  {t("send.templates.delete")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {deleting ? (
        <ConfirmDialog
          title={t("send.templates.deleteTitle", { name: deleting })}
          body={t("send.templates.deleteBody")}
          confirmLabel={t("send.templates.delete")}
          cancelLabel={t("common.cancel")}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            deleteTemplate(deleting);
            setDeleting(null);
          }}
        />
      ) : null}
    </section>
  );
}
