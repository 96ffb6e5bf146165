// Shapes the Rust side answers with, shared by the component tests.
import type { ClusterView_Serialize as ClusterView } from "../src/bindings";

/** A provisioned Basic cluster of the sandbox; `over` changes what a test needs. */
export const clusterView = (over: Partial<ClusterView> = {}): ClusterView => ({
  id: "lkc-1",
  name: "orders",
  environment_id: "env-1",
  type: "Basic",
  cloud: "AWS",
  region: "us-east-1",
  availability: "SINGLE_ZONE",
  phase: "PROVISIONED",
  bootstrap: "127.0.0.1:9092",
  rest_endpoint: "https://127.0.0.1:8443",
  cku: null,
  ...over,
});

/** The alter_topic_configs call that keeps a topic's records for one day. */
export const retentionOneDay = (environmentId: string, clusterId: string, topic: string) => ({
  connectionId: "sandbox",
  environmentId,
  clusterId,
  topic,
  changes: [{ name: "retention.ms", value: "86400000" }],
});
