import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { backend, calls } from "./backend";
import type { ClusterView_Serialize as ClusterView, TopicView_Serialize as TopicView } from "../src/bindings";
import { clusterView, retentionOneDay } from "./fixtures";
import { lang } from "../src/i18n";
import { Topics } from "../src/sections/Topics";
import { keyFor, keysTab, pasteFor, presetFor } from "../src/sections/access/state";
import { resetSession } from "../src/session";
import { activeConnectionId, sandboxStatus, section, shownError } from "../src/state";


const cluster: ClusterView = clusterView({ type: "Standard" });
const topic = (name: string, over: Partial<TopicView> = {}): TopicView => ({ name, partitions: 6, replication_factor: 3, retention_ms: "604800000", cleanup_policy: "delete", ...over });
const base = {
  list_environments: () => [{ id: "env-1", name: "dev" }],
  list_clusters: () => [cluster],
};

beforeEach(() => {
  lang.value = "en";
  shownError.value = null;
  resetSession();
  section.value = "topics";
  activeConnectionId.value = "sandbox";
  sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Topics", () => {
  it("explains a missing cluster key and leads to the API key form for that cluster", async () => {
    backend({
      ...base,
      list_topics: () => {
        throw { code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders”." };
      },
    });
    render(<Topics />);
    const card = await screen.findByTestId("topics-need-key");
    expect(card.textContent).toContain("no API key for “orders”");
    expect(shownError.value).toBeNull();
    fireEvent.click(screen.getByTestId("topics-create-key"));
    expect(section.value).toBe("api-keys");
    expect(keyFor.value).toEqual({ conn: "sandbox", envId: "env-1", clusterId: "lkc-1" });
  });

  it("offers an existing key too, opening the paste form for that cluster", async () => {
    backend({
      ...base,
      list_topics: () => {
        throw { code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders”." };
      },
    });
    render(<Topics />);
    fireEvent.click(await screen.findByTestId("topics-use-key"));
    expect(section.value).toBe("api-keys");
    expect(keysTab.value).toBe("held");
    expect(pasteFor.value).toEqual({ conn: "sandbox", envId: "env-1", clusterId: "lkc-1" });
  });

  it("says an empty list proves nothing when a service account's key reads it, and leads to its ACLs", async () => {
    backend({
      ...base,
      list_topics: () => [],
      held_keys: () => [{ cluster_id: "lkc-1", key_id: "APPKEY", in_use: true, owner: { id: "sa-1", name: "orders-app", kind: "ServiceAccount" } }],
    });
    render(<Topics />);
    const hint = await screen.findByTestId("topics-empty-sa");
    expect(hint.textContent).toContain("APPKEY");
    expect(hint.textContent).toContain("orders-app (sa-1)");
    fireEvent.click(screen.getByTestId("topics-empty-sa-add-acls"));
    expect(keysTab.value).toBe("acls");
    expect(presetFor.value).toEqual({ conn: "sandbox", envId: "env-1", clusterId: "lkc-1", principal: "sa-1" });
  });

  it("shows a refusal as the operation the key's owner lacks, not as a missing key", async () => {
    backend({
      ...base,
      list_topics: () => {
        throw { code: "NOT_AUTHORIZED", message: "Not authorized", refused: { operation: "DESCRIBE", resource_type: "TOPIC", resource_name: "orders", topic: "orders", group: null, key_id: "K" } };
      },
      fix_for_refusal: () => {
        throw { code: "CLOUD_NOT_FOUND", message: "gone" };
      },
    });
    render(<Topics />);
    const r = await screen.findByTestId("topics-refusal");
    expect(r.dataset.operation).toBe("DESCRIBE");
    expect(r.textContent).toContain("may not DESCRIBE topic “orders”");
    expect(shownError.value).toBeNull();
  });

  it("lists topics with retention in human units and filters them", async () => {
    backend({ ...base, list_topics: () => [topic("orders"), topic("payments", { retention_ms: "-1", partitions: 12 }), topic("audit", { retention_ms: "3600000" })] });
    render(<Topics />);
    await screen.findAllByTestId("topics-row");
    expect(calls.find((c) => c.cmd === "list_topics")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-1" });
    const row = screen.getAllByTestId("topics-row").find((r) => r.dataset.key === "payments")!;
    expect(row.textContent).toContain("∞");
    expect(row.textContent).toContain("12");
    fireEvent.input(screen.getByTestId("topics-search"), { target: { value: "pay" } });
    await waitFor(() => expect(screen.getAllByTestId("topics-row").map((r) => r.dataset.key)).toEqual(["payments"]));
  });

  it("creates a topic with configs and shows the backend's per-field refusals next to the fields", async () => {
    let attempt = 0;
    backend({
      ...base,
      list_topics: () => [topic("orders")],
      create_topic: (a) => {
        attempt++;
        if (attempt === 1) throw { code: "VALIDATION", message: "Some fields need attention.", fields: { topic_name: "The name contains a space.", partitions_count: "A topic needs at least 1 partition (got 0)." } };
        if (attempt === 2) throw { code: "CLOUD_CONFLICT", message: "conflict", detail: "HTTP 400: Topic 'orders' already exists." };
        return topic(a.input.name, { partitions: a.input.partitions });
      },
    });
    render(<Topics />);
    fireEvent.click(await screen.findByTestId("new-topic"));
    fireEvent.input(screen.getByTestId("field-topic-name"), { target: { value: "my topic" } });
    fireEvent.input(screen.getByTestId("field-topic-partitions"), { target: { value: "0" } });
    fireEvent.click(screen.getByTestId("topic-save"));
    expect((await screen.findByTestId("error-topic-name")).textContent).toContain("space");
    expect(screen.getByTestId("error-topic-partitions").textContent).toContain("at least 1");
    expect(calls.find((c) => c.cmd === "create_topic")?.args.input).toEqual({ name: "my topic", partitions: 0, configs: [] });

    fireEvent.input(screen.getByTestId("field-topic-name"), { target: { value: "orders" } });
    fireEvent.input(screen.getByTestId("field-topic-partitions"), { target: { value: "6" } });
    fireEvent.click(screen.getByTestId("topic-save"));
    expect((await screen.findByTestId("error-topic-name")).textContent).toContain("already exists");

    fireEvent.input(screen.getByTestId("field-topic-name"), { target: { value: "clicks" } });
    fireEvent.click(screen.getByTestId("config-add"));
    fireEvent.input(screen.getByTestId("config-name-0"), { target: { value: "retention.ms" } });
    fireEvent.input(screen.getByTestId("config-value-0"), { target: { value: "3600000" } });
    // The equivalent follows the form.
    expect(screen.getByTestId("equivalent-cli").textContent).toContain("confluent kafka topic create clicks --partitions 6 --config retention.ms=3600000");
    fireEvent.click(screen.getByTestId("topic-save"));
    await waitFor(() => expect(screen.getAllByTestId("topics-row").map((r) => r.dataset.key)).toContain("clicks"));
    expect(calls.filter((c) => c.cmd === "create_topic").at(-1)?.args.input).toEqual({ name: "clicks", partitions: 6, configs: [{ name: "retention.ms", value: "3600000" }] });
  });

  it("edits a config and deletes a topic after confirmation", async () => {
    backend({
      ...base,
      list_topics: () => [topic("orders")],
      topic_configs: () => [
        { name: "compression.type", value: "producer", is_default: true, is_read_only: true, source: "DEFAULT_CONFIG" },
        { name: "retention.ms", value: "604800000", is_default: true, is_read_only: false, source: "DEFAULT_CONFIG" },
      ],
      alter_topic_configs: () => null,
      delete_topic: () => null,
    });
    render(<Topics />);
    const row = (await screen.findAllByTestId("topics-row"))[0]!;
    fireEvent.click(row);
    const input = await screen.findByTestId("cfg-retention.ms");
    expect(screen.queryByTestId("cfg-compression.type")).toBeNull(); // locked: shown, not editable
    fireEvent.input(input, { target: { value: "86400000" } });
    fireEvent.click(screen.getByTestId("topic-config-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "alter_topic_configs")).toBe(true));
    expect(calls.find((c) => c.cmd === "alter_topic_configs")?.args).toEqual(retentionOneDay("env-1", "lkc-1", "orders"));
    fireEvent.click(screen.getByTestId("topic-delete"));
    expect(calls.some((c) => c.cmd === "delete_topic")).toBe(false);
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("topic-details")).toBeNull());
    expect(calls.find((c) => c.cmd === "delete_topic")?.args.topic).toBe("orders");
    expect(screen.queryAllByTestId("topics-row")).toHaveLength(0);
  });
});
