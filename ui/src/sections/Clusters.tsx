import { useEffect, useState } from "preact/hooks";

import { call, commands } from "../api";
import type { EnvironmentView } from "../bindings";
import { ErrorView } from "../components/ErrorView";
import { t } from "../i18n";
import { activeConnectionId, sandboxStatus, shownError } from "../state";
import { useCommand } from "../useCommand";
import { ClusterList } from "./clusters/ClusterList";
import { NewEnvironment } from "./clusters/NewEnvironment";
import { pickedEnv } from "./clusters/state";

export { REGIONS } from "./clusters/shared";

/** Errors this screen explains itself, in place of the list: no banner for them. */
const SAYS_ITSELF = new Set<string>(["NO_CLOUD_API", "SANDBOX_NOT_READY"]);

export function Clusters() {
  const conn = activeConnectionId.value;
  // The sandbox's status arrives with the first events; until then it counts as starting.
  // Stopped and failed are asked anyway: the backend's SANDBOX_NOT_READY says what to do.
  const sandboxState = conn === "sandbox" ? (sandboxStatus.value?.state ?? "starting") : null;
  // Errors this screen says itself stay out of the banner.
  const {
    data: envs,
    error: loadError,
    reload,
    setData: setEnvs,
  } = useCommand<EnvironmentView[]>(sandboxState === "starting" ? null : () => call(commands.listEnvironments(conn)), [conn, sandboxState], (be) => {
    if (!SAYS_ITSELF.has(be.code)) shownError.value = be;
  });
  const [addingEnv, setAddingEnv] = useState(false);
  const envId = envs?.some((e) => e.id === pickedEnv.value[conn]) ? pickedEnv.value[conn]! : (envs?.[0]?.id ?? "");
  const pick = (id: string) => (pickedEnv.value = { ...pickedEnv.value, [conn]: id });

  // The environments arrived: a "sandbox not ready" in the banner is over.
  useEffect(() => {
    if (envs && shownError.value?.code === "SANDBOX_NOT_READY") shownError.value = null;
  }, [envs]);

  if (sandboxState === "starting") {
    return (
      <div class="card empty-state" data-testid="clusters-waiting">
        <p>
          <span class="spinner" aria-hidden="true" /> {t("clusters.sandboxStarting")}
        </p>
      </div>
    );
  }
  if (loadError) {
    // Errors this screen says itself are shown here in full; the others are in the banner.
    if (SAYS_ITSELF.has(loadError.code)) {
      return <ErrorView error={loadError} variant="card" testid="clusters-error" ids="clusters" onRetry={loadError.code === "NO_CLOUD_API" ? undefined : reload} />;
    }
    return (
      <div class="card empty-state" data-testid="clusters-error" data-code={loadError.code}>
        <p data-testid="clusters-message">{t("clusters.loadFailed")}</p>
        <p class="row-actions centered">
          <button type="button" data-testid="clusters-retry" onClick={reload}>
            {t("clusters.retry")}
          </button>
        </p>
      </div>
    );
  }
  if (!envs) {
    return (
      <div class="card empty-state" data-testid="clusters-loading" aria-busy="true">
        <p>
          <span class="spinner" aria-hidden="true" /> {t("common.loading")}
        </p>
      </div>
    );
  }

  return (
    <div class="clusters">
      <section class="card" aria-labelledby="h-envs">
        <div class="card-head">
          <h2 id="h-envs">{t("clusters.environment")}</h2>
          {addingEnv ? null : (
            <button type="button" data-testid="new-env" onClick={() => setAddingEnv(true)}>
              + {t("clusters.newEnv")}
            </button>
          )}
        </div>
        {envs.length ? (
          <select data-testid="env-select" aria-label={t("clusters.environment")} value={envId} onChange={(e) => pick(e.currentTarget.value)}>
            {envs.map((e) => (
              <option value={e.id} key={e.id}>
                {e.name} ({e.id})
              </option>
            ))}
          </select>
        ) : (
          <p class="muted" data-testid="envs-empty">
            {t("clusters.noEnvs")}
          </p>
        )}
        {addingEnv ? (
          <NewEnvironment
            conn={conn}
            onDone={(created) => {
              setAddingEnv(false);
              if (created) {
                setEnvs((old) => [...(old ?? []), created]);
                pick(created.id);
              }
            }}
          />
        ) : null}
      </section>
      {envId ? <ClusterList key={`${conn}/${envId}`} conn={conn} envId={envId} /> : null}
    </div>
  );
}
