import { shownError } from "../state";
import { t } from "../i18n";
import { clusterOnScreen } from "../sections/access/model";
import { Refusal } from "../sections/access/Refusal";

/** Every error that isn't tied to a form field is shown here, the same way: message, code, detail. */
export function ErrorBanner() {
  const e = shownError.value;
  if (!e) return null;
  if (e.code === "NOT_AUTHORIZED") {
    // Which operation on which resource, and its fix on the cluster on screen.
    const c = clusterOnScreen.value;
    return (
      <div class="error-banner" data-testid="error-banner" data-code={e.code}>
        <Refusal error={e} where={c ? { conn: c.conn, envId: c.envId, clusterId: c.clusterId } : null} testid="banner-refusal" />
        <button type="button" class="ghost" data-testid="error-dismiss" onClick={() => (shownError.value = null)} aria-label={t("common.dismiss")}>
          ✕
        </button>
      </div>
    );
  }
  return (
    <div class="error-banner" role="alert" data-testid="error-banner" data-code={e.code}>
      <div>
        <strong>{t("error.title")}</strong> <span data-testid="error-message">{e.message}</span>
        <div class="error-meta">
          <code>{e.code}</code>
          {e.detail ? <span class="error-detail"> · {e.detail}</span> : null}
        </div>
      </div>
      <button type="button" class="ghost" data-testid="error-dismiss" onClick={() => (shownError.value = null)} aria-label={t("common.dismiss")}>
        ✕
      </button>
    </div>
  );
}
