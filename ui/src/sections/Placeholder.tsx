import { t, type Key } from "../i18n";

/** The honest state of a section whose screens are not in this build yet. */
export function Placeholder({ what }: { what: Key }) {
  return (
    <div class="card empty-state" data-testid="empty-state">
      <p>{t(what)}</p>
      <p class="muted">{t("section.notYet")}</p>
    </div>
  );
}
