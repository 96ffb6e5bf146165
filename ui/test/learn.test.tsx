// The Learn section: the lesson list and its progress, Korean, and lessons 3, 5, 6 and 7 against a
// fake sandbox (lesson 1 is in learn1.test.tsx, lesson 4's calculator in learnCost.test.tsx).
import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { backend, calls } from "./backend";
import { retentionOneDay } from "./fixtures";
import type { ErrorCode, Probe, ProbeResult_Serialize } from "../src/bindings";
import { apiKey, cluster, env, freshLearn, labReady, target, tidyLearn, topic } from "./learnFixtures";
import { picked } from "../src/sections/clusters/state";
import { lang } from "../src/i18n";
import { keyFor } from "../src/sections/access/state";
import { Learn } from "../src/sections/Learn";
import { Lesson2 } from "../src/sections/learn/Lesson2";
import { Lesson3 } from "../src/sections/learn/Lesson3";
import { Lesson5 } from "../src/sections/learn/Lesson5";
import { Lesson6, topicsScript } from "../src/sections/learn/Lesson6";
import { Lesson7, WalkDock, setWalkActive, walkActive } from "../src/sections/learn/Lesson7";
import { PROGRESS_KEY, currentLesson, markDone, reloadProgress } from "../src/sections/learn/progress";
import { chosenTopic } from "../src/sections/send/state";
import { remember } from "../src/sections/send/storage";
import { activeConnectionId, section } from "../src/state";

beforeEach(freshLearn);
afterEach(tidyLearn);

describe("the lesson list", () => {
  it("lists seven lessons with both languages' titles and each one's progress", () => {
    backend(labReady);
    render(<Learn />);
    const items = [1, 2, 3, 4, 5, 6, 7].map((n) => screen.getByTestId(`lesson-item-${n}`));
    expect(items[0]!.textContent).toContain("The provider runs the infrastructure");
    expect(items[0]!.textContent).toContain("인프라는 서비스 제공자가 운영한다");
    expect(items[6]!.textContent).toContain("컨플루언트 클라우드 따라 하기");
    expect(screen.getByTestId("lesson-progress-1").textContent).toBe("0/5 steps");
    expect(screen.getByTestId("lesson-progress-3").textContent).toBe("0/7 steps");
    expect(items[0]!.getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("lesson-1")).toBeTruthy();
  });

  it("keeps progress in localStorage and shows it after a reload", async () => {
    backend(labReady);
    markDone("l3", "plaintext");
    markDone("l3", "sasl");
    markDone("l3", "sasl");
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!)).toEqual({ l3: ["plaintext", "sasl"] });
    reloadProgress();
    render(<Learn />);
    expect(screen.getByTestId("lesson-progress-3").textContent).toBe("2/7 steps");
    expect(screen.getByTestId("lesson-progress-3").dataset.done).toBe("2");
    fireEvent.click(screen.getByTestId("lesson-item-3"));
    await screen.findByTestId("lesson-3");
    expect(screen.getByTestId("step-l3-plaintext").dataset.done).toBe("true");
    expect(screen.getByTestId("step-l3-wrong_secret").dataset.done).toBe("false");
    expect(localStorage.getItem("gureum.learn.current")).toBe("l3");
    // Starting over forgets only this lesson.
    markDone("l1", "setup");
    fireEvent.click(screen.getByTestId("reset-l3"));
    await waitFor(() => expect(screen.getByTestId("lesson-progress-3").textContent).toBe("0/7 steps"));
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!)).toEqual({ l1: ["setup"] });
  });

  it("moves between lessons with the arrow keys, Home and End, and the pager", async () => {
    backend(labReady);
    render(<Learn />);
    const list = screen.getByTestId("lesson-item-1").closest("ol")!;
    fireEvent.keyDown(list, { key: "ArrowDown" });
    await screen.findByTestId("lesson-2");
    fireEvent.keyDown(list, { key: "End" });
    await screen.findByTestId("lesson-7");
    expect(screen.queryByTestId("lesson-next")).toBeNull();
    fireEvent.keyDown(list, { key: "ArrowUp" });
    await screen.findByTestId("lesson-6");
    fireEvent.keyDown(list, { key: "Home" });
    await screen.findByTestId("lesson-1");
    fireEvent.click(screen.getByTestId("lesson-next"));
    await screen.findByTestId("lesson-2");
    expect(currentLesson.value).toBe("l2");
    expect(screen.getByTestId("lesson-item-2").tabIndex).toBe(0);
    expect(screen.getByTestId("lesson-item-1").tabIndex).toBe(-1);
  });

  it("speaks Korean, with the English title beside each Korean one", async () => {
    lang.value = "ko";
    backend(labReady);
    render(<Learn />);
    expect(screen.getByText("레슨", { selector: "h2" })).toBeTruthy();
    const first = screen.getByTestId("lesson-item-1");
    expect(first.textContent).toContain("인프라는 서비스 제공자가 운영한다");
    expect(first.textContent).toContain("The provider runs the infrastructure");
    expect(screen.getByTestId("lesson-progress-1").textContent).toBe("0/5 단계");
    expect(screen.getByTestId("lesson-1").textContent).toContain("직접 운영한다면 손으로 할 일");
    await screen.findByTestId("lab-ready");
    expect(screen.getByTestId("l1-start").textContent).toBe("보내기 시작");
    fireEvent.click(screen.getByTestId("lesson-item-4"));
    expect((await screen.findByTestId("cost-claim")).textContent).toContain("직접 운영하면 MSK의 절반 가격");
  });

  it("says when the sandbox is stopped, and where to start it", async () => {
    backend(labReady);
    const { sandboxStatus } = await import("../src/state");
    sandboxStatus.value = { state: "stopped", rest_url: null, ca_file: null, message: null };
    render(<Learn />);
    fireEvent.click(screen.getByTestId("lesson-item-3"));
    fireEvent.click(await screen.findByTestId("learn-sandbox-down").then((el) => within(el).getByRole("button")));
    await waitFor(() => expect(section.value).toBe("settings"));
    expect(calls.some((c) => c.cmd === "security_probe")).toBe(false);
  });
});

describe("Lesson 2: the dashboard", () => {
  it("shows the lesson cluster's latest figures and opens Metrics with that cluster picked", async () => {
    backend({
      ...labReady,
      query_metric: (a) => ({
        metric: a.input.metric,
        granularity: "PT1M",
        step_ms: 60_000,
        times_ms: [1, 2, 3],
        series: [{ label: "total", values: a.input.metric === "received_records" ? [0, 500, 1200] : [0, 0, 7] }],
        cached: false,
      }),
    });
    render(<Lesson2 />);
    // Counters: the window's total; gauges: the latest value.
    await waitFor(() => expect(screen.getByTestId("l2-received_records").dataset.value).toBe("1700"));
    expect(screen.getByTestId("l2-received_records").textContent).toContain("1.7k");
    expect(screen.getByTestId("l2-retained_bytes").dataset.value).toBe("7");
    expect(calls.find((c) => c.cmd === "query_metric")?.args).toMatchObject({ connectionId: "sandbox", clusterId: "lkc-l", input: { by_topic: false, topics: [] } });
    activeConnectionId.value = "other";
    fireEvent.click(screen.getByTestId("l2-open-metrics"));
    expect(section.value).toBe("metrics");
    expect(activeConnectionId.value).toBe("sandbox");
    expect(picked.value.sandbox).toEqual({ env: "env-l", cluster: "lkc-l" });
  });
});

describe("Lesson 3: security probes", () => {
  it("shows each refusal with its reason, and the working SASL_SSL settings", async () => {
    const refused = (probe: Probe, code: ErrorCode, message: string, detail: string): ProbeResult_Serialize => ({
      probe,
      accepted: false,
      error: { code, message, detail },
      settings: [
        ["bootstrap.servers", "127.0.0.1:9001"],
        ["security.protocol", probe === "plaintext" ? "PLAINTEXT" : "SASL_SSL"],
      ],
      took_ms: 812.4,
      topics: 0,
    });
    backend({
      ...labReady,
      security_probe: (a) => {
        switch (a.probe) {
          case "plaintext":
            return refused("plaintext", "KAFKA_UNREACHABLE", "No broker answered within 8 s.", "Disconnected while requesting ApiVersion: might be caused by incorrect security.protocol configuration");
          case "wrong_secret":
            return refused("wrong_secret", "KAFKA_AUTH_FAILED", "The cluster refused the client's credentials.", "SASL authentication error: Authentication failed");
          case "deleted_key":
            return refused("deleted_key", "KAFKA_AUTH_FAILED", "The cluster refused the client's credentials.", "SASL authentication error: Authentication failed (deleted key)");
          default:
            return {
              probe: "sasl",
              accepted: true,
              error: null,
              settings: [
                ["bootstrap.servers", "127.0.0.1:9001"],
                ["security.protocol", "SASL_SSL"],
                ["sasl.mechanisms", "PLAIN"],
                ["sasl.username", "KEY1"],
                ["sasl.password", "********"],
              ],
              took_ms: 40,
              topics: 1,
            };
        }
      },
    });
    render(<Lesson3 />);
    for (const p of ["plaintext", "wrong_secret", "deleted_key", "sasl"]) fireEvent.click(await screen.findByTestId(`probe-${p}`));
    const plaintext = await screen.findByTestId("probe-result-plaintext");
    expect(plaintext.dataset.accepted).toBe("false");
    expect(plaintext.textContent).toContain("Refused");
    expect(plaintext.textContent).toContain("No broker answered within 8 s.");
    expect(plaintext.textContent).toContain("incorrect security.protocol");
    const wrong = await screen.findByTestId("probe-result-wrong_secret");
    expect(wrong.dataset.accepted).toBe("false");
    expect(screen.getByTestId("probe-reason-wrong_secret").dataset.code).toBe("KAFKA_AUTH_FAILED");
    expect(wrong.textContent).toContain("Authentication failed");
    expect((await screen.findByTestId("probe-result-deleted_key")).dataset.accepted).toBe("false");
    const ok = await screen.findByTestId("probe-result-sasl");
    expect(ok.dataset.accepted).toBe("true");
    expect(ok.textContent).toContain("Accepted");
    expect(ok.textContent).toContain("saw 1 topic");
    const settings = within(screen.getByTestId("probe-settings-sasl")).getAllByRole("row").map((r) => r.textContent);
    expect(settings).toContain("security.protocolSASL_SSL");
    expect(settings).toContain("sasl.password********");
    expect(calls.filter((c) => c.cmd === "security_probe").map((c) => c.args)).toEqual(
      ["plaintext", "wrong_secret", "deleted_key", "sasl"].map((probe) => ({ target, probe })),
    );
    await waitFor(() => expect(screen.getByTestId("step-l3-sasl").dataset.done).toBe("true"));
    expect(["plaintext", "wrong_secret", "deleted_key"].map((s) => screen.getByTestId(`step-l3-${s}`).dataset.done)).toEqual(["true", "true", "true"]);
  });

  it("does not tick a step when the cluster answers the wrong way", async () => {
    backend({ ...labReady, security_probe: () => ({ probe: "plaintext", accepted: true, error: null, settings: [], took_ms: 3, topics: 1 }) });
    render(<Lesson3 />);
    fireEvent.click(await screen.findByTestId("probe-plaintext"));
    expect((await screen.findByTestId("probe-result-plaintext")).dataset.accepted).toBe("true");
    expect(screen.getByTestId("step-l3-plaintext").dataset.done).toBe("false");
  });
});

describe("Lesson 5: limits of customisation", () => {
  it("changes an editable config, and shows the service's words when a locked one is refused", async () => {
    let retention = "604800000";
    backend({
      ...labReady,
      alter_topic_configs: (a) => {
        const [c] = a.changes;
        if (c.name === "compression.type")
          throw { code: "CLOUD_INVALID", message: "The cluster refused the change.", detail: "Config 'compression.type' can't be changed on Confluent Cloud (POLICY_VIOLATION)." };
        retention = c.value;
        return null;
      },
      topic_configs: () => [{ name: "retention.ms", value: retention, is_default: false, is_read_only: false, source: "DYNAMIC_TOPIC_CONFIG" }],
    });
    render(<Lesson5 />);
    expect(screen.getByTestId("limits-table").querySelector('[data-row="rf"]')!.textContent).toContain("Fixed at 3");
    expect(screen.getByTestId("limits-msk").textContent).toContain("(A3)");
    fireEvent.click(await screen.findByTestId("limits-try-editable"));
    const ok = await screen.findByTestId("limits-result-editable");
    expect(ok.dataset.state).toBe("ok");
    expect(ok.textContent).toContain("retention.ms is now 86400000");
    expect(calls.find((c) => c.cmd === "alter_topic_configs")?.args).toEqual(retentionOneDay("env-l", "lkc-l", "lesson-orders"));
    fireEvent.click(screen.getByTestId("limits-try-locked"));
    const refused = await screen.findByTestId("limits-result-locked");
    expect(refused.dataset.state).toBe("refused");
    expect(screen.getByTestId("limits-words-locked").textContent).toBe("Config 'compression.type' can't be changed on Confluent Cloud (POLICY_VIOLATION).");
    expect(refused.textContent).toContain("CLOUD_INVALID");
    await waitFor(() => expect(screen.getByTestId("step-l5-locked").dataset.done).toBe("true"));
    expect(screen.getByTestId("step-l5-editable").dataset.done).toBe("true");
  });
});

describe("Lesson 6: lock-in", () => {
  it("exports the topics as JSON and a kafka-topics.sh script, and the client config as properties", async () => {
    backend({
      ...labReady,
      list_topics: () => [topic("lesson-orders", 6), topic("audit log", 3)],
      topic_configs: (a) =>
        a.topic === "lesson-orders"
          ? [
              { name: "retention.ms", value: "86400000", is_default: false, is_read_only: false, source: "DYNAMIC_TOPIC_CONFIG" },
              { name: "cleanup.policy", value: "delete", is_default: true, is_read_only: false, source: "DEFAULT_CONFIG" },
              { name: "compression.type", value: "producer", is_default: false, is_read_only: true, source: "DEFAULT_CONFIG" },
            ]
          : [],
      client_snippets: () => [
        { id: "properties", title: "librdkafka properties", code: "bootstrap.servers=127.0.0.1:9001\nsecurity.protocol=SASL_SSL\nsasl.password=********\n" },
        { id: "java", title: "Java", code: "…" },
      ],
    });
    render(<Lesson6 />);
    fireEvent.click(await screen.findByTestId("export-run"));
    const json = (await screen.findByTestId("export-text-json")) as HTMLTextAreaElement;
    const doc = JSON.parse(json.value);
    expect(doc.format).toBe("gureum.topics/v1");
    expect(doc.source).toMatchObject({ cluster: "learn-dedicated", id: "lkc-l", type: "Dedicated" });
    expect(doc.topics).toEqual([
      { name: "audit log", partitions: 3, replication_factor: 3, configs: {} },
      { name: "lesson-orders", partitions: 6, replication_factor: 3, configs: { "retention.ms": "86400000" } },
    ]);
    const script = (screen.getByTestId("export-text-script") as HTMLTextAreaElement).value;
    expect(script).toMatch(/^#!\/bin\/sh/);
    expect(script).toContain("--topic lesson-orders --partitions 6 \\\n  --config retention.ms=86400000");
    expect(script).not.toContain("--replication-factor");
    expect(script).toContain("--topic 'audit log' --partitions 3");
    const props = (screen.getByTestId("export-text-properties") as HTMLTextAreaElement).value;
    expect(props).toContain("security.protocol=SASL_SSL");
    expect(props).toContain("sasl.password=********");
    expect(calls.find((c) => c.cmd === "client_snippets")?.args).toEqual({ target, topic: "lesson-orders" });
    const link = screen.getByTestId("export-download-json") as HTMLAnchorElement;
    expect(link.getAttribute("download")).toBe("learn-dedicated-topics.json");
    await waitFor(() => expect(link.getAttribute("href")).toMatch(/^(blob:|data:application\/json)/));
    expect(screen.getByTestId("step-l6-export").dataset.done).toBe("true");
    fireEvent.click(link);
    await waitFor(() => expect(screen.getByTestId("step-l6-copy").dataset.done).toBe("true"));
  });

  it("quotes names the shell would split", () => {
    const s = topicsScript(cluster, [{ name: "it's", partitions: 1, replication_factor: 3, configs: { "cleanup.policy": "compact,delete" } }], new Date(0));
    expect(s).toContain(`--topic 'it'\\''s'`);
    expect(s).toContain("--config cleanup.policy=compact,delete");
  });
});

describe("Lesson 7: the walkthrough", () => {
  it("ticks each step when the sandbox really has it, and shows the record's metadata", async () => {
    const state = { cluster: false, key: false, topic: false, records: 0 };
    const mine = { ...cluster, id: "lkc-w", name: "my-first-cluster", environment_id: "env-1", type: "Basic" as const, cku: null };
    backend({
      list_environments: () => [env, { id: "env-1", name: "dev" }],
      list_clusters: (a) => (a.environmentId === "env-1" && state.cluster ? [mine] : a.environmentId === "env-1" ? [{ ...mine, phase: "PROVISIONING" }] : [cluster]),
      list_api_keys: () => (state.key ? [apiKey({ id: "KEYW", resource_id: "lkc-w" })] : [apiKey()]),
      list_topics: () => (state.topic ? [topic("my-first-topic", 3)] : []),
      check_sequence: () => ({ records: state.records, distinct: 0, duplicates: 0, highest: null, missing: 0 }),
    });
    render(<Lesson7 />);
    fireEvent.click(screen.getByTestId("walk-start"));
    expect(walkActive.value).toBe(true);
    expect(localStorage.getItem("gureum.learn.walkthrough")).toBe("on");
    await waitFor(() => expect(calls.some((c) => c.cmd === "list_clusters")).toBe(true));
    const done = (s: string) => screen.getByTestId(`walk-step-${s}`).dataset.done;
    expect(["cluster", "key", "topic", "send"].map(done)).toEqual(["false", "false", "false", "false"]);

    state.cluster = true;
    await waitFor(() => expect(done("cluster")).toBe("true"));
    expect(screen.getByTestId("walk-found-cluster").textContent).toContain("lkc-w");
    expect(done("key")).toBe("false");

    // The "go" button takes the learner to API keys with the key form aimed at the new cluster.
    fireEvent.click(screen.getByTestId("walk-go-key"));
    expect(section.value).toBe("api-keys");
    expect(keyFor.value).toEqual({ conn: "sandbox", envId: "env-1", clusterId: "lkc-w" });
    expect(picked.value.sandbox).toEqual({ env: "env-1", cluster: "lkc-w" });

    state.key = true;
    await waitFor(() => expect(done("key")).toBe("true"));
    state.topic = true;
    await waitFor(() => expect(done("topic")).toBe("true"));
    expect(screen.getByTestId("walk-found-topic").textContent).toContain("3 partitions");

    fireEvent.click(screen.getByTestId("walk-go-send"));
    expect(section.value).toBe("send");
    expect(chosenTopic.value["sandbox/env-1/lkc-w"]).toBe("my-first-topic");

    // A send from the Send section, remembered in its history, carries the RecordMetadata.
    remember({
      id: "h1",
      at: Date.now(), // history drops what is older than its age limit
      target: { connection_id: "sandbox", environment_id: "env-1", cluster_id: "lkc-w" },
      via: "kafka",
      input: { topic: "my-first-topic", partition: null, key: null, value: "hi", value_format: "text", headers: [], timestamp_ms: null, acks: "all", compression: "none" },
      result: { partition: 2, offset: 0, timestamp_ms: 1767225600000, latency_ms: 3 },
    });
    await waitFor(() => expect(done("send")).toBe("true"));
    expect(screen.getByTestId("walk-found-send").textContent).toContain("Partition 2, offset 0");
    expect(screen.getByTestId("walk-all-done")).toBeTruthy();
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!).l7).toEqual(["cluster", "key", "topic", "send"]);
  });

  it("also counts a record sent from elsewhere (read back from the topic)", async () => {
    const mine = { ...cluster, id: "lkc-w", name: "my-first-cluster" };
    backend({
      list_environments: () => [env],
      list_clusters: () => [mine],
      list_api_keys: () => [apiKey({ resource_id: "lkc-w" })],
      list_topics: () => [topic("my-first-topic", 3)],
      check_sequence: () => ({ records: 4, distinct: 0, duplicates: 0, highest: null, missing: 0 }),
    });
    setWalkActive(true);
    render(<Lesson7 />);
    await waitFor(() => expect(screen.getByTestId("walk-step-send").dataset.done).toBe("true"));
    expect(screen.getByTestId("walk-found-send").textContent).toContain("4 record(s)");
  });

  it("floats over the other sections and leads back to the lesson", async () => {
    backend({ list_environments: () => [], list_api_keys: () => [] });
    section.value = "clusters";
    const { rerender } = render(<WalkDock />);
    expect(screen.queryByTestId("walk-dock")).toBeNull();
    setWalkActive(true);
    rerender(<WalkDock />);
    const dock = await screen.findByTestId("walk-dock");
    expect(dock.textContent).toContain("Create a cluster named “my-first-cluster”");
    // Only the current step says how, in the compact panel.
    expect(screen.getByTestId("walk-go-cluster")).toBeTruthy();
    expect(screen.queryByTestId("walk-go-key")).toBeNull();
    fireEvent.click(screen.getByTestId("walk-back"));
    expect(section.value).toBe("learn");
    expect(currentLesson.value).toBe("l7");
    await waitFor(() => expect(screen.queryByTestId("walk-dock")).toBeNull());
  });
});
