import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";

import { freshWindow } from "./window";
import { backend, calls } from "./backend";
import { SandboxBrokers } from "../src/sections/clusters/SandboxBrokers";
import { shownError } from "../src/state";

freshWindow();

const ev = (kind: string, at: number, node: number | null) => ({ at_ms: at, cluster_id: "lkc-1", kind, node_id: node, detail: "d" });

describe("SandboxBrokers", () => {
  it("lists the brokers, fails one on request and shows the timeline with times since the failure", async () => {
    backend({
      sandbox_cluster_brokers: () => [
        [
          { node_id: 1, port: 9001 },
          { node_id: 2, port: 9002 },
        ],
        [ev("BROKER_FAILED", 1_000, 0), ev("BROKER_REMOVED", 1_100, 0), ev("REPLACEMENT_STARTED", 1_200, 2), ev("HEALTHY", 2_500, null)],
      ],
      fail_sandbox_broker: () => null,
    });
    render(<SandboxBrokers clusterId="lkc-1" />);
    const rows = await screen.findAllByTestId("broker");
    expect(rows.map((r) => r.dataset.node)).toEqual(["1", "2"]);
    const timeline = screen.getByTestId("broker-timeline");
    expect([...timeline.querySelectorAll("li")].map((li) => li.dataset.kind)).toEqual(["BROKER_FAILED", "BROKER_REMOVED", "REPLACEMENT_STARTED", "HEALTHY"]);
    expect(timeline.textContent).toContain("Healthy again");
    expect(timeline.textContent).toContain("+1.5 s");
    fireEvent.click(screen.getAllByTestId("broker-fail")[1]!);
    await waitFor(() => expect(calls.find((c) => c.cmd === "fail_sandbox_broker")?.args).toEqual({ clusterId: "lkc-1", nodeId: 2 }));
    expect(shownError.value).toBeNull();
  });

  it("says why when a broker can't be failed", async () => {
    backend({
      sandbox_cluster_brokers: () => [[{ node_id: 1, port: 9001 }], []],
      fail_sandbox_broker: () => {
        throw { code: "NOT_FOUND", message: "Broker 1 is not running in lkc-1 (already replaced?)." };
      },
    });
    render(<SandboxBrokers clusterId="lkc-1" />);
    fireEvent.click(await screen.findByTestId("broker-fail"));
    await waitFor(() => expect(shownError.value?.message).toContain("already replaced"));
  });
});
