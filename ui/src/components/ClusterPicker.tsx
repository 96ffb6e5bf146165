import { call, commands } from "../api";
import type { ClusterView_Serialize as ClusterView, EnvironmentView } from "../bindings";
import { useCommand } from "../useCommand";
import { t } from "../i18n";
import { ErrorView } from "./ErrorView";
import { picked } from "../sections/clusters/state";
import { activeConnectionId, sandboxStatus } from "../state";

export function pick(conn: string, change: { env?: string; cluster?: string }) {
  picked.value = { ...picked.value, [conn]: { ...picked.value[conn], ...change } };
}

export interface PickedCluster {
  conn: string;
  env: EnvironmentView;
  cluster: ClusterView;
  /** Every cluster of the environment, e.g. for an API key's resource picker. */
  clusters: ClusterView[];
}

/**
 * Environment + cluster selectors for the active connection. Renders `children` with the chosen
 * cluster once one exists; says why not otherwise (sandbox starting, no environments, no clusters).
 */
export function ClusterPicker({ children }: { children: (p: PickedCluster) => preact.ComponentChildren }) {
  const conn = activeConnectionId.value;
  const sandboxState = conn === "sandbox" ? (sandboxStatus.value?.state ?? "starting") : null;
  const choice = picked.value[conn] ?? {};
  // A failure is said here, in full, with its action: not again in the banner.
  const envsAsked = useCommand(sandboxState === "starting" ? null : () => call(commands.listEnvironments(conn)), [conn, sandboxState]);
  const envs = envsAsked.data;
  const env = envs?.find((e) => e.id === choice.env) ?? envs?.[0];
  const clustersAsked = useCommand(env ? () => call(commands.listClusters(conn, env.id)) : null, [conn, env?.id]);
  // Until the new environment's answer arrives, the last one's clusters are not this one's.
  const clusters = clustersAsked.data?.every((c) => c.environment_id === env?.id) ? clustersAsked.data : null;
  const cluster = clusters?.find((c) => c.id === choice.cluster) ?? clusters?.[0];
  const failed = envsAsked.error ?? clustersAsked.error;
  const reload = () => {
    envsAsked.reload();
    clustersAsked.reload();
  };

  if (sandboxState === "starting") return <p class="muted card">{t("clusters.sandboxStarting")}</p>;
  if (failed)
    return (
      <ErrorView error={failed} variant="card" testid="picker-error" ids="picker" onRetry={reload} />
    );
  if (!envs || (env && !clusters))
    return (
      <p class="muted card" aria-busy="true">
        <span class="spinner" aria-hidden="true" /> {t("common.loading")}
      </p>
    );
  return (
    <>
      <div class="card picker" data-testid="cluster-picker">
        <label>
          <span>{t("clusters.environment")}</span>
          <select data-testid="picker-env" value={env?.id ?? ""} onChange={(e) => pick(conn, { env: e.currentTarget.value, cluster: undefined })}>
            {envs.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name} ({e.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("picker.cluster")}</span>
          <select data-testid="picker-cluster" value={cluster?.id ?? ""} onChange={(e) => pick(conn, { cluster: e.currentTarget.value })} disabled={!clusters?.length}>
            {(clusters ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.id}){c.phase === "PROVISIONED" ? "" : ` — ${c.phase}`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="ghost" data-testid="picker-refresh" onClick={reload}>
          {t("clusters.refresh")}
        </button>
      </div>
      {!env ? (
        <p class="muted card" data-testid="picker-no-env">
          {t("clusters.noEnvs")}
        </p>
      ) : !cluster || !clusters ? (
        <p class="muted card" data-testid="picker-no-cluster">
          {t("picker.noClusters")}
        </p>
      ) : (
        children({ conn, env, cluster, clusters })
      )}
    </>
  );
}
