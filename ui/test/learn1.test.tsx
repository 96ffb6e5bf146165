// Lesson 1 with a fake sandbox: set-up (create or reuse), a bulk run with live acks, a failed broker
// and the service's timeline, stop → read back → the zero-loss counter, and scaling out.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { type Handlers, backend, calls, emitEvent } from "./backend";
import type { BulkSummary_Serialize, SandboxClusterEvent_Serialize } from "../src/bindings";
import { apiKey, me, cluster, freshLearn, labReady, target, tidyLearn, topic } from "./learnFixtures";
import { lab } from "../src/sections/learn/state";
import { Lesson1, RUN_RECORDS, healSeconds, lostOf } from "../src/sections/learn/Lesson1";
import { isDone, progress } from "../src/sections/learn/progress";

beforeEach(freshLearn);
afterEach(tidyLearn);

const cmds = () => calls.map((c) => c.cmd).filter((c) => !c.startsWith("plugin:"));
const progressEvent = (jobId: string, acked: number) => ({
  job_id: jobId,
  total: RUN_RECORDS,
  queued: acked,
  acked,
  failed: 0,
  elapsed_ms: 1000,
  records_per_sec: 12345,
  mb_per_sec: 0.25,
});
const summary = (jobId: string, acked: number) => ({ progress: progressEvent(jobId, acked), cancelled: true, not_sent: RUN_RECORDS - acked, errors: [] });

/** A bulk send that runs until cancel_bulk, then answers with `acked`. */
function bulkUntilCancelled(acked: number) {
  let finish: () => void = () => undefined;
  let jobId = "";
  return {
    jobId: () => jobId,
    handlers: {
      bulk_send: (args: any) => {
        jobId = args.input.job_id;
        return new Promise<BulkSummary_Serialize>((resolve) => (finish = () => resolve(summary(jobId, acked))));
      },
      cancel_bulk: () => {
        finish();
        return null;
      },
    },
  };
}

describe("Lesson 1: set-up", () => {
  it("creates what is missing, showing each step, and waits for the cluster and the key", async () => {
    let polls = 0;
    let topics: ReturnType<typeof topic>[] = [];
    backend({
      list_environments: () => [],
      create_environment: (a) => ({ id: "env-l", name: a.displayName }),
      list_clusters: () => [],
      create_cluster: () => ({ ...cluster, phase: "PROVISIONING" }),
      get_cluster: () => (++polls < 3 ? { ...cluster, phase: "PROVISIONING" } : cluster),
      list_api_keys: () => [],
      my_account: () => me,
      create_api_key: () => ({ key: apiKey({ id: "KEY9" }), secret: "s3cret", store_error: null, acls_added: [], admin_key: null }),
      wait_for_api_key: () => ({ probe_topic: null, authorized: null }),
      list_topics: () => topics,
      create_topic: (a) => {
        topics = [topic(a.input.name, a.input.partitions)];
        return topics[0];
      },
      sandbox_cluster_brokers: labReady.sandbox_cluster_brokers!,
    });
    render(<Lesson1 />);
    await waitFor(() => expect(cmds()).toContain("list_environments"));
    fireEvent.click(await screen.findByTestId("lab-setup"));
    await screen.findByTestId("lab-ready");
    const created = calls.filter((c) => c.cmd.startsWith("create_"));
    // The lesson cluster's key is my account's (full access): a service account's key without ACLs could do nothing.
    expect(created.map((c) => c.cmd)).toEqual(["create_environment", "create_cluster", "create_api_key", "create_topic"]);
    expect(created[0]!.args).toEqual({ connectionId: "sandbox", displayName: "learn" });
    expect(created[1]!.args.input).toEqual({ environment_id: "env-l", name: "learn-dedicated", type: "Dedicated", cku: 2, cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE" });
    expect(created[2]!.args.input).toMatchObject({ owner_id: "u-me", cluster_id: "lkc-l", environment_id: "env-l", acls: [] });
    expect(created[3]!.args.input).toEqual({ name: "lesson-orders", partitions: 6, configs: [] });
    expect(polls).toBe(3);
    expect(calls.find((c) => c.cmd === "wait_for_api_key")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-l", clusterId: "lkc-l", keyId: "KEY9", probeTopic: null });
    expect(lab.value?.topicFresh).toBe(true);
    expect(screen.getByTestId("lab-ready").textContent).toContain("learn-dedicated (lkc-l)");
    await waitFor(() => expect(isDone("l1", "setup")).toBe(true));
  });

  it("reuses the environment, cluster, key and topic it finds by name, creating nothing", async () => {
    backend(labReady);
    render(<Lesson1 />);
    await screen.findByTestId("lab-ready");
    expect(cmds().filter((c) => c.startsWith("create_"))).toEqual([]);
    expect(lab.value?.target).toEqual(target);
    expect(lab.value?.topicFresh).toBe(false);
  });

  it("creates only the key when Gureum holds none of my account for the cluster", async () => {
    backend({
      ...labReady,
      // Held, but a service account's (it may have no ACLs): not the lesson cluster's key.
      list_api_keys: () => [apiKey({ stored: false }), apiKey({ id: "SAKEY", owner_id: "sa-1", owner_kind: "ServiceAccount" })],
      create_api_key: () => ({ key: apiKey({ id: "KEY2" }), secret: "x", store_error: null, acls_added: [], admin_key: null }),
      wait_for_api_key: () => ({ probe_topic: null, authorized: null }),
    });
    render(<Lesson1 />);
    fireEvent.click(await screen.findByTestId("lab-setup"));
    await screen.findByTestId("lab-ready");
    expect(cmds().filter((c) => c.startsWith("create_"))).toEqual(["create_api_key"]);
  });

  it("says why set-up failed, at the step that failed", async () => {
    backend({
      ...labReady,
      list_environments: () => [],
      create_environment: () => {
        throw { code: "SANDBOX_NOT_READY", message: "The sandbox cloud is still starting." };
      },
    });
    render(<Lesson1 />);
    fireEvent.click(await screen.findByTestId("lab-setup"));
    expect((await screen.findByTestId("lab-error")).textContent).toContain("still starting");
    expect(screen.getByTestId("lab-step-env").dataset.state).toBe("failed");
  });
});

describe("Lesson 1: fail a broker under load, then count", () => {
  async function ready(extra: Handlers, events: () => SandboxClusterEvent_Serialize[] = () => []) {
    backend({
      ...labReady,
      sandbox_cluster_brokers: () => [
        [
          { node_id: 1, port: 9001 },
          { node_id: 2, port: 9002 },
        ],
        events(),
      ],
      ...extra,
    });
    render(<Lesson1 />);
    await screen.findByTestId("lab-ready");
    lab.value = { ...lab.value!, topicFresh: true };
  }

  it("shows acks live, the healing timeline with the time to heal, and 0 lost after the check", async () => {
    const bulk = bulkUntilCancelled(1000);
    let timeline: SandboxClusterEvent_Serialize[] = [];
    await ready(
      {
        ...bulk.handlers,
        fail_sandbox_broker: () => null,
        check_sequence: () => ({ records: 1003, distinct: 1000, duplicates: 3, highest: 999, missing: 0 }),
      },
      () => timeline,
    );
    fireEvent.click(screen.getByTestId("l1-start"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "bulk_send")).toBe(true));
    const input = calls.find((c) => c.cmd === "bulk_send")!.args;
    expect(input.target).toEqual(target);
    expect(input.input).toMatchObject({ topic: "lesson-orders", partition: null, source: "template", count: RUN_RECORDS, value_template: '{"seq": {{seq}}}', acks: "all", compression: "none" });
    expect(cmds()).not.toContain("delete_topic");
    await waitFor(() => expect(emitEvent("bulk-progress", progressEvent(bulk.jobId(), 500))).toBe(1));
    await waitFor(() => expect(screen.getByTestId("l1-acked").dataset.acked).toBe("500"));
    expect(screen.getByTestId("l1-rate").textContent).toContain("12,345 records/s");

    fireEvent.click(screen.getByTestId("l1-fail"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "fail_sandbox_broker")?.args).toEqual({ clusterId: "lkc-l", nodeId: 1 }));
    expect((await screen.findByTestId("l1-heal")).dataset.state).toBe("healing");
    const t0 = Date.now();
    const ev = (kind: string, dt: number, node: number | null): SandboxClusterEvent_Serialize => ({ at_ms: t0 + dt, cluster_id: "lkc-l", kind, node_id: node, detail: "d" });
    timeline = [ev("BROKER_FAILED", 100, 1), ev("BROKER_REMOVED", 300, 1), ev("REPLACEMENT_STARTED", 400, 3), ev("BROKER_STARTED", 2000, 3), ev("HEALTHY", 4300, null)];
    emitEvent("sandbox-cluster-event", timeline[4]);
    await waitFor(() => expect(screen.getByTestId("l1-heal").dataset.state).toBe("healed"));
    expect(screen.getByTestId("l1-heal").dataset.seconds).toBe("4.2");
    const kinds = [...screen.getByTestId("l1-timeline").querySelectorAll("li")].map((li) => li.dataset.kind);
    expect(kinds).toEqual(["BROKER_FAILED", "BROKER_REMOVED", "REPLACEMENT_STARTED", "BROKER_STARTED", "HEALTHY"]);

    fireEvent.click(screen.getByTestId("l1-stop"));
    const lost = await screen.findByTestId("lost-count");
    expect(calls.find((c) => c.cmd === "cancel_bulk")?.args).toEqual({ jobId: bulk.jobId() });
    expect(calls.find((c) => c.cmd === "check_sequence")?.args).toEqual({ target, topic: "lesson-orders" });
    expect(lost.dataset.lost).toBe("0");
    expect(lost.classList.contains("ok")).toBe(true);
    expect(screen.getByTestId("res-acked").textContent).toBe("1,000");
    expect(screen.getByTestId("res-distinct").textContent).toBe("1,000");
    expect(screen.getByTestId("res-dups").textContent).toBe("3");
    for (const s of ["produce", "fail", "check"] as const) expect(isDone("l1", s)).toBe(true);
    expect(JSON.parse(localStorage.getItem("gureum.learn.progress")!).l1).toEqual(expect.arrayContaining(["setup", "produce", "fail", "check"]));
  });

  it("shows a loss in red when the topic has fewer distinct records than were acknowledged", async () => {
    const bulk = bulkUntilCancelled(1000);
    await ready({ ...bulk.handlers, check_sequence: () => ({ records: 990, distinct: 990, duplicates: 0, highest: 999, missing: 10 }) });
    fireEvent.click(screen.getByTestId("l1-start"));
    await waitFor(() => expect(bulk.jobId()).not.toBe(""));
    fireEvent.click(screen.getByTestId("l1-stop"));
    const lost = await screen.findByTestId("lost-count");
    expect(lost.dataset.lost).toBe("10");
    expect(lost.classList.contains("bad")).toBe(true);
    expect(lost.textContent).toContain("10 acknowledged records are missing");
    expect(screen.getByTestId("res-missing").textContent).toBe("10");
  });

  it("empties the topic of an earlier run before producing again", async () => {
    const bulk = bulkUntilCancelled(10);
    let creates = 0;
    await ready({
      ...bulk.handlers,
      delete_topic: () => null,
      create_topic: () => {
        // The first attempt finds the old topic still being deleted.
        if (++creates === 1) throw { code: "CLOUD_CONFLICT", message: "Topic 'lesson-orders' already exists." };
        return topic("lesson-orders", 6);
      },
    });
    lab.value = { ...lab.value!, topicFresh: false };
    fireEvent.click(screen.getByTestId("l1-start"));
    await waitFor(() => expect(bulk.jobId()).not.toBe(""));
    expect(cmds().filter((c) => ["delete_topic", "create_topic", "bulk_send"].includes(c))).toEqual(["delete_topic", "create_topic", "create_topic", "bulk_send"]);
    expect(lab.value?.topicFresh).toBe(false);
  });

  it("says why the producer stopped", async () => {
    await ready({
      bulk_send: () => {
        throw { code: "KAFKA_AUTH_FAILED", message: "The cluster refused the API key.", detail: "SASL authentication error" };
      },
    });
    fireEvent.click(screen.getByTestId("l1-start"));
    expect((await screen.findByTestId("l1-run-error")).textContent).toContain("refused the API key");
  });
});

describe("Lesson 1: scale out", () => {
  it("asks for one more CKU and waits until the cluster and its brokers have it", async () => {
    let cku = 2;
    let reads = 0;
    backend({
      ...labReady,
      update_cluster: (a) => {
        expect(a).toEqual({ connectionId: "sandbox", environmentId: "env-l", clusterId: "lkc-l", change: { name: null, cku: 3 } });
        return { ...cluster, cku: 2 };
      },
      get_cluster: () => {
        if (++reads >= 3) cku = 3;
        return { ...cluster, cku };
      },
      sandbox_cluster_brokers: () => [Array.from({ length: cku }, (_, i) => ({ node_id: i + 1, port: 9001 + i })), []],
    });
    render(<Lesson1 />);
    await screen.findByTestId("lab-ready");
    expect(screen.getByTestId("l1-headroom").dataset.capacity).toBe("120");
    fireEvent.click(screen.getByTestId("l1-scale-apply"));
    await waitFor(() => expect(isDone("l1", "scale")).toBe(true));
    const state = screen.getByTestId("l1-scale-state");
    expect(state.dataset.cku).toBe("3");
    await waitFor(() => expect(screen.getByTestId("l1-scale-state").dataset.brokers).toBe("3"));
    expect(screen.getAllByTestId("l1-broker")).toHaveLength(3);
    expect(screen.getByTestId("l1-headroom").dataset.capacity).toBe("180");
    expect(progress.value.l1).toContain("scale");
  });
});

describe("Lesson 1: the arithmetic", () => {
  it("lost = max(0, acked − distinct)", () => {
    expect(lostOf(1000, 1000)).toBe(0);
    expect(lostOf(1000, 1003)).toBe(0);
    expect(lostOf(1000, 990)).toBe(10);
  });
  it("heals from the failure after the click to the next HEALTHY", () => {
    const e = (kind: string, at: number) => ({ at_ms: at, cluster_id: "c", kind, node_id: null, detail: "" });
    expect(healSeconds([e("HEALTHY", 500), e("BROKER_FAILED", 1000), e("HEALTHY", 3500)], 1000)).toBe(2.5);
    expect(healSeconds([e("BROKER_FAILED", 1000)], 1000)).toBeNull();
    expect(healSeconds([], null)).toBeNull();
  });
});


