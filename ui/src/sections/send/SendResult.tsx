// The broker's answer to one send: its RecordMetadata, where the record went among the topic's
// partitions and, for a keyed record on automatic, why it went there.
import type { SendResult_Serialize as Result } from "../../bindings";
import { t } from "../../i18n";
import { fmtMs, fmtTime } from "../../format";
import { type SendInput, clip } from "./model";

/** Partitions drawn one box each up to this many; more are summarised in words. */
const MAX_CELLS = 128;

export function PartitionStrip({ partitions, chosen, testid }: { partitions: number; chosen: number | null; testid: string }) {
  if (partitions <= 0) return null;
  if (partitions > MAX_CELLS) {
    return (
      <p class="muted small" data-testid={testid}>
        {t("send.result.manyPartitions", { n: String(partitions), p: String(chosen ?? "—") })}
      </p>
    );
  }
  const cells = Array.from({ length: partitions }, (_, i) => i);
  return (
    <div class={partitions > 32 ? "partition-strip dense" : "partition-strip"} data-testid={testid} role="img" aria-label={t("send.result.stripLabel", { n: String(partitions), p: String(chosen ?? "—") })}>
      {cells.map((i) => (
        <span key={i} class={i === chosen ? "partition-cell chosen" : "partition-cell"} data-testid="partition-cell" data-partition={i} title={t("send.result.partitionN", { n: String(i) })}>
          {partitions <= 32 ? i : ""}
        </span>
      ))}
    </div>
  );
}

/** murmur2("key") = h → h & 0x7fffffff = m → m mod N = p. */
export function KeyWhy({ keyText, hash, partitions, partition }: { keyText: string; hash: number; partitions: number; partition: number }) {
  const masked = hash & 0x7fffffff;
  return (
    <div class="key-why" data-testid="result-why">
      <p class="small">{t("send.result.whyKeyed")}</p>
      <code class="why-formula">
        murmur2("{clip(keyText, 40)}") = <b>{hash}</b> → &amp; 0x7fffffff = <b>{masked}</b> → mod {partitions} = <b data-testid="why-partition">{partition}</b>
      </code>
    </div>
  );
}

function Why({ result, input }: { result: Result; input: SendInput }) {
  if (input.partition != null) return <p class="small muted" data-testid="result-why">{t("send.result.whyExplicit", { p: String(result.partition) })}</p>;
  if (input.key != null && result.key_hash != null && result.partitions > 0)
    return <KeyWhy keyText={input.key} hash={result.key_hash} partitions={result.partitions} partition={result.key_partition ?? result.partition} />;
  if (input.key == null) return <p class="small muted" data-testid="result-why">{t("send.result.whyNoKey")}</p>;
  return null;
}

export interface Sent {
  result: Result;
  input: SendInput;
}

export function SendResultView({ sent, other }: { sent: Sent; other: Sent | null }) {
  const r = sent.result;
  const noOffset = r.offset == null || r.offset < 0;
  return (
    <section class="send-result" data-testid="send-result" data-via={r.via} aria-live="polite" aria-labelledby="h-send-result">
      <h3 id="h-send-result">{t("send.result.title")}</h3>
      <dl class="result-facts">
        <dt>{t("send.result.topic")}</dt>
        <dd data-testid="result-topic">{r.topic}</dd>
        <dt>{t("send.result.partition")}</dt>
        <dd>
          <strong data-testid="result-partition">{r.partition}</strong>
          <span class="muted"> / {r.partitions}</span>
        </dd>
        <dt>{t("send.result.offset")}</dt>
        <dd>
          <strong data-testid="result-offset" data-offset={noOffset ? "" : String(r.offset)}>
            {noOffset ? "—" : r.offset}
          </strong>
          {noOffset ? <span class="muted small"> {t("send.result.noOffset")}</span> : null}
        </dd>
        <dt>{t("send.result.timestamp")}</dt>
        <dd data-testid="result-timestamp" data-ms={r.timestamp_ms ?? ""}>
          {fmtTime(r.timestamp_ms)}
          {r.timestamp_type ? (
            <span class="muted small" data-testid="result-timestamp-type">
              {" "}
              · {r.timestamp_type === "LogAppendTime" ? t("send.result.logAppend") : r.timestamp_type === "CreateTime" ? t("send.result.createTime") : r.timestamp_type}
            </span>
          ) : null}
        </dd>
        <dt>{t("send.result.latency")}</dt>
        <dd>
          <span data-testid="result-latency">{fmtMs(r.latency_ms)}</span>
          <span class="muted small"> · {r.via === "rest" ? t("send.path.rest") : t("send.path.kafka")}</span>
        </dd>
      </dl>
      <PartitionStrip partitions={r.partitions} chosen={r.partition} testid="result-partitions" />
      <Why result={r} input={sent.input} />
      {other ? (
        <div class="latency-compare" data-testid="latency-compare">
          <h4>{t("send.compare.title")}</h4>
          {[sent, other]
            .sort((a, b) => (a.result.via === "kafka" ? -1 : b.result.via === "kafka" ? 1 : 0))
            .map((s) => (
              <div key={s.result.via} class="compare-cell" data-testid={`compare-${s.result.via}`}>
                <span class="muted small">{s.result.via === "rest" ? t("send.path.rest") : t("send.path.kafka")}</span>
                <strong>{fmtMs(s.result.latency_ms)}</strong>
              </div>
            ))}
          <p class="muted small">{t("send.compare.note")}</p>
        </div>
      ) : null}
    </section>
  );
}
