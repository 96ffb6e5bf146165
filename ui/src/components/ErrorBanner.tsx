import { clusterOnScreen } from "../sections/access/state";
import { shownError } from "../state";
import { ErrorView } from "./ErrorView";

/** Every error that isn't tied to a form field or a place on screen is shown here, as the one
 * ErrorView; a refusal's fix is offered for the cluster on screen. */
export function ErrorBanner() {
  const e = shownError.value;
  if (!e) return null;
  const c = clusterOnScreen.value;
  return (
    <ErrorView
      error={e}
      variant="banner"
      testid="error-banner"
      ids="error"
      where={c ? { conn: c.conn, envId: c.envId, clusterId: c.clusterId } : null}
      onDismiss={() => (shownError.value = null)}
    />
  );
}
