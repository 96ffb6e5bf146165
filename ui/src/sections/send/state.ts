// What the Send section keeps while the window lives, so leaving the section and coming back keeps
// what was typed and a bulk run still on show; `resetSend` forgets it. (History, templates and the
// history settings are stored on disk: storage.ts.)
import { signal } from "@preact/signals";

import type { BridgeError } from "../../api";
import type { BulkProgress, BulkSummary } from "../../bindings";
import { type Acks, type Compression, type Draft, type HeaderInput, type SendPath, emptyDraft } from "./model";

export interface BulkDraft {
  source: "template" | "file";
  fileKind: "lines" | "json_lines";
  count: string;
  keyTemplate: string;
  valueTemplate: string;
  headers: HeaderInput[];
  file: { name: string; size: number; text: string; lines: number } | null;
  partitionMode: "auto" | "explicit";
  partition: string;
  acks: Acks;
  compression: Compression;
}

export function emptyBulkDraft(): BulkDraft {
  return {
    source: "template",
    fileKind: "lines",
    count: "1000",
    keyTemplate: "user-{{int 1 100}}",
    valueTemplate: '{"seq": {{seq}}, "id": "{{uuid}}", "at": "{{now_iso}}", "amount": {{float 1 500}}, "status": "{{pick new|paid|shipped}}"}',
    headers: [],
    file: null,
    partitionMode: "auto",
    partition: "0",
    acks: "all",
    compression: "none",
  };
}

export interface BulkRun {
  jobId: string;
  topic: string;
  running: boolean;
  cancelling: boolean;
  progress: BulkProgress | null;
  summary: BulkSummary | null;
  failure: BridgeError | null;
  fields: Record<string, string>;
}

export const sendDraft = signal<Draft>(emptyDraft());
export const sendPath = signal<SendPath>("kafka");
export const sendTab = signal<"send" | "bulk" | "snippets">("send");
/** The topic last picked per cluster (`connection/cluster`). */
export const chosenTopic = signal<Record<string, string>>({});
/** The bulk form as typed, and the run it started (a run outlives the panel). */
export const bulkDraft = signal<BulkDraft>(emptyBulkDraft());
export const bulkRun = signal<BulkRun | null>(null);

export function resetSend() {
  sendDraft.value = emptyDraft();
  sendPath.value = "kafka";
  sendTab.value = "send";
  chosenTopic.value = {};
  bulkDraft.value = emptyBulkDraft();
  bulkRun.value = null;
}
