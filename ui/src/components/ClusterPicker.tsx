import { signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../api";
import type { ClusterView_Serialize as ClusterView, EnvironmentView } from "../bindings";
import { t } from "../i18n";
import { ErrorView } from "./ErrorView";
import { activeConnectionId, sandboxStatus } from "../state";

/** The environment and cluster picked per connection, shared by Topics, API keys and Send. */
export const picked = signal<Record<string, { env?: string; cluster?: string }>>({});

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
  const [envs, setEnvs] = useState<EnvironmentView[] | null>(null);
  const [clusters, setClusters] = useState<ClusterView[] | null>(null);
  const [failed, setFailed] = useState<BridgeError | null>(null);
  const [reload, setReload] = useState(0);
  const choice = picked.value[conn] ?? {};
  const env = envs?.find((e) => e.id === choice.env) ?? envs?.[0];
  const cluster = clusters?.find((c) => c.id === choice.cluster) ?? clusters?.[0];

  useEffect(() => {
    setEnvs(null);
    setFailed(null);
    if (sandboxState === "starting") return;
    let live = true;
    call(commands.listEnvironments(conn)).then(
      (list) => live && setEnvs(list),
      (e) => {
        if (!live) return;
        const be = asBridgeError(e);
        // Said here, in full, with its action: not again in the banner.
        setFailed(be);
      },
    );
    return () => {
      live = false;
    };
  }, [conn, sandboxState, reload]);

  useEffect(() => {
    setClusters(null);
    if (!env) return;
    let live = true;
    call(commands.listClusters(conn, env.id)).then(
      (list) => live && setClusters(list),
      (e) => {
        if (!live) return;
        const be = asBridgeError(e);
        setFailed(be);
      },
    );
    return () => {
      live = false;
    };
  }, [conn, env?.id, reload]);

  if (sandboxState === "starting") return <p class="muted card">{t("clusters.sandboxStarting")}</p>;
  if (failed)
    return (
      <ErrorView error={failed} variant="card" testid="picker-error" ids="picker" onRetry={() => setReload((n) => n + 1)} />
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
        <button type="button" class="ghost" data-testid="picker-refresh" onClick={() => setReload((n) => n + 1)}>
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
