// Lesson 6: lock-in. What is portable and what isn't; "Export" writes the portable part of the
// lesson cluster: its topics as JSON and as a kafka-topics.sh script, and the client config as
// plain librdkafka properties (secret masked).
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import type { ClusterView_Serialize as ClusterView, TopicConfigView, TopicView } from "../../bindings";
import { CopyButton } from "../../components/Equivalent";
import { ErrorView } from "../../components/ErrorView";
import { type Key, t } from "../../i18n";
import { LessonFrame, WithLab } from "./common";
import { LAB, type Lab } from "./lab";
import { markDone } from "./progress";
import { exportState } from "./state";

export interface ExportedTopic {
  name: string;
  partitions: number;
  replication_factor: number;
  /** Only what differs from the service's defaults (and may be set: no read-only ones). */
  configs: Record<string, string>;
}

export interface Exported {
  json: string;
  script: string;
  properties: string;
}

/** The portable description of a cluster's topics. */
export function topicsJson(cluster: ClusterView, topics: ExportedTopic[], at: Date): string {
  return JSON.stringify(
    {
      format: "gureum.topics/v1",
      exported_at: at.toISOString(),
      source: { cluster: cluster.name, id: cluster.id, type: cluster.type, cloud: cluster.cloud, region: cluster.region },
      topics,
    },
    null,
    2,
  );
}

const shellQuote = (s: string) => (/^[\w.,:=/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The same topics as kafka-topics.sh commands for any Kafka (Apache Kafka's CLI, Java client config). */
export function topicsScript(cluster: ClusterView, topics: ExportedTopic[], at: Date): string {
  const lines = [
    "#!/bin/sh",
    `# Topics of ${cluster.name} (${cluster.id}), exported by Gureum on ${at.toISOString()}.`,
    "# Recreates them on any Kafka cluster with Apache Kafka's kafka-topics.sh.",
    "# BOOTSTRAP: the target's host:port; CONFIG: a Java client config for it, e.g.",
    "#   security.protocol=SASL_SSL",
    "#   sasl.mechanism=PLAIN",
    '#   sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="<key>" password="<secret>";',
    "# The replication factor is left to the target (Confluent Cloud fixes it at 3); the JSON says what the source had.",
    "set -eu",
    ': "${BOOTSTRAP:?set BOOTSTRAP to the target cluster host:port}"',
    'CONFIG="${CONFIG:-client.properties}"',
    "",
  ];
  for (const topic of topics) {
    const configs = Object.entries(topic.configs).map(([k, v]) => ` \\\n  --config ${shellQuote(`${k}=${v}`)}`).join("");
    lines.push(
      `kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --create --if-not-exists \\\n  --topic ${shellQuote(topic.name)} --partitions ${topic.partitions}${configs}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A topic as exported: non-default, settable configs only. */
export function exportedTopic(topic: TopicView, configs: TopicConfigView[]): ExportedTopic {
  const set = configs.filter((c) => !c.is_default && !c.is_read_only && c.value != null).sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: topic.name,
    partitions: topic.partitions,
    replication_factor: topic.replication_factor,
    configs: Object.fromEntries(set.map((c) => [c.name, c.value!])),
  };
}

export type ExportState = { state: "running" } | { state: "done"; out: Exported } | { state: "failed"; error: BridgeError };

async function runExport(l: Lab) {
  exportState.value = { state: "running" };
  try {
    const topics = (await call(commands.listTopics(LAB.conn, l.env.id, l.cluster.id))).sort((a, b) => a.name.localeCompare(b.name));
    const described = await Promise.all(topics.map(async (tp) => exportedTopic(tp, await call(commands.topicConfigs(LAB.conn, l.env.id, l.cluster.id, tp.name)))));
    const snippets = await call(commands.clientSnippets(l.target, LAB.topic));
    const props = snippets.find((s) => s.id === "properties")?.code ?? "";
    const at = new Date();
    exportState.value = {
      state: "done",
      out: { json: topicsJson(l.cluster, described, at), script: topicsScript(l.cluster, described, at), properties: props },
    };
    markDone("l6", "export");
  } catch (e) {
    exportState.value = { state: "failed", error: asBridgeError(e) };
  }
}

export function Lesson6() {
  return (
    <LessonFrame id="l6" why={<p>{t("learn.l6.why1")}</p>} byHand={["learn.l6.hand1"]}>
      <div class="l6">
        <div class="l6-columns">
          <section class="l6-col yes" aria-labelledby="h-l6-yes">
            <h4 id="h-l6-yes">✓ {t("learn.l6.portable")}</h4>
            <ul>
              {(["p1", "p2", "p3", "p4"] as const).map((k) => (
                <li key={k}>{t(`learn.l6.${k}` as Key)}</li>
              ))}
            </ul>
          </section>
          <section class="l6-col no" aria-labelledby="h-l6-no">
            <h4 id="h-l6-no">✕ {t("learn.l6.notPortable")}</h4>
            <ul>
              {(["n1", "n2", "n3", "n4"] as const).map((k) => (
                <li key={k}>{t(`learn.l6.${k}` as Key)}</li>
              ))}
            </ul>
          </section>
        </div>
        <WithLab>{(l) => <Export l={l} />}</WithLab>
      </div>
    </LessonFrame>
  );
}

function Export({ l }: { l: Lab }) {
  const s = exportState.value;
  return (
    <section class="l6-export">
      <div class="actions start">
        <button type="button" class="primary" data-testid="export-run" disabled={s?.state === "running"} onClick={() => void runExport(l)}>
          {s?.state === "running" ? t("learn.l6.exporting") : t("learn.l6.export")}
        </button>
      </div>
      {s?.state === "failed" ? <ErrorView error={s.error} testid="export-error" /> : null}
      {s?.state === "done" ? (
        <>
          <Artifact id="json" title={t("learn.l6.json")} file={`${LAB.cluster}-topics.json`} type="application/json" text={s.out.json} />
          <Artifact id="script" title={t("learn.l6.script")} file={`${LAB.cluster}-topics.sh`} type="text/x-shellscript" text={s.out.script} />
          <Artifact id="properties" title={t("learn.l6.props")} file={`${LAB.cluster}.properties`} type="text/plain" text={s.out.properties} />
        </>
      ) : null}
    </section>
  );
}

/** A download URL for `text`: a Blob URL where the platform has them, else a data: URL. */
function useDownloadUrl(text: string, type: string): string {
  const [url, setUrl] = useState("");
  useEffect(() => {
    if (typeof URL.createObjectURL === "function" && typeof Blob !== "undefined") {
      const u = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
      setUrl(u);
      return () => URL.revokeObjectURL(u);
    }
    setUrl(`data:${type};charset=utf-8,${encodeURIComponent(text)}`);
    return undefined;
  }, [text, type]);
  return url;
}

function Artifact({ id, title, file, type, text }: { id: string; title: string; file: string; type: string; text: string }) {
  const url = useDownloadUrl(text, type);
  return (
    <section class="l6-artifact" data-testid={`export-${id}`} aria-labelledby={`h-export-${id}`}>
      <div class="card-head">
        <h4 id={`h-export-${id}`}>{title}</h4>
        <span class="l6-artifact-actions" onClickCapture={() => markDone("l6", "copy")}>
          <CopyButton text={text} testid={`export-copy-${id}`} />
          <a class="button-link" href={url} download={file} data-testid={`export-download-${id}`}>
            {t("learn.l6.download", { file })}
          </a>
        </span>
      </div>
      <textarea readOnly rows={Math.min(16, text.split("\n").length + 1)} spellcheck={false} data-testid={`export-text-${id}`} value={text} aria-label={title} />
    </section>
  );
}
