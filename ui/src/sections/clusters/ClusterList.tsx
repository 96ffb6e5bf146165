// An environment's clusters: the searchable, sortable list, the details of the one picked, and the "new cluster" form.
import { useEffect, useRef, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { ClusterView_Serialize as ClusterView } from "../../bindings";
import { type Column, DataTable } from "../../components/DataTable";
import { t } from "../../i18n";
import { shownError } from "../../state";
import { useCommand } from "../../useCommand";
import { ClusterDetails } from "./ClusterDetails";
import { NewCluster } from "./NewCluster";
import { Phase, availabilityLabel, isGone } from "./shared";

const PHASE_ORDER: Record<string, number> = { PROVISIONING: 0, FAILED: 1, PROVISIONED: 2 };

function columns(): Column<ClusterView>[] {
  return [
    {
      key: "name",
      header: t("clusters.col.name"),
      sort: (c) => c.name,
      width: "minmax(8rem, 2fr)",
      render: (c) => (
        <span class="cluster-name" data-testid="cluster-cell-name" data-name={c.name} data-id={c.id}>
          {c.name}
        </span>
      ),
    },
    { key: "id", header: t("clusters.col.id"), sort: (c) => c.id, width: "minmax(7rem, 1fr)", render: (c) => <code>{c.id}</code> },
    {
      key: "type",
      header: t("clusters.col.type"),
      sort: (c) => c.type,
      render: (c) => (c.type === "Dedicated" && c.cku ? `${c.type} · ${t("clusters.ckuCount", { n: String(c.cku) })}` : c.type),
    },
    { key: "where", header: t("clusters.col.where"), sort: (c) => `${c.cloud} ${c.region}`, width: "minmax(9rem, 1.4fr)", render: (c) => `${c.cloud} · ${c.region}` },
    { key: "availability", header: t("clusters.col.availability"), sort: (c) => c.availability, render: (c) => availabilityLabel(c.availability) },
    { key: "status", header: t("clusters.col.status"), sort: (c) => PHASE_ORDER[c.phase] ?? 3, render: (c) => <Phase phase={c.phase} /> },
  ];
}

export function ClusterList({ conn, envId }: { conn: string; envId: string }) {
  // A failure goes to the banner; the list says only that it could not load.
  const {
    data: clusters,
    error,
    reload: refresh,
    setData: setClusters,
  } = useCommand(() => call(commands.listClusters(conn, envId)), [conn, envId], (be) => (shownError.value = be));
  const failed = error !== null;
  const [adding, setAdding] = useState(false);
  /** The cluster whose details are open, as last seen: its details stay up if it vanishes from the list. */
  const [picked, setPicked] = useState<ClusterView | null>(null);
  /** When each cluster was first seen PROVISIONING, for the details' progress line. */
  const provisioningSince = useRef<Record<string, number>>({});
  /** An action found the cluster gone: say so, close its details and show the list as it is now. */
  const gone = (be: BridgeError) => {
    shownError.value = be;
    setPicked(null);
    refresh();
  };

  // While a cluster is PROVISIONING, ask for it again every second until it is PROVISIONED or FAILED.
  useEffect(() => {
    const since = provisioningSince.current;
    for (const c of clusters ?? []) {
      if (c.phase === "PROVISIONING") since[c.id] ??= Date.now();
      else delete since[c.id];
    }
    const pending = (clusters ?? []).filter((c) => c.phase === "PROVISIONING");
    if (!pending.length) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const fresh = await Promise.all(pending.map((c) => call(commands.getCluster(conn, envId, c.id))));
        if (!cancelled) setClusters((old) => old && old.map((c) => fresh.find((f) => f.id === c.id) ?? c));
      } catch (e) {
        if (cancelled) return;
        // Deleted meanwhile: say so and refresh; open details stay (marked gone) until closed or acted on.
        shownError.value = asBridgeError(e);
        if (isGone(shownError.value)) refresh();
      }
    }, 1000);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [clusters, conn, envId]);

  const live = picked && clusters?.find((c) => c.id === picked.id);
  const selected = live ?? picked;
  const replace = (updated: ClusterView) => setClusters((old) => old && old.map((c) => (c.id === updated.id ? updated : c)));

  return (
    <>
      <section class="card" aria-labelledby="h-clusters">
        <div class="card-head">
          <h2 id="h-clusters">{t("nav.clusters")}</h2>
          <span class="row-actions">
            <button type="button" data-testid="clusters-refresh" onClick={refresh}>
              {t("clusters.refresh")}
            </button>
            {adding ? null : (
              <button type="button" class="primary" data-testid="new-cluster" onClick={() => setAdding(true)}>
                + {t("clusters.newCluster")}
              </button>
            )}
          </span>
        </div>
        {clusters === null ? (
          failed ? (
            <p class="muted" data-testid="clusters-error">
              {t("clusters.loadFailed")}
            </p>
          ) : (
            <p class="muted" data-testid="clusters-loading" aria-busy="true">
              <span class="spinner" aria-hidden="true" /> {t("common.loading")}
            </p>
          )
        ) : (
          <DataTable<ClusterView>
            rows={clusters}
            columns={columns()}
            rowKey={(c) => c.id}
            searchText={(c) => [c.name, c.id, c.type, c.cloud, c.region, c.availability, c.phase]}
            testid="clusters"
            empty={t("clusters.noClusters")}
            label={t("nav.clusters")}
            onRowClick={setPicked}
            selected={picked?.id ?? null}
            maxHeight="min(45vh, 28rem)"
          />
        )}
      </section>
      {selected ? (
        <ClusterDetails
          key={selected.id}
          conn={conn}
          envId={envId}
          cluster={selected}
          missing={!live && clusters !== null}
          provisioningSince={provisioningSince.current[selected.id]}
          onChanged={replace}
          onDeleted={(c) => {
            setPicked(null);
            setClusters((old) => old && old.filter((x) => x.id !== c.id));
            refresh();
          }}
          onGone={gone}
          onClose={() => setPicked(null)}
        />
      ) : null}
      {adding ? (
        <NewCluster
          conn={conn}
          envId={envId}
          onDone={(created) => {
            setAdding(false);
            if (created) setClusters((old) => [...(old ?? []).filter((c) => c.id !== created.id), created]);
          }}
        />
      ) : null}
    </>
  );
}
