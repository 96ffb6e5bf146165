// The one way an error is shown: the code's words in the current language (errors.ts), what to do,
// the backend's own words and code as detail, and the code's action (create a key, open Settings,
// the fix of a refusal) — as the app's banner, a section's card, or inline where it happened.
import type { ComponentChildren } from "preact";

import { type ErrorLike, errorText } from "../errors";
import { t } from "../i18n";
import { keyFor, keysTab, pasteFor } from "../sections/access/state";
import { Refusal, type Where } from "../sections/access/Refusal";
import { section } from "../state";

export type { Where };

/** Codes whose fix is in Settings → Connections. */
const IN_SETTINGS = new Set<string>(["SANDBOX_NOT_READY", "SECRET_MISSING", "CLOUD_UNAUTHORIZED"]);

interface Props {
  error: ErrorLike;
  testid: string;
  /** Prefix of the inner test ids (`-message`, `-retry`, `-dismiss`, `-create-key`, …); `testid` by default. */
  ids?: string;
  /** banner: the app's one banner (dismissable); card: a section that could not load; inline: where it happened. */
  variant?: "banner" | "card" | "inline";
  /** What failed, when the place doesn't say it already ("Sending failed"). */
  title?: string;
  /** The cluster it happened on: a refusal's fix and a missing key's way to API keys need it. */
  where?: Where | null;
  onRetry?: () => void;
  onDismiss?: () => void;
  /** Extra lines under the words. */
  children?: ComponentChildren;
}

export function ErrorView({ error, testid, ids = testid, variant = "inline", title, where = null, onRetry, onDismiss, children }: Props) {
  const cls = `error-view ${variant}${variant === "card" ? " card" : ""}`;
  const dismiss = onDismiss ? (
    <button type="button" class="ghost error-view-dismiss" data-testid={`${ids}-dismiss`} onClick={onDismiss} aria-label={t("common.dismiss")}>
      ✕
    </button>
  ) : null;
  const retry = onRetry ? (
    <button type="button" data-testid={`${ids}-retry`} onClick={onRetry}>
      {t("clusters.retry")}
    </button>
  ) : null;

  if (error.code === "NOT_AUTHORIZED" && error.refused) {
    // Which operation on which resource the key's owner lacks, and the preset that fixes it.
    return (
      <div class={cls} data-testid={testid} data-code={error.code}>
        <div class="error-view-body">
          {title ? <strong class="error-view-title">{title}</strong> : null}
          <Refusal error={error} where={where} testid={`${ids}-refusal`} onFixed={onRetry} />
          {retry ? <div class="actions start">{retry}</div> : null}
          {children}
        </div>
        {dismiss}
      </div>
    );
  }

  const { text, hint } = errorText(error);
  const own = [error.message !== text ? error.message : "", error.detail ?? "", error.code === "VALIDATION" && error.fields ? Object.entries(error.fields).map(([k, v]) => `${k}: ${v}`).join("; ") : ""].filter(Boolean);
  const needsKey = (error.code === "CLUSTER_KEY_MISSING" || error.code === "CLUSTER_KEY_REFUSED") && !!where?.clusterId;
  const toSettings = IN_SETTINGS.has(error.code) && section.value !== "settings";
  return (
    <div class={cls} role="alert" data-testid={testid} data-code={error.code}>
      <div class="error-view-body">
        {title ? <strong class="error-view-title">{title}</strong> : null}
        <p class="error-view-text" data-testid={`${ids}-text`}>
          {text}
        </p>
        {hint ? <p class="error-view-hint">{hint}</p> : null}
        <p class="error-view-detail" data-testid={`${ids}-message`}>
          {own.map((o) => (
            <span key={o}>{o} · </span>
          ))}
          <code>{error.code}</code>
        </p>
        {children}
        {needsKey || toSettings || retry ? (
          <div class="actions start">
            {needsKey && where ? (
              <>
                <button
                  type="button"
                  class="primary"
                  data-testid={`${ids}-create-key`}
                  onClick={() => {
                    keyFor.value = { conn: where.conn, envId: where.envId, clusterId: where.clusterId };
                    section.value = "api-keys";
                  }}
                >
                  {t("topics.createKey")}
                </button>
                <button
                  type="button"
                  data-testid={`${ids}-use-key`}
                  onClick={() => {
                    pasteFor.value = { conn: where.conn, envId: where.envId, clusterId: where.clusterId };
                    keysTab.value = "held";
                    section.value = "api-keys";
                  }}
                >
                  {t("topics.useKey")}
                </button>
              </>
            ) : null}
            {toSettings ? (
              <button type="button" data-testid={`${ids}-open-settings`} onClick={() => (section.value = "settings")}>
                {t("clusters.openSettings")}
              </button>
            ) : null}
            {retry}
          </div>
        ) : null}
      </div>
      {dismiss}
    </div>
  );
}
