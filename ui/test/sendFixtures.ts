// Shared set-up for the Send section's tests: a provisioned sandbox cluster with two topics, and a
// clean slate (storage, the session's state) before each test.
import { cleanup } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { ClusterView_Serialize as ClusterView, SendResult_Serialize as SendResult, TopicView } from "../src/bindings";
import { clusterView } from "./fixtures";
import { lang } from "../src/i18n";
import { reloadStored } from "../src/sections/send/storage";
import { resetSession } from "../src/session";
import { activeConnectionId, connections, sandboxStatus, section, shownError } from "../src/state";

export const cluster: ClusterView = clusterView({ name: "orders-cluster" });

export const target = { connection_id: "sandbox", environment_id: "env-1", cluster_id: "lkc-1" };

export const topic = (name: string, partitions: number): TopicView => ({ name, partitions, replication_factor: 3, retention_ms: "604800000", cleanup_policy: "delete" });

/** Commands every Send screen needs: the picker, two topics (audit first, sorted), the tail. */
export const base: Record<string, (args: any) => unknown> = {
  list_environments: () => [{ id: "env-1", name: "dev" }],
  list_clusters: () => [cluster],
  list_topics: () => [topic("orders", 6), topic("audit", 3)],
  start_tail: () => null,
  stop_tail: () => null,
  set_tail_paused: () => null,
  key_partition: () => 3,
  // The template preview as the backend answers it (gureum_kafka::template renders it there;
  // its own tests cover the language): known texts rendered, a bad placeholder refused, the rest as typed.
  preview_templates: ({ texts }: { texts: string[] }) => texts.map(previewOf),
  template_placeholders: () => ["{{seq}}", "{{uuid}}", "{{now}}", "{{now_iso}}", "{{int 1 100}}", "{{float 0 1}}", "{{pick a|b|c}}", "{{string 8}}", "{{bool}}"],
};

const PREVIEWS: Record<string, string> = { "user-{{seq}}": "user-0", '{"n": {{seq}}}': '{"n": 0}', "{{uuid}}": "6f1c0c9e-2b7e-4f4e-9a57-3f0d8c1e2a4b" };

function previewOf(text: string) {
  if (text.includes("{{nope}}")) {
    const error = "Unknown placeholder {{nope}} at character 1.";
    return { kind: "invalid", error, problem: { code: "placeholder_unknown", params: { placeholder: "{{nope}}", at: "1", known: "{{seq}}, {{uuid}}" }, message: error } };
  }
  return { kind: "text", text: PREVIEWS[text] ?? text };
}

export function sendResult(over: Partial<SendResult> = {}): SendResult {
  return {
    topic: "orders",
    partition: 3,
    offset: 41,
    timestamp_ms: 1767225600000,
    timestamp_type: "CreateTime",
    latency_ms: 2.5,
    partitions: 6,
    key_hash: -1234567890,
    key_partition: 3,
    via: "kafka",
    ...over,
  };
}

export function freshState() {
  lang.value = "en";
  shownError.value = null;
  section.value = "send";
  connections.value = [];
  activeConnectionId.value = "sandbox";
  sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
  localStorage.clear();
  sessionStorage.clear();
  reloadStored();
  resetSession();
}

export function tidy() {
  cleanup();
  clearMocks();
}

/** A deferred promise, for commands that answer later (bulk runs). */
export function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
