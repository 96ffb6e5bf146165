// The Send section: pick a cluster (sandbox / Confluent) or use a Kafka connection as it is, pick a
// topic, then send one record, many records, watch the live tail or copy client code.
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../api";
import { ClusterPicker } from "../components/ClusterPicker";
import { ErrorView } from "../components/ErrorView";
import { Field, control } from "../components/Field";
import { t } from "../i18n";
import { activeConnectionId, connections, section } from "../state";
import { BulkPanel } from "./send/Bulk";
import { EmptyForServiceAccount } from "./access/EmptyForServiceAccount";
import { whereOf } from "./send/common";
import { type Target, type TopicInfo, targetKey } from "./send/model";
import { SendPanel } from "./send/SendForm";
import { SnippetsPanel } from "./send/Snippets";
import { bulkRun, chosenTopic, sendTab } from "./send/state";
import { type Highlight, TailPanel } from "./send/Tail";
import "./send/send.css";

export function Send() {
  const conn = activeConnectionId.value;
  const c = connections.value.find((x) => x.id === conn);
  if (c?.endpoint.kind === "kafka") {
    return <Workspace key={conn} target={{ connection_id: conn, environment_id: "", cluster_id: "" }} kind="kafka" title={c.name} />;
  }
  return (
    <ClusterPicker>
      {(p) =>
        p.cluster.phase !== "PROVISIONED" ? (
          <p class="card muted" data-testid="send-not-ready">
            {t("send.notReady", { phase: p.cluster.phase })}
          </p>
        ) : (
          <Workspace
            key={`${p.conn}/${p.env.id}/${p.cluster.id}`}
            target={{ connection_id: p.conn, environment_id: p.env.id, cluster_id: p.cluster.id }}
            kind="cloud"
            title={p.cluster.name}
          />
        )
      }
    </ClusterPicker>
  );
}

const TABS = ["send", "bulk", "snippets"] as const;

function Workspace({ target, kind, title }: { target: Target; kind: "cloud" | "kafka"; title: string }) {
  const [topics, setTopics] = useState<TopicInfo[] | null>(null);
  const [problem, setProblem] = useState<BridgeError | null>(null);
  const [reload, setReload] = useState(0);
  const [loading, setLoading] = useState(true);
  const [topicError, setTopicError] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [snippetsSeen, setSnippetsSeen] = useState(sendTab.value === "snippets");
  const key = targetKey(target);
  const chosen = chosenTopic.value[key];
  const topic = topics?.find((x) => x.name === chosen) ?? topics?.[0] ?? null;
  const tab = sendTab.value;

  useEffect(() => {
    let live = true;
    setLoading(true);
    const pending =
      kind === "kafka"
        ? call(commands.listKafkaTopics(target))
        : call(commands.listTopics(target.connection_id, target.environment_id, target.cluster_id));
    pending.then(
      (list) => {
        if (!live) return;
        setProblem(null);
        setTopics(list.map((x) => ({ name: x.name, partitions: x.partitions })).sort((a, b) => a.name.localeCompare(b.name)));
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        const be = asBridgeError(e);
        setProblem(be);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, reload]);

  function setTopic(name: string) {
    chosenTopic.value = { ...chosenTopic.value, [key]: name };
    setTopicError(null);
    setHighlight(null);
  }

  if (problem && !topics) {
    return <ErrorView error={problem} where={whereOf(target)} testid="send-topics-error" title={t("send.topicsFailed", { cluster: title })} onRetry={() => setReload((n) => n + 1)} />;
  }
  if (!topics) {
    return (
      <p class="card muted" aria-busy="true" data-testid="send-loading">
        <span class="spinner" aria-hidden="true" /> {t("common.loading")}
      </p>
    );
  }
  if (topics.length === 0) {
    return (
      <div class="card empty-state" data-testid="send-no-topics">
        <p>{t("send.noTopics", { cluster: title })}</p>
        {kind === "cloud" ? <EmptyForServiceAccount conn={target.connection_id} envId={target.environment_id} clusterId={target.cluster_id} testid="send-empty-sa" /> : null}
        <div class="actions centered">
          {kind === "cloud" ? (
            <button type="button" class="primary" data-testid="send-go-topics" onClick={() => (section.value = "topics")}>
              {t("send.goTopics")}
            </button>
          ) : null}
          <button type="button" onClick={() => setReload((n) => n + 1)}>
            {t("clusters.refresh")}
          </button>
        </div>
      </div>
    );
  }

  const running = bulkRun.value?.running;
  return (
    <div class="send-workspace" data-testid="send-workspace" data-kind={kind}>
      <div class="card send-topicbar">
        <Field name="send-topic" label={t("send.topic")} error={topicError ?? undefined}>
          <div class="with-button">
            <select {...control("send-topic", topicError ?? undefined)} value={topic?.name ?? ""} onChange={(e) => setTopic(e.currentTarget.value)}>
              {topics.map((x) => (
                <option key={x.name} value={x.name}>
                  {t("send.topicOption", { name: x.name, n: String(x.partitions) })}
                </option>
              ))}
            </select>
            <button type="button" class="ghost" data-testid="send-topics-refresh" disabled={loading} onClick={() => setReload((n) => n + 1)}>
              {loading ? t("common.loading") : t("clusters.refresh")}
            </button>
          </div>
        </Field>
        <p class="muted small topic-facts" data-testid="send-topic-facts">
          {topic ? t("send.topicFacts", { cluster: title, n: String(topic.partitions) }) : null}
        </p>
      </div>
      {problem ? <ErrorView error={problem} where={whereOf(target)} testid="send-topics-error" onRetry={() => setReload((n) => n + 1)} /> : null}
      <div class="send-layout">
        <section class="card send-main" aria-label={t("nav.send")}>
          <div class="tabs" role="tablist" aria-label={t("nav.send")}>
            {TABS.map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`send-tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`send-panel-${id}`}
                data-testid={`send-tab-${id}`}
                onClick={() => {
                  sendTab.value = id;
                  if (id === "snippets") setSnippetsSeen(true);
                }}
              >
                {t(`send.tab.${id}`)}
                {id === "bulk" && running ? <span class="live-dot" aria-label={t("bulk.running")} /> : null}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="send-panel-send" aria-labelledby="send-tab-send" hidden={tab !== "send"}>
            <SendPanel
              target={target}
              topic={topic}
              topics={topics}
              setTopic={setTopic}
              setTopicError={setTopicError}
              restAvailable={kind === "cloud"}
              onSent={(r) => setHighlight({ partition: r.partition, offset: r.offset })}
            />
          </div>
          <div role="tabpanel" id="send-panel-bulk" aria-labelledby="send-tab-bulk" hidden={tab !== "bulk"}>
            <BulkPanel target={target} topic={topic} setTopicError={setTopicError} />
          </div>
          <div role="tabpanel" id="send-panel-snippets" aria-labelledby="send-tab-snippets" hidden={tab !== "snippets"}>
            {snippetsSeen || tab === "snippets" ? <SnippetsPanel target={target} topic={topic?.name ?? ""} /> : null}
          </div>
        </section>
        <TailPanel target={target} topic={topic} highlight={highlight} />
      </div>
    </div>
  );
}
