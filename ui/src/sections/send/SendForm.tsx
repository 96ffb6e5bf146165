// The Send tab: the form for one record, the broker's answer, the history and the templates.
import { useEffect, useRef, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import { ErrorView } from "../../components/ErrorView";
import { Field, control } from "../../components/Field";
import { errorLine } from "../../errors";
import { fmtBytes } from "../../format";
import { t } from "../../i18n";
import { AcksField, CompressionField, HeadersEditor, PartitionChooser, whereOf } from "./common";
import { History, Templates } from "./History";
import {
  type Draft,
  type SendInput,
  type SendPath,
  type Target,
  type TopicInfo,
  clip,
  jsonProblem,
  localProblems,
  newId,
  prettyJson,
  toInput,
} from "./model";
import { type Sent, SendResultView } from "./SendResult";
import { sendDraft, sendPath } from "./state";
import { remember } from "./storage";
import type { BridgeError } from "../../api";
import type { SendResult_Serialize } from "../../bindings";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const encoder = new TextEncoder();

interface Props {
  target: Target;
  topic: TopicInfo | null;
  topics: TopicInfo[];
  setTopic: (name: string) => void;
  setTopicError: (message: string | null) => void;
  /** Kafka REST v3 is there (sandbox and Confluent Cloud connections). */
  restAvailable: boolean;
  /** A record went out (the tail highlights it). */
  onSent: (r: SendResult_Serialize) => void;
}

export function SendPanel(p: Props) {
  const d = sendDraft.value;
  const path: SendPath = p.restAvailable ? sendPath.value : "kafka";
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<BridgeError | null>(null);
  const [fieldsFailed, setFieldsFailed] = useState(false);
  const [results, setResults] = useState<{ kafka?: Sent; rest?: Sent; last?: SendPath }>({});
  const busy = useRef(false);

  const set = (change: Partial<Draft>) => {
    sendDraft.value = { ...sendDraft.value, ...change };
  };
  const clearError = (name: string) => {
    if (errors[name]) setErrors({ ...errors, [name]: "" });
  };

  async function send(input: SendInput, via: SendPath) {
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    setFailure(null);
    setFieldsFailed(false);
    setErrors({});
    p.setTopicError(null);
    try {
      const result = await call(via === "rest" ? commands.sendRecordRest(p.target, input) : commands.sendRecord(p.target, input));
      const sent: Sent = { result, input };
      setResults((old) => ({ ...old, [via]: sent, last: via }));
      remember({
        id: newId(),
        at: Date.now(),
        target: p.target,
        via,
        input,
        result: { partition: result.partition, offset: result.offset, timestamp_ms: result.timestamp_ms, latency_ms: result.latency_ms },
      });
      p.onSent(result);
    } catch (e) {
      const be = asBridgeError(e);
      const f = be.fields ?? {};
      const mine: Record<string, string> = {};
      for (const k of ["partition", "key", "value", "headers", "timestamp"]) if (f[k]) mine[k] = f[k];
      let topicError = f.topic ?? null;
      if (be.code === "KAFKA_PARTITION_INVALID") mine.partition = errorLine(be);
      if (be.code === "KAFKA_RECORD_TOO_LARGE") mine.value = errorLine(be);
      if (be.code === "KAFKA_TOPIC_MISSING") topicError = errorLine(be);
      if (topicError) p.setTopicError(topicError);
      if (Object.keys(mine).length || topicError) {
        setErrors(mine);
        setFieldsFailed(true);
      } else setFailure(be);
    } finally {
      busy.current = false;
      setSending(false);
    }
  }

  function submit(e?: Event) {
    e?.preventDefault();
    if (busy.current) return;
    if (!p.topic) {
      p.setTopicError(t("send.topic.pick"));
      return;
    }
    const local = localProblems(d);
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(`send.local.${v}`)])));
      return;
    }
    void send(toInput(p.topic.name, d), path);
  }

  const json = d.format === "json" ? jsonProblem(d.value) : null;
  const valueBytes = encoder.encode(d.value).length;
  const shown = results.last ? results[results.last] : undefined;
  const other = shown && results.last ? results[results.last === "kafka" ? "rest" : "kafka"] : undefined;

  return (
    <div class="send-panel">
      <form
        class="send-form"
        data-testid="send-form"
        noValidate
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
      >
        <Field name="send-key" label={t("send.key")} hint={t("send.key.hint")}>
          <input {...control("send-key", errors.key)} value={d.key} spellcheck={false} placeholder={t("send.key.placeholder")} onInput={(e) => (set({ key: e.currentTarget.value }), clearError("key"))} />
        </Field>

        <div class={errors.value ? "field invalid" : "field"}>
          <div class="value-head">
            <label for="f-send-value">{t("send.value")}</label>
            <div class="segmented" role="group" aria-label={t("send.format")}>
              <button type="button" data-testid="send-format-text" aria-pressed={d.format === "text"} onClick={() => set({ format: "text" })}>
                {t("send.format.text")}
              </button>
              <button type="button" data-testid="send-format-json" aria-pressed={d.format === "json"} onClick={() => set({ format: "json" })}>
                JSON
              </button>
            </div>
            {d.format === "json" ? (
              <button
                type="button"
                class="ghost"
                data-testid="send-pretty"
                disabled={json !== null}
                onClick={() => {
                  const pretty = prettyJson(d.value);
                  if (pretty !== null) set({ value: pretty });
                }}
              >
                {t("send.pretty")}
              </button>
            ) : null}
          </div>
          <textarea
            {...control("send-value", errors.value)}
            class="mono"
            rows={8}
            spellcheck={false}
            value={d.value}
            placeholder={d.format === "json" ? '{"id": 1, "status": "created"}' : t("send.value.placeholder")}
            onInput={(e) => (set({ value: e.currentTarget.value }), clearError("value"))}
          />
          {errors.value ? (
            <small id="err-send-value" class="field-error" role="alert" data-testid="error-send-value">
              {errors.value}
            </small>
          ) : d.format === "json" ? (
            <small id="hint-send-value" class={json === null ? "hint json-ok" : "hint json-bad"} data-testid="send-json-status" data-valid={json === null ? "true" : "false"}>
              {json === null ? `✓ ${t("send.json.valid")}` : json === "" ? t("send.json.empty") : t("send.json.invalid", { why: json })}
              {" · "}
              {fmtBytes(valueBytes)}
            </small>
          ) : (
            <small id="hint-send-value" class="hint">
              {t("send.value.hint")} · {fmtBytes(valueBytes)}
            </small>
          )}
        </div>

        <HeadersEditor prefix="send" rows={d.headers} error={errors.headers} onChange={(headers) => (set({ headers }), clearError("headers"))} />

        <PartitionChooser
          prefix="send"
          mode={d.partitionMode}
          value={d.partition}
          partitions={p.topic?.partitions ?? null}
          error={errors.partition}
          onChange={(partitionMode, partition) => (set({ partitionMode, partition }), clearError("partition"))}
          autoHint={<KeyHint keyText={d.key} partitions={p.topic?.partitions ?? 0} />}
        />

        <details class="send-more" open={!!(d.timestamp || d.acks !== "all" || d.compression !== "none" || errors.timestamp)}>
          <summary>{t("send.more")}</summary>
          <div class="send-more-grid">
            <Field name="send-timestamp" label={t("send.timestamp")} error={errors.timestamp} hint={t("send.timestamp.hint")}>
              <div class="with-button">
                <input {...control("send-timestamp", errors.timestamp)} type="datetime-local" step={1} value={d.timestamp} onInput={(e) => (set({ timestamp: e.currentTarget.value }), clearError("timestamp"))} />
                {d.timestamp ? (
                  <button type="button" class="ghost" data-testid="send-timestamp-clear" onClick={() => set({ timestamp: "" })}>
                    {t("send.timestamp.clear")}
                  </button>
                ) : null}
              </div>
            </Field>
            <AcksField id="send-acks" value={d.acks} onChange={(acks) => set({ acks })} />
            <CompressionField id="send-compression" value={d.compression} onChange={(compression) => set({ compression })} />
          </div>
        </details>

        {p.restAvailable ? (
          <fieldset class="send-path">
            <legend>{t("send.path")}</legend>
            <label class="radio">
              <input type="radio" name="send-path" data-testid="send-path-kafka" checked={path === "kafka"} onChange={() => (sendPath.value = "kafka")} />
              {t("send.path.kafka")}
            </label>
            <label class="radio">
              <input type="radio" name="send-path" data-testid="send-path-rest" checked={path === "rest"} onChange={() => (sendPath.value = "rest")} />
              {t("send.path.rest")}
            </label>
            <small class="hint">{path === "rest" ? t("send.path.restHint") : t("send.path.kafkaHint")}</small>
          </fieldset>
        ) : null}

        <div class="actions send-actions">
          <span class="muted small kbd-hint">{isMac ? "⌘" : "Ctrl"}+Enter</span>
          <button type="submit" class="primary" data-testid="send-submit" disabled={sending} aria-busy={sending}>
            {sending ? (
              <>
                <span class="spinner" aria-hidden="true" /> {t("send.sending")}
              </>
            ) : p.topic ? (
              t("send.submitTo", { topic: clip(p.topic.name, 40) })
            ) : (
              t("send.submit")
            )}
          </button>
        </div>
      </form>

      <div class="send-outcome">
        {sending ? (
          <p class="muted" data-testid="send-status" data-state="sending">
            <span class="spinner" aria-hidden="true" /> {t("send.sending")}
          </p>
        ) : fieldsFailed ? (
          <p class="field-error" data-testid="send-status" data-state="invalid">
            {t("send.fixFields")}
          </p>
        ) : null}
        {failure ? <ErrorView error={failure} where={whereOf(p.target)} testid="send-failure" title={t("send.failed")} /> : null}
        {shown && !failure ? <SendResultView sent={shown} other={other ?? null} /> : null}
        {!shown && !failure && !sending ? <p class="muted small send-empty">{t("send.result.empty")}</p> : null}
      </div>

      <History
        target={p.target}
        sending={sending}
        onResend={(entry) => {
          if (!p.topics.some((x) => x.name === entry.input.topic)) {
            p.setTopicError(t("send.history.topicGone", { topic: entry.input.topic }));
            return;
          }
          p.setTopic(entry.input.topic);
          void send(entry.input, entry.via === "rest" && p.restAvailable ? "rest" : "kafka");
        }}
      />
      <Templates topic={p.topic?.name ?? ""} topics={p.topics} setTopic={p.setTopic} />
    </div>
  );
}

/** "Key “k” → partition 3 of 6": asked of the backend (Java's murmur2) as the key is typed. */
function KeyHint({ keyText, partitions }: { keyText: string; partitions: number }) {
  const [where, setWhere] = useState<{ key: string; partitions: number; p: number | null } | null>(null);
  useEffect(() => {
    if (keyText === "" || partitions <= 0) return;
    let live = true;
    const timer = setTimeout(() => {
      commands.keyPartition(keyText, partitions).then(
        (p) => live && setWhere({ key: keyText, partitions, p }),
        () => undefined,
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [keyText, partitions]);
  if (keyText === "") return <span data-testid="send-key-hint">{t("send.partition.autoNoKey")}</span>;
  const known = where && where.key === keyText && where.partitions === partitions && where.p != null;
  return (
    <span data-testid="send-key-hint" data-partition={known ? String(where.p) : ""}>
      {known ? t("send.partition.autoKeyed", { key: clip(keyText, 30), p: String(where.p), n: String(partitions) }) : t("send.partition.autoKey")}
    </span>
  );
}
