import { shownError } from "../state";
import { t } from "../i18n";

/** Every error that isn't tied to a form field is shown here, the same way: message, code, detail. */
export function ErrorBanner() {
  const e = shownError.value;
  if (!e) return null;
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
