import { signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../api";
import type { AppInfo, Connection } from "../bindings";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { type Lang, lang, setLang, t } from "../i18n";
import { activeConnectionId, connections, flash, sandboxStatus, section, shownError } from "../state";
import { applyTheme, theme, type ThemeChoice } from "../theme";
import { useCommand } from "../useCommand";
import { ConnectionForm } from "./ConnectionForm";
import { HISTORY_DAYS_CHOICES, clearOnQuit, historyDays, setClearOnQuit, setHistoryDays } from "./send/storage";
import { type Draft, type DraftKind, draftFrom, emptyDraft } from "./connectionDraft";

/** A new connection of this kind to open in Settings' form (the welcome's "Connect …"). */
const requested = signal<DraftKind | null>(null);

/** Opens Settings with the form for a new connection of `kind`. */
export function requestNewConnection(kind: DraftKind) {
  requested.value = kind;
  section.value = "settings";
}

export async function reloadConnections() {
  try {
    connections.value = await call(commands.listConnections());
    if (!connections.value.some((c) => c.id === activeConnectionId.value)) activeConnectionId.value = "sandbox";
  } catch (e) {
    shownError.value = asBridgeError(e);
  }
}

function describe(c: Connection): string {
  switch (c.endpoint.kind) {
    case "sandbox": {
      const s = sandboxStatus.value;
      if (!s || s.state === "starting") return t("sandbox.starting");
      if (s.state === "running") return t("sandbox.running", { url: s.rest_url ?? "" });
      if (s.state === "stopped") return t("sandbox.stopped");
      return t("sandbox.failed", { why: s.message ?? "" });
    }
    case "confluent_cloud":
      return `${c.endpoint.cloud_api_key} · ${c.endpoint.cloud_api_url}`;
    case "kafka":
      return `${c.endpoint.bootstrap_servers} · ${c.endpoint.security_protocol}`;
  }
}

/** Stops the sandbox cloud (its data is kept) or starts it again; the new state arrives as SandboxStatus events. */
function SandboxToggle() {
  const [busy, setBusy] = useState(false);
  const state = sandboxStatus.value?.state ?? "starting";
  const start = state === "stopped" || state === "failed";
  async function toggle() {
    setBusy(true);
    try {
      await call(commands.setSandboxRunning(start));
    } catch (e) {
      shownError.value = asBridgeError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <span class="row-actions">
      <button
        type="button"
        class={start ? "primary" : undefined}
        data-testid="sandbox-toggle"
        data-action={start ? "start" : "stop"}
        disabled={busy || state === "starting"}
        title={start ? t("settings.sandbox.startLabel") : t("settings.sandbox.stopLabel")}
        aria-label={start ? t("settings.sandbox.startLabel") : t("settings.sandbox.stopLabel")}
        onClick={toggle}
      >
        {start ? t("settings.sandbox.start") : t("settings.sandbox.stop")}
      </button>
    </span>
  );
}

export function Settings() {
  const [editing, setEditing] = useState<Draft | null>(() => {
    const kind = requested.value;
    requested.value = null;
    return kind ? emptyDraft(kind) : null;
  });
  const [removing, setRemoving] = useState<Connection | null>(null);
  const { data: info } = useCommand<AppInfo>(() => commands.appInfo(), [], (be) => (shownError.value = be));

  useEffect(() => {
    reloadConnections();
  }, []);

  async function remove(c: Connection) {
    setRemoving(null);
    try {
      await call(commands.removeConnection(c.id));
      flash(t("form.removed", { name: c.name }));
      await reloadConnections();
    } catch (e) {
      shownError.value = asBridgeError(e);
    }
  }

  return (
    <div class="settings">
      <section class="card" aria-labelledby="h-connections">
        <div class="card-head">
          <h2 id="h-connections">{t("settings.connections")}</h2>
          {editing ? null : (
            <button type="button" class="primary" data-testid="add-connection" onClick={() => setEditing(emptyDraft())}>
              + {t("settings.add")}
            </button>
          )}
        </div>
        <p class="muted">{t("settings.connections.help")}</p>
        <ul class="connection-list" data-testid="connection-list">
          {connections.value.map((c) => (
            <li class="connection-row" data-testid="connection-row" data-id={c.id} data-name={c.name} key={c.id}>
              <span class={`kind-badge ${c.endpoint.kind}`}>{t(`kind.${c.endpoint.kind}`)}</span>
              <span class="connection-name" data-testid="connection-name">{c.name}</span>
              <span class="muted connection-desc" data-testid="connection-desc">{describe(c)}</span>
              {c.endpoint.kind === "sandbox" ? (
                <SandboxToggle />
              ) : (
                <span class="row-actions">
                  <button type="button" data-testid="edit" onClick={() => setEditing(draftFrom(c))} aria-label={`${t("settings.edit")} ${c.name}`}>
                    {t("settings.edit")}
                  </button>
                  <button type="button" class="danger" data-testid="remove" onClick={() => setRemoving(c)} aria-label={`${t("settings.remove")} ${c.name}`}>
                    {t("settings.remove")}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>

      {editing ? (
        <ConnectionForm
          key={editing.id ?? "new"}
          initial={editing}
          onDone={() => {
            setEditing(null);
            reloadConnections();
          }}
        />
      ) : null}

      <section class="card" aria-labelledby="h-appearance">
        <h2 id="h-appearance">{t("settings.appearance")}</h2>
        <div class="inline-fields">
          <label>
            {t("settings.theme")}
            <select data-testid="theme" value={theme.value} onChange={(e) => applyTheme(e.currentTarget.value as ThemeChoice)}>
              <option value="system">{t("settings.theme.system")}</option>
              <option value="light">{t("settings.theme.light")}</option>
              <option value="dark">{t("settings.theme.dark")}</option>
            </select>
          </label>
          <label>
            {t("settings.language")}
            <select data-testid="language" value={lang.value} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
              <option value="en">English</option>
              <option value="ko">한국어</option>
            </select>
          </label>
        </div>
      </section>

      <section class="card" aria-labelledby="h-send-history-settings" data-testid="history-settings">
        <h2 id="h-send-history-settings">{t("send.historySettings.title")}</h2>
        <p class="muted small">{t("send.historySettings.intro")}</p>
        <div class="inline-fields">
          <label>
            {t("send.historySettings.days")}
            <select data-testid="history-days" value={String(historyDays.value)} onChange={(e) => setHistoryDays(Number(e.currentTarget.value))}>
              {HISTORY_DAYS_CHOICES.map((n) => (
                <option key={n} value={String(n)}>
                  {n === 1 ? t("send.historySettings.day") : t("send.historySettings.daysOption", { n: String(n) })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label class="check">
          <input type="checkbox" data-testid="history-clear-on-quit" checked={clearOnQuit.value} onChange={(e) => setClearOnQuit(e.currentTarget.checked)} />{" "}
          {t("send.historySettings.clearOnQuit")}
        </label>
        <p class="muted small">{t("send.historySettings.clearOnQuitHint")}</p>
      </section>

      {info ? (
        <section class="card about" aria-labelledby="h-about">
          <h2 id="h-about">{t("settings.about")}</h2>
          <dl>
            <dt>{t("settings.version")}</dt>
            <dd>{info.version}</dd>
            <dt>{t("settings.configDir")}</dt>
            <dd>
              <code data-testid="config-dir">{info.config_dir}</code>
            </dd>
            <dt>{t("settings.secretStore")}</dt>
            <dd>{info.secret_store}</dd>
          </dl>
        </section>
      ) : null}

      {removing ? (
        <ConfirmDialog
          title={t("settings.removeTitle", { name: removing.name })}
          body={t("settings.removeBody")}
          confirmLabel={t("common.confirm")}
          cancelLabel={t("common.cancel")}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
    </div>
  );
}
