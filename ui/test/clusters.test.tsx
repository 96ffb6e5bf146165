import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ClusterView_Serialize as ClusterView } from "../src/bindings";
import { lang } from "../src/i18n";
import { Clusters } from "../src/sections/Clusters";
import { activeConnectionId, sandboxStatus, shownError } from "../src/state";

let calls: { cmd: string; args: any }[] = [];
function backend(handlers: Record<string, (args: any) => unknown>) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const h = handlers[cmd];
    if (!h) throw { code: "INTERNAL", message: `unmocked ${cmd}` };
    return h(args);
  });
}

const cluster = (over: Partial<ClusterView> = {}): ClusterView => ({
  id: "lkc-1",
  name: "orders",
  environment_id: "env-1",
  type: "Basic",
  cloud: "AWS",
  region: "us-east-1",
  availability: "SINGLE_ZONE",
  phase: "PROVISIONED",
  bootstrap: "127.0.0.1:9092",
  rest_endpoint: "https://127.0.0.1:1",
  cku: null,
  ...over,
});

beforeEach(() => {
  lang.value = "en";
  shownError.value = null;
  activeConnectionId.value = "sandbox";
  sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
});
afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

describe("Clusters", () => {
  it("lists the first environment's clusters with their type, place and status", async () => {
    backend({
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: (a) => (a.environmentId === "env-1" ? [cluster()] : []),
    });
    render(<Clusters />);
    const row = await screen.findByTestId("cluster-row");
    expect(row.dataset.name).toBe("orders");
    expect(row.textContent).toContain("lkc-1");
    expect(row.textContent).toContain("AWS · us-east-1");
    expect(screen.getByTestId("cluster-phase").textContent).toBe("Provisioned");
    expect(calls.find((c) => c.cmd === "list_clusters")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1" });
  });

  it("shows empty states and creates an environment, refusing an empty name", async () => {
    backend({
      list_environments: () => [],
      create_environment: (a) => ({ id: "env-9", name: a.displayName }),
      list_clusters: () => [],
    });
    render(<Clusters />);
    expect((await screen.findByTestId("envs-empty")).textContent).toContain("No environments yet");
    fireEvent.click(screen.getByTestId("new-env"));
    fireEvent.click(screen.getByTestId("env-save"));
    expect((await screen.findByTestId("error-env-name")).textContent).toBe("Give the environment a name.");
    expect(calls.some((c) => c.cmd === "create_environment")).toBe(false);
    fireEvent.input(screen.getByTestId("env-name"), { target: { value: "staging" } });
    fireEvent.click(screen.getByTestId("env-save"));
    await screen.findByTestId("clusters-empty");
    expect((screen.getByTestId("env-select") as HTMLSelectElement).value).toBe("env-9");
    expect(calls.find((c) => c.cmd === "create_environment")?.args).toEqual({ connectionId: "sandbox", displayName: "staging" });
  });

  it("creates a cluster and polls it every second until it is provisioned", async () => {
    let gets = 0;
    backend({
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [],
      create_cluster: (a) => cluster({ name: a.input.name, phase: "PROVISIONING", bootstrap: null }),
      get_cluster: () => (++gets < 2 ? cluster({ phase: "PROVISIONING" }) : cluster()),
    });
    render(<Clusters />);
    fireEvent.click(await screen.findByTestId("new-cluster"));
    // CKU only for Dedicated; regions follow the cloud.
    expect(screen.queryByTestId("cluster-cku")).toBeNull();
    fireEvent.change(screen.getByTestId("cluster-type"), { target: { value: "Dedicated" } });
    expect(screen.getByTestId("cluster-cku")).toBeTruthy();
    fireEvent.change(screen.getByTestId("cluster-type"), { target: { value: "Basic" } });
    fireEvent.change(screen.getByTestId("cluster-cloud"), { target: { value: "GCP" } });
    const regions = [...(screen.getByTestId("cluster-region") as HTMLSelectElement).options].map((o) => o.value);
    expect(regions).toContain("asia-northeast3");
    expect(regions).not.toContain("us-east-1");
    fireEvent.change(screen.getByTestId("cluster-cloud"), { target: { value: "AWS" } });

    fireEvent.input(screen.getByTestId("cluster-name"), { target: { value: "orders" } });
    fireEvent.click(screen.getByTestId("cluster-save"));
    const phase = await screen.findByTestId("cluster-phase");
    expect(phase.textContent).toBe("Provisioning…");
    expect(phase.querySelector(".spinner")).not.toBeNull();
    expect(calls.find((c) => c.cmd === "create_cluster")?.args.input).toEqual({
      environment_id: "env-1",
      name: "orders",
      type: "Basic",
      cku: null,
      cloud: "AWS",
      region: "us-east-1",
      availability: "SINGLE_ZONE",
    });
    await waitFor(() => expect(screen.getByTestId("cluster-phase").textContent).toBe("Provisioned"), { timeout: 4000 });
    expect(gets).toBe(2);
    // Polling stops once provisioned.
    await new Promise((r) => setTimeout(r, 1300));
    expect(gets).toBe(2);
  });

  it("puts the server's refusal next to the field it is about", async () => {
    backend({
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [],
      create_cluster: () => {
        throw {
          code: "CLOUD_INVALID",
          message: "The request was refused as it stands; see the details and correct it.",
          detail: "HTTP 400: Unknown region 'x' for AWS.",
          fields: { region: "Unknown region 'x' for AWS." },
        };
      },
    });
    render(<Clusters />);
    fireEvent.click(await screen.findByTestId("new-cluster"));
    fireEvent.input(screen.getByTestId("cluster-name"), { target: { value: "c" } });
    fireEvent.click(screen.getByTestId("cluster-save"));
    expect((await screen.findByTestId("error-cluster-region")).textContent).toBe("Unknown region 'x' for AWS.");
    expect(shownError.value).toBeNull();
  });

  it("sends other failures to the error banner, and says when a connection has no Cloud API", async () => {
    backend({
      list_environments: () => {
        throw { code: "CLOUD_UNAUTHORIZED", message: "The Cloud API key or secret is wrong." };
      },
    });
    render(<Clusters />);
    await waitFor(() => expect(shownError.value?.code).toBe("CLOUD_UNAUTHORIZED"));
    expect(screen.getByTestId("clusters-retry")).toBeTruthy();
    cleanup();
    shownError.value = null;

    activeConnectionId.value = "k-1";
    backend({
      list_environments: () => {
        throw { code: "NO_CLOUD_API", message: "“local” is a Kafka cluster connection: it has no Cloud API." };
      },
    });
    render(<Clusters />);
    expect((await screen.findByTestId("clusters-error")).textContent).toContain("has no Cloud API");
    expect(shownError.value).toBeNull();
  });

  it("waits for the sandbox cloud to start before asking it anything", async () => {
    sandboxStatus.value = { state: "starting", rest_url: null, ca_file: null, message: null };
    backend({ list_environments: () => [{ id: "env-1", name: "dev" }], list_clusters: () => [] });
    render(<Clusters />);
    expect(screen.getByTestId("clusters-waiting")).toBeTruthy();
    expect(calls).toHaveLength(0);
    sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
    await screen.findByTestId("clusters-empty");
  });
});
