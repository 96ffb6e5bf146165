// Shared set-up for the Learn tests: the lesson cluster as the sandbox would have it, and a clean
// slate (storage, lesson state, language) before each test.
import { cleanup } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { Handlers } from "./backend";
import type { ApiKeyView_Serialize as ApiKeyView, TopicView_Serialize as TopicView } from "../src/bindings";
import { clusterView } from "./fixtures";
import { lang } from "../src/i18n";
import { timing } from "../src/sections/learn/lab";
import { reloadCostState } from "../src/sections/learn/Lesson4";
import { setWalkActive, walkTiming } from "../src/sections/learn/Lesson7";
import { reloadProgress } from "../src/sections/learn/progress";
import { reloadStored } from "../src/sections/send/storage";
import { resetSession } from "../src/session";
import { activeConnectionId, connections, sandboxStatus, section, shownError } from "../src/state";

export const env = { id: "env-l", name: "learn" };
export const cluster = clusterView({ id: "lkc-l", name: "learn-dedicated", environment_id: "env-l", type: "Dedicated", cku: 2 });
export const target = { connection_id: "sandbox", environment_id: "env-l", cluster_id: "lkc-l" };
export const apiKey = (over: Partial<ApiKeyView> = {}): ApiKeyView => ({
  id: "KEY1",
  name: "learn-dedicated lessons",
  description: "",
  owner_id: "u-me",
  owner_kind: "User",
  resource_id: "lkc-l",
  environment_id: "env-l",
  created_at: null,
  stored: true,
  ...over,
});
/** The owner of the sandbox's Cloud API key: the lesson cluster's key is this account's. */
export const me = { id: "u-me", name: "Sandbox user", kind: "User" };
export const topic = (name: string, partitions: number): TopicView => ({ name, partitions, replication_factor: 3, retention_ms: "604800000", cleanup_policy: "delete" });

/** A sandbox that already has the whole lesson cluster. */
export const labReady: Handlers = {
  list_environments: () => [env],
  list_clusters: () => [cluster],
  list_api_keys: () => [apiKey()],
  my_account: () => me,
  list_topics: () => [topic("lesson-orders", 6)],
  sandbox_cluster_brokers: () => [
    [
      { node_id: 1, port: 9001 },
      { node_id: 2, port: 9002 },
    ],
    [],
  ],
};

export function freshLearn() {
  lang.value = "en";
  shownError.value = null;
  section.value = "learn";
  connections.value = [];
  activeConnectionId.value = "sandbox";
  sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
  localStorage.clear();
  sessionStorage.clear();
  reloadProgress();
  reloadCostState();
  reloadStored();
  resetSession();
  setWalkActive(false);
  timing.pollMs = 1;
  walkTiming.pollMs = 20;
}

export function tidyLearn() {
  cleanup();
  clearMocks();
}
