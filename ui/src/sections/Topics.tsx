import { useEffect, useState } from "preact/hooks";

import { call, commands } from "../api";
import type { ClusterView_Serialize as ClusterView, TopicView } from "../bindings";
import { ClusterPicker } from "../components/ClusterPicker";
import { type Column, DataTable } from "../components/DataTable";
import { ErrorView } from "../components/ErrorView";
import { fmtDuration } from "../format";
import { t } from "../i18n";
import { shownError } from "../state";
import { useCommand } from "../useCommand";
import { EmptyForServiceAccount } from "./access/EmptyForServiceAccount";
import { clusterOnScreen } from "./access/state";
import { NewTopic } from "./topics/NewTopic";
import { TopicDetails } from "./topics/TopicDetails";

export function Topics() {
  return <ClusterPicker>{(p) => <ClusterTopics key={`${p.conn}/${p.cluster.id}`} conn={p.conn} envId={p.env.id} cluster={p.cluster} />}</ClusterPicker>;
}

function ClusterTopics({ conn, envId, cluster }: { conn: string; envId: string; cluster: ClusterView }) {
  // A missing key or a refusal is said here, with its action; anything else in the banner too.
  const provisioned = cluster.phase === "PROVISIONED";
  const {
    data: topics,
    error: problem,
    reload,
    setData: setTopics,
  } = useCommand<TopicView[]>(provisioned ? () => call(commands.listTopics(conn, envId, cluster.id)) : null, [conn, cluster.id, provisioned], (be) => {
    if (be.code !== "CLUSTER_KEY_MISSING" && be.code !== "CLUSTER_KEY_REFUSED" && be.code !== "NOT_AUTHORIZED") shownError.value = be;
  });
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    clusterOnScreen.value = { conn, envId, clusterId: cluster.id, restEndpoint: cluster.rest_endpoint ?? "" };
    return () => {
      if (clusterOnScreen.value?.clusterId === cluster.id) clusterOnScreen.value = null;
    };
  }, [conn, cluster.id]);

  if (!provisioned) {
    return (
      <p class="card muted" data-testid="topics-not-ready">
        {t("topics.notReady", { phase: cluster.phase })}
      </p>
    );
  }
  if (problem) {
    // A missing or refused key leads to API keys; a refusal offers its fix; anything else a retry.
    const needKey = problem.code === "CLUSTER_KEY_MISSING" || problem.code === "CLUSTER_KEY_REFUSED";
    return (
      <ErrorView
        error={problem}
        variant="card"
        testid={needKey ? "topics-need-key" : "topics-error"}
        ids="topics"
        where={{ conn, envId, clusterId: cluster.id }}
        onRetry={reload}
      />
    );
  }
  if (!topics) {
    return (
      <p class="card muted" aria-busy="true" data-testid="topics-loading">
        <span class="spinner" aria-hidden="true" /> {t("common.loading")}
      </p>
    );
  }
  const target = { envId, clusterId: cluster.id, restEndpoint: cluster.rest_endpoint ?? "" };
  const columns: Column<TopicView>[] = [
    { key: "name", header: t("topics.name"), render: (r) => r.name, sort: (r) => r.name, width: "3fr" },
    { key: "partitions", header: t("topics.partitions"), render: (r) => r.partitions, sort: (r) => r.partitions, align: "right" },
    { key: "rf", header: t("topics.replication"), render: (r) => r.replication_factor, sort: (r) => r.replication_factor, align: "right" },
    {
      key: "retention",
      header: t("topics.retention"),
      render: (r) => fmtDuration(r.retention_ms),
      sort: (r) => (r.retention_ms === "-1" ? Number.MAX_SAFE_INTEGER : r.retention_ms ? Number(r.retention_ms) : null),
      align: "right",
    },
    { key: "cleanup", header: t("topics.cleanup"), render: (r) => r.cleanup_policy ?? "—", sort: (r) => r.cleanup_policy ?? null },
  ];
  return (
    <div class="topics">
      <section class="card" aria-labelledby="h-topics">
        <div class="card-head">
          <h2 id="h-topics">{t("topics.title", { cluster: cluster.name })}</h2>
          <div class="actions">
            <button type="button" class="ghost" data-testid="topics-refresh" onClick={reload}>
              {t("clusters.refresh")}
            </button>
            {adding ? null : (
              <button type="button" data-testid="new-topic" onClick={() => setAdding(true)}>
                + {t("topics.new")}
              </button>
            )}
          </div>
        </div>
        {adding ? (
          <NewTopic
            conn={conn}
            target={target}
            onDone={(created) => {
              setAdding(false);
              if (created) setTopics((old) => [...(old ?? []).filter((x) => x.name !== created.name), created]);
            }}
          />
        ) : null}
        <DataTable
          rows={topics}
          columns={columns}
          rowKey={(r) => r.name}
          searchText={(r) => r.name}
          testid="topics"
          empty={t("topics.empty")}
          label={t("nav.topics")}
          selected={open}
          onRowClick={(r) => setOpen(r.name)}
        />
        {/* With no topic to show, whose key this is says whether the list can be trusted. */}
        {topics.length === 0 ? <EmptyForServiceAccount conn={conn} envId={envId} clusterId={cluster.id} testid="topics-empty-sa" /> : null}
      </section>
      {open ? (
        <TopicDetails
          key={open}
          conn={conn}
          target={target}
          topic={open}
          onClose={() => setOpen(null)}
          onDeleted={() => {
            setTopics((old) => (old ?? []).filter((x) => x.name !== open));
            setOpen(null);
          }}
        />
      ) : null}
    </div>
  );
}
