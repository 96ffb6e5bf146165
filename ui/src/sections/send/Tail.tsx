// The live tail: the last N records of each partition, then every new one, newest first. Values
// arrive as previews (at most 2 KB); "Show all" fetches one whole record into a read-only textarea.
import { Component } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../../api";
import { type ShownView_Serialize as Shown, type TailRecordView_Serialize as TailRecord, events } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { Modal } from "../../components/Modal";
import { fmtBytes, fmtTime } from "../../format";
import { t } from "../../i18n";
import { whereOf } from "./common";
import { type Target, type TopicInfo, clip, newId } from "./model";

/** Rows kept in memory (and on screen); older ones are dropped as new ones come. */
export const MAX_ROWS = 1000;
export const DEFAULT_LAST = 20;

interface Row extends TailRecord {
  /** partition/offset, unique within a tail. */
  id: string;
}

export interface Highlight {
  partition: number;
  offset: number | null;
}

export function TailPanel({ target, topic, highlight }: { target: Target; topic: TopicInfo | null; highlight: Highlight | null }) {
  const [partition, setPartition] = useState<"all" | number>("all");
  const [last, setLast] = useState(String(DEFAULT_LAST));
  const [applied, setApplied] = useState(DEFAULT_LAST);
  const [rows, setRows] = useState<Row[]>([]);
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const [state, setState] = useState<"idle" | "starting" | "live">("idle");
  const [restart, setRestart] = useState(0);
  const [open, setOpen] = useState<Row | null>(null);
  const tailId = useRef<string | null>(null);
  const topicName = topic?.name ?? null;
  const partitions = topic?.partitions ?? 0;

  // A partition that isn't there any more (another topic) falls back to all.
  useEffect(() => {
    if (partition !== "all" && partition >= partitions) setPartition("all");
  }, [topicName, partitions]);

  useEffect(() => {
    setRows([]);
    setError(null);
    setPaused(false);
    if (!topicName) {
      setState("idle");
      return;
    }
    const id = newId();
    tailId.current = id;
    setState("starting");
    let live = true;
    let stopListening: (() => void) | undefined;
    void (async () => {
      try {
        stopListening = await events.tailBatch.listen((e) => {
          const b = e.payload;
          if (!live || b.tail_id !== id) return;
          if (b.error) {
            setError(b.error);
            setState("idle");
          }
          if (b.records.length) {
            const fresh = b.records.map((r) => ({ ...r, id: `${r.partition}/${r.offset}` })).reverse();
            setRows((old) => {
              const seen = new Set(fresh.map((r) => r.id));
              return [...fresh, ...old.filter((r) => !seen.has(r.id))].slice(0, MAX_ROWS);
            });
          }
        });
      } catch {
        // Without events nothing would arrive; the start below still reports real failures.
      }
      if (!live) {
        stopListening?.();
        return;
      }
      try {
        await call(commands.startTail(target, id, topicName, partition === "all" ? null : partition, applied));
        if (live) setState((s) => (s === "starting" ? "live" : s));
        // Stopped while starting: the backend only now holds it, so stop it now.
        else void call(commands.stopTail(id)).catch(() => undefined);
      } catch (err) {
        if (live) {
          setError(asBridgeError(err));
          setState("idle");
        }
      }
    })();
    return () => {
      live = false;
      stopListening?.();
      if (tailId.current === id) tailId.current = null;
      // Always ask: a start still under way is caught above, a finished one is stopped here.
      void call(commands.stopTail(id)).catch(() => undefined);
    };
  }, [target.connection_id, target.environment_id, target.cluster_id, topicName, partition, applied, restart]);

  async function togglePause() {
    const id = tailId.current;
    if (!id) return;
    const next = !paused;
    setPaused(next);
    try {
      await commands.setTailPaused(id, next);
    } catch {
      setPaused(!next);
    }
  }

  function applyLast() {
    const n = Math.max(0, Math.min(10_000, Math.floor(Number(last))));
    if (!Number.isFinite(n)) return;
    setLast(String(n));
    if (n !== applied) setApplied(n);
  }

  return (
    <section class="card tail-panel" aria-labelledby="h-tail" data-testid="tail-panel" data-state={paused ? "paused" : state}>
      <div class="card-head">
        <h2 id="h-tail">
          {t("tail.title")}
          {state === "live" && !paused ? <span class="live-dot" aria-hidden="true" /> : null}
        </h2>
        <div class="actions">
          <button type="button" data-testid="tail-pause" disabled={state !== "live"} aria-pressed={paused} onClick={() => void togglePause()}>
            {paused ? t("tail.resume") : t("tail.pause")}
          </button>
          <button type="button" class="ghost" data-testid="tail-clear" disabled={!rows.length} onClick={() => setRows([])}>
            {t("tail.clear")}
          </button>
        </div>
      </div>
      <div class="tail-controls">
        <label>
          <span>{t("tail.partition")}</span>
          <select
            data-testid="tail-partition"
            value={partition === "all" ? "all" : String(partition)}
            disabled={!topic}
            onChange={(e) => setPartition(e.currentTarget.value === "all" ? "all" : Number(e.currentTarget.value))}
          >
            <option value="all">{t("tail.allPartitions", { n: String(partitions) })}</option>
            {Array.from({ length: Math.min(partitions, 1000) }, (_, i) => (
              <option key={i} value={String(i)}>
                {t("send.result.partitionN", { n: String(i) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("tail.last")}</span>
          <input
            type="number"
            min={0}
            max={10000}
            data-testid="tail-last"
            value={last}
            onInput={(e) => setLast(e.currentTarget.value)}
            onChange={applyLast}
            onKeyDown={(e) => e.key === "Enter" && applyLast()}
          />
        </label>
      </div>
      <p class="muted small tail-status" data-testid="tail-status" role="status">
        {!topic
          ? t("tail.noTopic")
          : paused
            ? t("tail.paused", { n: String(rows.length) })
            : state === "starting"
              ? t("tail.starting", { topic: topic.name })
              : state === "live"
                ? t("tail.following", { topic: topic.name, n: String(rows.length), max: String(MAX_ROWS) })
                : t("tail.stopped")}
      </p>
      {error ? <ErrorView error={error} where={whereOf(target)} testid="tail-error" title={t("tail.failed")} onRetry={() => setRestart((n) => n + 1)} /> : null}
      {rows.length ? (
        <div class="tail-scroll">
          <table class="tail-table" data-testid="tail-table">
            <thead>
              <tr>
                <th class="num">{t("tail.col.partition")}</th>
                <th class="num">{t("tail.col.offset")}</th>
                <th>{t("tail.col.time")}</th>
                <th>{t("tail.col.key")}</th>
                <th>{t("tail.col.value")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <TailRow key={r.id} row={r} hot={!!highlight && highlight.partition === r.partition && highlight.offset === r.offset} onOpen={setOpen} />
              ))}
            </tbody>
          </table>
        </div>
      ) : topic && state === "live" && !error ? (
        <p class="muted small" data-testid="tail-empty">
          {t("tail.empty")}
        </p>
      ) : null}
      {open && topic ? <FullRecord target={target} topic={topic.name} row={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

/** A preview: text (cut, with its size when cut), "binary · size", or "null". */
function Preview({ v, testid }: { v: Shown | null; testid: string }) {
  if (!v) return <span class="muted" data-testid={testid}>null</span>;
  if (v.text == null)
    return (
      <span class="muted" data-testid={testid}>
        {t("tail.binary", { size: fmtBytes(v.size) })}
      </span>
    );
  return (
    <span data-testid={testid} data-truncated={v.truncated ? "true" : "false"}>
      <span class="preview-text">{clip(v.text, 300)}</span>
      {v.truncated || v.text.length > 300 ? <span class="muted size-note"> … {fmtBytes(v.size)}</span> : null}
    </span>
  );
}

interface RowProps {
  row: Row;
  hot: boolean;
  onOpen: (r: Row) => void;
}

/** One record; rows are immutable, so a row re-renders only when it or its highlight changes. */
class TailRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps) {
    return next.row !== this.props.row || next.hot !== this.props.hot;
  }
  override render() {
    return <TailRowView {...this.props} />;
  }
}

function TailRowView({ row, hot, onOpen }: RowProps) {
  const big = !!(row.value?.truncated || row.key?.truncated || row.headers.some(([, v]) => v.truncated) || (row.value?.text?.length ?? 0) > 300);
  return (
    <tr class={hot ? "tail-row hot" : "tail-row"} data-testid="tail-row" data-partition={row.partition} data-offset={row.offset ?? ""}>
      <td class="num">{row.partition}</td>
      <td class="num mono">{row.offset}</td>
      <td class="nowrap small" title={row.timestamp_ms != null ? new Date(row.timestamp_ms).toISOString() : undefined}>
        {fmtTime(row.timestamp_ms).slice(11)}
      </td>
      <td class="mono cell-key">
        <Preview v={row.key} testid="tail-key" />
      </td>
      <td class="mono cell-value">
        <Preview v={row.value} testid="tail-value" />
        {row.headers.length ? (
          <div class="tail-headers" data-testid="tail-headers">
            {row.headers.map(([name, v], i) => (
              <span key={i} class="header-chip">
                {name}={v.text == null ? t("tail.binary", { size: fmtBytes(v.size) }) : clip(v.text, 60)}
              </span>
            ))}
          </div>
        ) : null}
        {big ? (
          <button type="button" class="ghost show-all" data-testid="tail-show-all" onClick={() => onOpen(row)}>
            {t("tail.showAll")}
          </button>
        ) : null}
      </td>
    </tr>
  );
}


/** The whole record, in read-only textareas (a 20 MB value is one text node, not a huge DOM). */
function FullRecord({ target, topic, row, onClose }: { target: Target; topic: string; row: Row; onClose: () => void }) {
  const [full, setFull] = useState<TailRecord | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  useEffect(() => {
    let live = true;
    call(commands.fetchRecord(target, topic, row.partition, row.offset)).then(
      (r) => live && setFull(r),
      (e) => live && setError(asBridgeError(e)),
    );
    return () => {
      live = false;
    };
  }, [row.id]);
  const block = (label: string, v: Shown | null, testid: string) => (
    <div class="full-block">
      <div class="full-head">
        <strong>{label}</strong>
        <span class="muted small">{v ? fmtBytes(v.size) : "null"}</span>
      </div>
      {v == null ? (
        <p class="muted">null</p>
      ) : v.text == null ? (
        <p class="muted">{t("tail.binary", { size: fmtBytes(v.size) })}</p>
      ) : (
        <textarea readOnly class="mono" data-testid={testid} rows={testid === "tail-full-value" ? 14 : 2} value={v.text} />
      )}
      {v?.truncated ? <small class="muted">{t("tail.stillCut")}</small> : null}
    </div>
  );
  return (
    <Modal class="full-record" testid="tail-full" labelledBy="full-title" onEscape={() => onClose()}>
      <h2 id="full-title">{t("tail.full.title", { topic, p: String(row.partition), o: String(row.offset) })}</h2>
      {error ? <ErrorView error={error} where={whereOf(target)} testid="tail-full-error" /> : null}
      {!full && !error ? (
        <p class="muted" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t("common.loading")}
        </p>
      ) : null}
      {full ? (
        <div class="full-body">
          <p class="muted small">{fmtTime(full.timestamp_ms)}</p>
          {block(t("send.key"), full.key, "tail-full-key")}
          {block(t("send.value"), full.value, "tail-full-value")}
          {full.headers.length ? (
            <div class="full-block">
              <strong>{t("send.headers")}</strong>
              <ul class="full-headers">
                {full.headers.map(([name, v], i) => (
                  <li key={i}>
                    <code>{name}</code>: <span class="mono">{v.text == null ? t("tail.binary", { size: fmtBytes(v.size) }) : v.text}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
      <div class="actions">
        <button type="button" autofocus data-testid="tail-full-close" onClick={onClose}>
          {t("tail.full.close")}
        </button>
      </div>
    </Modal>
  );
}
