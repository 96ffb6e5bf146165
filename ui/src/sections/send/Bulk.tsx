// Bulk send: many records from templates or from a file (lines / JSON lines), with live progress,
// Cancel, and a summary grouping the failures by cause. A run outlives the panel: its state is
// kept in the section's state (state.ts), so leaving the section and coming back still shows it.
import { useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import { type BulkSummary, type Preview, events } from "../../bindings";
import { ErrorView } from "../../components/ErrorView";
import { Field, control } from "../../components/Field";
import { errorLine, errorText } from "../../errors";
import { fmtBytes, fmtCount, fmtMs } from "../../format";
import { type Key, t } from "../../i18n";
import { AcksField, CompressionField, HeadersEditor, PartitionChooser, whereOf } from "./common";
import { type Target, type TopicInfo, newId } from "./model";
import { type BulkDraft, type BulkRun, bulkDraft, bulkRun } from "./state";
import { problemText } from "../../problems";
import { useCommand } from "../../useCommand";

/** Files above this are refused before reading (they travel to the backend whole). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

function update(jobId: string, change: Partial<BulkRun>) {
  if (bulkRun.value?.jobId === jobId) bulkRun.value = { ...bulkRun.value, ...change };
}

/** Starts a run: listens to its progress first, then asks the backend, which answers when done. */
async function startBulk(target: Target, input: Parameters<typeof commands.bulkSend>[1], onTopicError: (m: string) => void) {
  const jobId = input.job_id;
  bulkRun.value = { jobId, topic: input.topic, running: true, cancelling: false, progress: null, summary: null, failure: null, fields: {} };
  let stop: (() => void) | undefined;
  try {
    stop = await events.bulkProgress.listen((e) => {
      if (e.payload.job_id === jobId && bulkRun.value?.running) update(jobId, { progress: e.payload });
    });
  } catch {
    // No progress events: the summary still comes.
  }
  try {
    const summary = await call(commands.bulkSend(target, input));
    update(jobId, { running: false, cancelling: false, summary, progress: summary.progress });
  } catch (e) {
    const be = asBridgeError(e);
    const fields = { ...(be.fields ?? {}) };
    if (fields.topic) onTopicError(fields.topic);
    if (be.code === "KAFKA_TOPIC_MISSING") onTopicError(errorLine(be));
    if (be.code === "KAFKA_PARTITION_INVALID") fields.partition = errorLine(be);
    delete fields.topic;
    const onFields = Object.keys(fields).length > 0 || be.code === "KAFKA_TOPIC_MISSING" || !!be.fields?.topic;
    update(jobId, { running: false, cancelling: false, failure: onFields ? null : be, fields });
  } finally {
    stop?.();
  }
}

/** Which error a change of a draft field answers. */
const ERROR_OF: Record<keyof BulkDraft, string> = {
  source: "file",
  fileKind: "file",
  count: "count",
  keyTemplate: "key_template",
  valueTemplate: "value_template",
  headers: "headers",
  file: "file",
  partitionMode: "partition",
  partition: "partition",
  acks: "acks",
  compression: "compression",
};

function countLines(text: string): number {
  let n = 0;
  for (const line of text.split("\n")) if (line.trim() !== "") n++;
  return n;
}

export function BulkPanel({ target, topic, setTopicError }: { target: Target; topic: TopicInfo | null; setTopicError: (m: string | null) => void }) {
  const d = bulkDraft.value;
  const run = bulkRun.value;
  const [local, setLocal] = useState<Record<string, string>>({});
  const [reading, setReading] = useState(false);
  const running = !!run?.running;
  const errors: Record<string, string> = { ...(run && !run.running ? run.fields : {}), ...local };
  const set = (change: Partial<BulkDraft>) => {
    bulkDraft.value = { ...bulkDraft.value, ...change };
    // Editing a field clears its error (from here or from the backend).
    const cleared = new Set(Object.keys(change).map((k) => ERROR_OF[k as keyof BulkDraft]));
    const keep = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).filter(([k]) => !cleared.has(k)));
    if (Object.keys(local).some((k) => cleared.has(k))) setLocal(keep(local));
    if (run && !run.running && Object.keys(run.fields).some((k) => cleared.has(k))) bulkRun.value = { ...run, fields: keep(run.fields) };
  };

  // The preview is rendered by the backend's own template code (gureum_kafka::template), a
  // moment after typing stops; an answer for older text is dropped by useCommand.
  const shownHeaders = d.headers.filter((h) => h.name || h.value);
  const texts = [d.keyTemplate, d.valueTemplate, ...shownHeaders.map((h) => h.value)];
  const rendered = useCommand(
    d.source === "template" ? () => delay(PREVIEW_DELAY_MS).then(() => commands.previewTemplates(texts, 0)) : null,
    [d.source, JSON.stringify(texts)],
  ).data;
  // Until the answer for these texts arrives, an older one may have fewer entries: show none.
  const preview = rendered?.length !== texts.length ? null : {
    key: d.keyTemplate ? rendered[0]! : null,
    value: rendered[1]!,
    headers: shownHeaders.map((h, i) => [h.name, rendered[i + 2]!] as const),
  };
  const placeholders = useCommand(() => commands.templatePlaceholders(), []).data ?? [];

  async function pickFile(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setLocal({ file: t("bulk.file.tooLarge", { size: fmtBytes(file.size), max: fmtBytes(MAX_FILE_BYTES) }) });
      return;
    }
    setReading(true);
    try {
      const text = await file.text();
      set({ file: { name: file.name, size: file.size, text, lines: countLines(text) }, fileKind: /\.(jsonl|ndjson)$/i.test(file.name) ? "json_lines" : d.fileKind });
    } catch (e) {
      setLocal({ file: t("bulk.file.unreadable", { why: String(e) }) });
    } finally {
      setReading(false);
    }
  }

  function start(e: Event) {
    e.preventDefault();
    if (running) return;
    setTopicError(null);
    if (!topic) {
      setTopicError(t("send.topic.pick"));
      return;
    }
    const problems: Record<string, string> = {};
    if (d.source === "template" && d.count.trim() === "") problems.count = t("bulk.count.required");
    if (d.source === "file" && !d.file) problems.file = t("bulk.file.required");
    if (d.partitionMode === "explicit" && d.partition.trim() === "") problems.partition = t("send.local.partitionMissing");
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const template = d.source === "template";
    void startBulk(
      target,
      {
        job_id: newId(),
        topic: topic.name,
        partition: d.partitionMode === "auto" ? null : Number(d.partition),
        source: template ? "template" : d.fileKind,
        count: template ? Number(d.count) : 0,
        key_template: template && d.keyTemplate !== "" ? d.keyTemplate : null,
        value_template: template ? d.valueTemplate : "",
        headers: template ? d.headers.filter((h) => h.name !== "" || h.value !== "") : [],
        text: template ? null : (d.file?.text ?? ""),
        acks: d.acks,
        compression: d.compression,
      },
      (m) => setTopicError(m),
    );
  }

  async function cancel() {
    if (!run?.running) return;
    update(run.jobId, { cancelling: true });
    try {
      await commands.cancelBulk(run.jobId);
    } catch {
      update(run.jobId, { cancelling: false });
    }
  }

  return (
    <div class="bulk-panel" data-testid="bulk-panel">
      <form class="bulk-form" onSubmit={start} noValidate data-testid="bulk-form">
        <fieldset class="segmented-field">
          <legend>{t("bulk.source")}</legend>
          <div class="segmented" role="group">
            <button type="button" data-testid="bulk-source-template" aria-pressed={d.source === "template"} disabled={running} onClick={() => set({ source: "template" })}>
              {t("bulk.source.template")}
            </button>
            <button type="button" data-testid="bulk-source-file" aria-pressed={d.source === "file"} disabled={running} onClick={() => set({ source: "file" })}>
              {t("bulk.source.file")}
            </button>
          </div>
        </fieldset>

        {d.source === "template" ? (
          <>
            <Field name="bulk-count" label={t("bulk.count")} error={errors.count} hint={t("bulk.count.hint")}>
              <input {...control("bulk-count", errors.count)} type="number" inputMode="numeric" min={1} value={d.count} disabled={running} onInput={(e) => set({ count: e.currentTarget.value })} />
            </Field>
            <Field name="bulk-key" label={t("bulk.keyTemplate")} error={errors.key_template} hint={t("bulk.keyTemplate.hint")}>
              <input {...control("bulk-key", errors.key_template)} class="mono" spellcheck={false} value={d.keyTemplate} disabled={running} onInput={(e) => set({ keyTemplate: e.currentTarget.value })} />
            </Field>
            <Field name="bulk-value" label={t("bulk.valueTemplate")} error={errors.value_template}>
              <textarea
                {...control("bulk-value", errors.value_template)}
                class="mono"
                rows={4}
                spellcheck={false}
                value={d.valueTemplate}
                disabled={running}
                onInput={(e) => set({ valueTemplate: e.currentTarget.value })}
              />
            </Field>
            <HeadersEditor prefix="bulk" rows={d.headers} error={errors.headers} valuePlaceholder="{{uuid}}" onChange={(headers) => set({ headers })} />
            <details class="placeholder-help" data-testid="bulk-help">
              <summary>{t("bulk.help")}</summary>
              <dl>
                {placeholders.map((ph, i) => (
                  <div key={ph}>
                    <dt>
                      <code>{ph}</code>
                    </dt>
                    <dd>{t(`bulk.ph.${i}` as Key)}</dd>
                  </div>
                ))}
              </dl>
            </details>
            <div class="bulk-preview" data-testid="bulk-preview">
              <h4>{t("bulk.preview")}</h4>
              <dl>
                <dt>{t("send.key")}</dt>
                <dd class="mono" data-testid="bulk-preview-key">
                  {!preview ? "…" : preview.key === null ? <span class="muted">{t("send.noKey")}</span> : <Shown p={preview.key} />}
                </dd>
                <dt>{t("send.value")}</dt>
                <dd class="mono" data-testid="bulk-preview-value">
                  {preview ? <Shown p={preview.value} /> : "…"}
                </dd>
                {preview?.headers.map(([name, v], i) => (
                  <div key={i} class="contents">
                    <dt>{name || "—"}</dt>
                    <dd class="mono">
                      <Shown p={v} />
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          </>
        ) : (
          <>
            <div class={errors.file ? "field invalid" : "field"}>
              <label for="f-bulk-file">{t("bulk.file")}</label>
              <input
                id="f-bulk-file"
                type="file"
                data-testid="bulk-file"
                accept=".txt,.jsonl,.ndjson,.json,.csv,.log,text/plain,application/json"
                disabled={running || reading}
                aria-invalid={errors.file ? true : undefined}
                aria-describedby={errors.file ? "err-bulk-file" : "hint-bulk-file"}
                onChange={(e) => void pickFile(e.currentTarget)}
              />
              {errors.file ? (
                <small id="err-bulk-file" class="field-error" role="alert" data-testid="error-bulk-file">
                  {errors.file}
                </small>
              ) : (
                <small id="hint-bulk-file" class="hint" data-testid="bulk-file-info">
                  {reading ? t("common.loading") : d.file ? t("bulk.file.info", { name: d.file.name, lines: fmtCount(d.file.lines), size: fmtBytes(d.file.size) }) : t("bulk.file.hint")}
                </small>
              )}
            </div>
            <fieldset class="bulk-filekind">
              <legend>{t("bulk.file.kind")}</legend>
              <label class="radio">
                <input type="radio" name="bulk-filekind" data-testid="bulk-kind-lines" checked={d.fileKind === "lines"} disabled={running} onChange={() => set({ fileKind: "lines" })} />
                {t("bulk.file.lines")}
              </label>
              <label class="radio">
                <input type="radio" name="bulk-filekind" data-testid="bulk-kind-json" checked={d.fileKind === "json_lines"} disabled={running} onChange={() => set({ fileKind: "json_lines" })} />
                {t("bulk.file.jsonLines")}
              </label>
              <small class="hint">{d.fileKind === "lines" ? t("bulk.file.linesHint") : t("bulk.file.jsonLinesHint")}</small>
            </fieldset>
          </>
        )}

        <PartitionChooser
          prefix="bulk"
          mode={d.partitionMode}
          value={d.partition}
          partitions={topic?.partitions ?? null}
          error={errors.partition}
          onChange={(partitionMode, partition) => set({ partitionMode, partition })}
          autoHint={t("bulk.partition.autoHint")}
        />
        <div class="send-more-grid">
          <AcksField id="bulk-acks" value={d.acks} disabled={running} onChange={(acks) => set({ acks })} />
          <CompressionField id="bulk-compression" value={d.compression} disabled={running} onChange={(compression) => set({ compression })} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" data-testid="bulk-start" disabled={running || reading}>
            {running ? t("bulk.running") : topic ? t("bulk.startTo", { topic: topic.name }) : t("bulk.start")}
          </button>
        </div>
      </form>

      {run ? <BulkStatus run={run} target={target} onCancel={cancel} /> : null}
    </div>
  );
}

function BulkStatus({ run, target, onCancel }: { run: BulkRun; target: Target; onCancel: () => void }) {
  const p = run.progress;
  const total = p?.total ?? 0;
  const acked = p?.acked ?? 0;
  const failed = p?.failed ?? 0;
  const pct = (n: number) => (total > 0 ? Math.min(100, (n / total) * 100) : 0);
  return (
    <section class="bulk-status" aria-labelledby="h-bulk-status" data-testid="bulk-status">
      <h3 id="h-bulk-status">{t("bulk.status.title", { topic: run.topic })}</h3>
      {run.failure ? <ErrorView error={run.failure} where={whereOf(target)} testid="bulk-failure" title={t("bulk.failed")} /> : null}
      {run.running || p ? (
        <div class="bulk-progress" data-testid="bulk-progress" data-acked={acked} data-failed={failed} data-total={total}>
          <div class="bar" role="progressbar" aria-label={t("bulk.progress")} aria-valuemin={0} aria-valuemax={total || undefined} aria-valuenow={acked}>
            <div class="bar-acked" data-testid="bulk-bar" style={{ width: `${pct(acked)}%` }} />
            <div class="bar-failed" style={{ width: `${pct(failed)}%` }} />
          </div>
          <p class="bulk-counts" data-testid="bulk-counts">
            {t("bulk.counts", { acked: fmtCount(acked), total: total ? fmtCount(total) : "…", pct: total ? pct(acked).toFixed(0) : "0" })}
            {failed ? <span class="field-error"> · {t("bulk.failedN", { n: fmtCount(failed) })}</span> : null}
            {run.running && p?.queued != null ? <span class="muted"> · {t("bulk.queued", { n: fmtCount(p.queued) })}</span> : null}
          </p>
          <p class="bulk-rate" data-testid="bulk-rate">
            <strong>{fmtCount(p?.records_per_sec ?? 0)}</strong> {t("bulk.recordsPerSec")} · <strong>{(p?.mb_per_sec ?? 0).toFixed(2)}</strong> MB/s · {fmtMs(p?.elapsed_ms ?? 0)}
          </p>
        </div>
      ) : null}
      {run.running ? (
        <div class="actions start">
          <button type="button" class="danger" data-testid="bulk-cancel" disabled={run.cancelling} onClick={onCancel}>
            {run.cancelling ? t("bulk.cancelling") : t("bulk.cancel")}
          </button>
        </div>
      ) : null}
      {run.summary ? <Summary s={run.summary} /> : null}
    </section>
  );
}

function Summary({ s }: { s: BulkSummary }) {
  const p = s.progress;
  return (
    <div class="bulk-summary" data-testid="bulk-summary" data-cancelled={s.cancelled ? "true" : "false"}>
      <p class={s.cancelled ? "summary-head cancelled" : (p.failed ?? 0) > 0 ? "summary-head partial" : "summary-head ok"}>
        {s.cancelled ? t("bulk.summary.cancelled") : (p.failed ?? 0) > 0 ? t("bulk.summary.partial") : t("bulk.summary.ok")}
      </p>
      <dl class="summary-facts">
        <div>
          <dt>{t("bulk.summary.acked")}</dt>
          <dd data-testid="summary-acked">{fmtCount(p.acked)}</dd>
        </div>
        <div>
          <dt>{t("bulk.summary.failed")}</dt>
          <dd data-testid="summary-failed">{fmtCount(p.failed)}</dd>
        </div>
        <div>
          <dt>{t("bulk.summary.notSent")}</dt>
          <dd data-testid="summary-not-sent">{fmtCount(s.not_sent)}</dd>
        </div>
        <div>
          <dt>{t("bulk.summary.elapsed")}</dt>
          <dd data-testid="summary-elapsed">{fmtMs(p.elapsed_ms)}</dd>
        </div>
        <div>
          <dt>{t("bulk.summary.rate")}</dt>
          <dd data-testid="summary-rate">
            {fmtCount(p.records_per_sec)} {t("bulk.recordsPerSec")} · {(p.mb_per_sec ?? 0).toFixed(2)} MB/s
          </dd>
        </div>
      </dl>
      {s.errors.length ? (
        <table class="table bulk-errors" data-testid="bulk-errors">
          <caption>{t("bulk.errors.title")}</caption>
          <thead>
            <tr>
              <th>{t("bulk.errors.message")}</th>
              <th>{t("bulk.errors.cause")}</th>
              <th class="num">{t("bulk.errors.count")}</th>
            </tr>
          </thead>
          <tbody>
            {s.errors.map((g, i) => (
              <tr key={i} data-testid="bulk-error-group" data-code={g.code}>
                <td>
                  {errorText(g).text}
                  {g.refused ? null : <span class="muted small"> · {g.message}</span>}
                </td>
                <td>
                  <code>{g.cause}</code>
                  <span class="muted small"> · {g.code}</span>
                </td>
                <td class="num" data-testid="bulk-error-count">
                  {fmtCount(g.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** How long typing must pause before the preview is asked for. */
const PREVIEW_DELAY_MS = 120;

const delay = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** One rendered template, or what is wrong with it. */
function Shown({ p }: { p: Preview }) {
  return p.kind === "text" ? <>{p.text}</> : <span class="field-error">{problemText(p.problem)}</span>;
}
