import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend, calls } from "./backend";
import type { ClusterView_Serialize as ClusterView } from "../src/bindings";
import { clusterView } from "./fixtures";
import { lang } from "../src/i18n";
import { Clusters } from "../src/sections/Clusters";
import { activeConnectionId, notice, sandboxStatus, shownError } from "../src/state";


const cluster = (over: Partial<ClusterView> = {}): ClusterView => clusterView({ rest_endpoint: "https://127.0.0.1:1", ...over });

beforeEach(() => {
  lang.value = "en";
  shownError.value = null;
  notice.value = null;
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
      sandbox_cluster_brokers: () => [[], []],
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: (a) => (a.environmentId === "env-1" ? [cluster()] : []),
    });
    render(<Clusters />);
    const row = await screen.findByTestId("clusters-row");
    expect(row.dataset.key).toBe("lkc-1");
    expect(within(row).getByTestId("cluster-cell-name").dataset.name).toBe("orders");
    expect(row.textContent).toContain("lkc-1");
    expect(row.textContent).toContain("AWS · us-east-1");
    expect(screen.getByTestId("cluster-phase").textContent).toBe("Provisioned");
    expect(calls.find((c) => c.cmd === "list_clusters")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1" });
  });

  it("filters and sorts the clusters, and says so when none match", async () => {
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [
        cluster({ id: "lkc-b", name: "payments", region: "ap-northeast-2" }),
        cluster({ id: "lkc-a", name: "orders", type: "Dedicated", cku: 2 }),
        cluster({ id: "lkc-c", name: "audit", cloud: "GCP", region: "asia-northeast3" }),
      ],
    });
    render(<Clusters />);
    await screen.findAllByTestId("clusters-row");
    const names = () => screen.getAllByTestId("cluster-cell-name").map((e) => e.dataset.name);
    expect(screen.getByTestId("clusters-count").textContent).toBe("3 of 3");
    fireEvent.click(screen.getByTestId("clusters-sort-name"));
    expect(names()).toEqual(["audit", "orders", "payments"]);
    fireEvent.click(screen.getByTestId("clusters-sort-name"));
    expect(names()).toEqual(["payments", "orders", "audit"]);
    expect(screen.getByText("Dedicated · 2 CKU")).toBeTruthy();
    fireEvent.input(screen.getByTestId("clusters-search"), { target: { value: "gcp" } });
    expect(names()).toEqual(["audit"]);
    fireEvent.input(screen.getByTestId("clusters-search"), { target: { value: "nope" } });
    expect(screen.getByTestId("clusters-empty").textContent).toContain("Nothing matches “nope”");
  });

  it("shows empty states and creates an environment, refusing an empty name", async () => {
    backend({
      sandbox_cluster_brokers: () => [[], []],
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
      sandbox_cluster_brokers: () => [[], []],
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
      sandbox_cluster_brokers: () => [[], []],
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
      sandbox_cluster_brokers: () => [[], []],
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
      sandbox_cluster_brokers: () => [[], []],
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

const oneEnv = () => [{ id: "env-1", name: "dev" }];
async function openDetails(name = "orders") {
  const cell = (await screen.findAllByTestId("cluster-cell-name")).find((e) => e.dataset.name === name)!;
  fireEvent.click(cell.closest('[data-testid="clusters-row"]')!);
  return screen.getByTestId("cluster-details");
}
const equivalents = (el: HTMLElement) => within(el).getAllByTestId("equivalent");

describe("Cluster details", () => {
  it("opens on a row click (and on Enter), with endpoints to copy, and closes", async () => {
    backend({ list_environments: oneEnv, list_clusters: () => [cluster({ bootstrap: "pkc-1.aws:9092", rest_endpoint: "https://pkc-1.aws:443" })] });
    render(<Clusters />);
    const details = await openDetails();
    expect(details.dataset.id).toBe("lkc-1");
    expect(within(details).getByTestId("cluster-id").textContent).toBe("lkc-1");
    expect(within(details).getByTestId("cluster-bootstrap").textContent).toBe("pkc-1.aws:9092");
    expect(within(details).getByTestId("cluster-rest").textContent).toBe("https://pkc-1.aws:443");
    expect(within(details).getByTestId("cluster-bootstrap-copy")).toBeTruthy();
    expect(within(details).getByTestId("cluster-rest-copy")).toBeTruthy();
    expect(within(details).getByTestId("cluster-where").textContent).toBe("AWS · us-east-1");
    expect(within(details).getByTestId("cluster-details-phase").textContent).toBe("Provisioned");
    // Basic: no size, no resize.
    expect(within(details).queryByTestId("cluster-cku-value")).toBeNull();
    expect(within(details).queryByTestId("cluster-resize-input")).toBeNull();
    expect(screen.getByTestId("clusters-row").getAttribute("aria-selected")).toBe("true");

    fireEvent.click(screen.getByTestId("cluster-close"));
    expect(screen.queryByTestId("cluster-details")).toBeNull();

    const row = screen.getByTestId("clusters-row");
    row.focus();
    fireEvent.keyDown(row, { key: "Enter" });
    expect(screen.getByTestId("cluster-details")).toBeTruthy();
  });

  it("says the endpoints come once provisioned, and follows the provisioning live", async () => {
    let gets = 0;
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => [cluster({ phase: "PROVISIONING", bootstrap: null, rest_endpoint: null })],
      get_cluster: () => (++gets < 2 ? cluster({ phase: "PROVISIONING", bootstrap: null, rest_endpoint: null }) : cluster()),
    });
    render(<Clusters />);
    const details = await openDetails();
    expect(within(details).getByTestId("cluster-details-phase").dataset.phase).toBe("PROVISIONING");
    expect(within(details).getByTestId("cluster-progress")).toBeTruthy();
    expect(within(details).getByTestId("cluster-bootstrap-pending").textContent).toContain("once the cluster is provisioned");
    await waitFor(() => expect(within(details).getByTestId("cluster-details-phase").dataset.phase).toBe("PROVISIONED"), { timeout: 4000 });
    expect(within(details).getByTestId("cluster-bootstrap").textContent).toBe("127.0.0.1:9092");
    expect(within(details).queryByTestId("cluster-progress")).toBeNull();
  });

  it("renames with the right arguments, and shows the server's verdict on the name next to the field", async () => {
    let refuse = true;
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => [cluster()],
      update_cluster: (a) => {
        if (refuse) {
          throw {
            code: "CLOUD_INVALID",
            message: "The request was refused as it stands; see the details and correct it.",
            fields: { display_name: "Give the cluster a name." },
          };
        }
        return cluster({ name: a.change.name });
      },
    });
    render(<Clusters />);
    const details = await openDetails();
    const input = within(details).getByTestId("cluster-rename-input") as HTMLInputElement;
    const save = within(details).getByTestId("cluster-rename-save") as HTMLButtonElement;
    expect(input.value).toBe("orders");
    expect(save.disabled).toBe(true); // nothing changed yet

    expect(input.maxLength).toBe(64);
    fireEvent.input(input, { target: { value: "   " } });
    fireEvent.click(save);
    expect((await screen.findByTestId("error-cluster-rename")).textContent).toBe("Give the cluster a name.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(shownError.value).toBeNull();

    refuse = false;
    fireEvent.input(input, { target: { value: " orders-v2 " } });
    expect(screen.queryByTestId("error-cluster-rename")).toBeNull();
    // The equivalent follows what is typed.
    const eq = equivalents(within(details).getByTestId("cluster-rename-form"))[0]!;
    expect(within(eq).getByTestId("equivalent-cli").textContent).toContain("confluent kafka cluster update lkc-1 --name orders-v2 --environment env-1");
    expect(within(eq).getByTestId("equivalent-rest").textContent).toContain('"display_name": "orders-v2"');
    fireEvent.click(save);
    await waitFor(() => expect(screen.getByTestId("cluster-cell-name").dataset.name).toBe("orders-v2"));
    const sent = calls.filter((c) => c.cmd === "update_cluster").map((c) => c.args);
    expect(sent[0].change).toEqual({ name: "", cku: null }); // the backend judges the empty name
    expect(sent[1]).toEqual({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-1", change: { name: "orders-v2", cku: null } });
    expect(within(screen.getByTestId("cluster-details")).getByRole("heading", { level: 2 }).textContent).toBe("orders-v2");
    expect(notice.value).toBe("Renamed the cluster to “orders-v2”.");
  });

  it("offers resizing only for Dedicated clusters, explains shrinking, and sends the CKUs", async () => {
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => [cluster(), cluster({ id: "lkc-2", name: "big", type: "Dedicated", cku: 4, availability: "MULTI_ZONE" })],
      update_cluster: (a) => {
        if (a.change.cku === 2) throw { code: "CLOUD_INVALID", message: "Refused.", fields: { cku: "Shrink one CKU at a time." } };
        return cluster({ id: "lkc-2", name: "big", type: "Dedicated", cku: a.change.cku, availability: "MULTI_ZONE" });
      },
    });
    render(<Clusters />);
    let details = await openDetails("orders");
    expect(within(details).queryByTestId("cluster-resize-input")).toBeNull();

    details = await openDetails("big");
    expect(within(details).getByTestId("cluster-cku-value").textContent).toBe("4 CKU");
    const input = within(details).getByTestId("cluster-resize-input") as HTMLInputElement;
    expect(input.value).toBe("4");
    expect(details.textContent).toContain("shrinks it one CKU at a time");
    expect((within(details).getByTestId("cluster-resize-save") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.input(input, { target: { value: "2" } });
    expect(within(details).getByTestId("cluster-resize-warning").textContent).toContain("ask for 3 first");
    fireEvent.click(within(details).getByTestId("cluster-resize-save"));
    expect((await screen.findByTestId("error-cluster-resize")).textContent).toBe("Shrink one CKU at a time.");

    fireEvent.input(input, { target: { value: "0" } });
    fireEvent.click(within(details).getByTestId("cluster-resize-save"));
    expect(screen.getByTestId("error-cluster-resize").textContent).toBe("A Dedicated cluster needs at least 1 CKU.");
    expect(calls.filter((c) => c.cmd === "update_cluster")).toHaveLength(1);

    fireEvent.input(input, { target: { value: "6" } });
    const eq = equivalents(within(details).getByTestId("cluster-resize-form"))[0]!;
    expect(within(eq).getByTestId("equivalent-cli").textContent).toContain("confluent kafka cluster update lkc-2 --cku 6 --environment env-1");
    fireEvent.click(within(details).getByTestId("cluster-resize-save"));
    await waitFor(() => expect(within(screen.getByTestId("cluster-details")).getByTestId("cluster-cku-value").textContent).toBe("6 CKU"));
    expect(calls.filter((c) => c.cmd === "update_cluster").at(-1)?.args).toEqual({
      connectionId: "sandbox",
      environmentId: "env-1",
      clusterId: "lkc-2",
      change: { name: null, cku: 6 },
    });
  });

  it("deletes only once the name is typed, then refreshes the list and closes the details", async () => {
    let list = [cluster(), cluster({ id: "lkc-2", name: "payments" })];
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => list,
      delete_cluster: (a) => {
        list = list.filter((c) => c.id !== a.clusterId);
        return null;
      },
    });
    render(<Clusters />);
    const details = await openDetails("orders");
    const eqs = equivalents(within(details).getByTestId("cluster-delete-zone"));
    expect(within(eqs[0]!).getByTestId("equivalent-cli").textContent).toContain("confluent kafka cluster delete lkc-1 --environment env-1");
    expect(within(eqs[0]!).getByTestId("equivalent-rest").textContent).toContain("DELETE http://127.0.0.1:1/cmk/v2/clusters/lkc-1?environment=env-1");

    fireEvent.click(within(details).getByTestId("cluster-delete"));
    const dialog = screen.getByTestId("typeconfirm-dialog");
    expect(dialog.textContent).toContain("Delete cluster “orders”?");
    const ok = screen.getByTestId("typeconfirm-ok") as HTMLButtonElement;
    fireEvent.input(screen.getByTestId("typeconfirm-input"), { target: { value: "Orders" } });
    expect(ok.disabled).toBe(true);
    fireEvent.click(ok);
    expect(calls.some((c) => c.cmd === "delete_cluster")).toBe(false);

    fireEvent.input(screen.getByTestId("typeconfirm-input"), { target: { value: "orders" } });
    expect(ok.disabled).toBe(false);
    const listsBefore = calls.filter((c) => c.cmd === "list_clusters").length;
    fireEvent.click(ok);
    await waitFor(() => expect(screen.queryByTestId("cluster-details")).toBeNull());
    expect(screen.queryByTestId("typeconfirm-dialog")).toBeNull();
    expect(calls.find((c) => c.cmd === "delete_cluster")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-1" });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "list_clusters").length).toBe(listsBefore + 1));
    await waitFor(() => expect(screen.getAllByTestId("cluster-cell-name").map((e) => e.dataset.name)).toEqual(["payments"]));
    expect(notice.value).toBe("Deleted cluster “orders”.");
  });

  it("cancelling the delete dialog deletes nothing", async () => {
    backend({ list_environments: oneEnv, list_clusters: () => [cluster()], delete_cluster: () => null });
    render(<Clusters />);
    const details = await openDetails();
    fireEvent.click(within(details).getByTestId("cluster-delete"));
    fireEvent.click(screen.getByTestId("typeconfirm-cancel"));
    expect(screen.queryByTestId("typeconfirm-dialog")).toBeNull();
    expect(calls.some((c) => c.cmd === "delete_cluster")).toBe(false);
    expect(screen.getByTestId("cluster-details")).toBeTruthy();
  });

  it("a cluster deleted meanwhile: the banner says so and the list is refreshed", async () => {
    let list = [cluster()];
    const gone = { code: "CLOUD_NOT_FOUND", message: "That cluster does not exist (any more)." };
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => list,
      update_cluster: () => {
        list = [];
        throw gone;
      },
    });
    render(<Clusters />);
    const details = await openDetails();
    fireEvent.input(within(details).getByTestId("cluster-rename-input"), { target: { value: "renamed" } });
    fireEvent.click(within(details).getByTestId("cluster-rename-save"));
    await waitFor(() => expect(shownError.value?.code).toBe("CLOUD_NOT_FOUND"));
    expect(shownError.value?.message).toBe(gone.message);
    await screen.findByTestId("clusters-empty");
    expect(screen.queryByTestId("cluster-details")).toBeNull();
    expect(calls.filter((c) => c.cmd === "list_clusters")).toHaveLength(2);
  });

  it("a provisioning cluster deleted elsewhere: the polling says so, the details stay until acted on", async () => {
    let list = [cluster({ phase: "PROVISIONING", bootstrap: null, rest_endpoint: null })];
    const gone = { code: "CLOUD_NOT_FOUND", message: "It does not exist or was deleted. Refresh the list." };
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => list,
      get_cluster: () => {
        throw gone;
      },
      update_cluster: () => {
        throw gone;
      },
    });
    render(<Clusters />);
    const details = await openDetails();
    list = [];
    await waitFor(() => expect(shownError.value?.code).toBe("CLOUD_NOT_FOUND"), { timeout: 3000 });
    await screen.findByTestId("clusters-empty");
    // Still open, marked as gone, so what the user was doing isn't yanked away.
    expect(within(details).getByTestId("cluster-missing")).toBeTruthy();
    shownError.value = null;
    fireEvent.input(within(details).getByTestId("cluster-rename-input"), { target: { value: "too-late" } });
    fireEvent.click(within(details).getByTestId("cluster-rename-save"));
    await waitFor(() => expect(shownError.value?.message).toBe(gone.message));
    await waitFor(() => expect(screen.queryByTestId("cluster-details")).toBeNull());
  });

  it("a delete that finds the cluster already gone also refreshes", async () => {
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => [cluster()],
      delete_cluster: () => {
        throw { code: "CLOUD_NOT_FOUND", message: "Gone." };
      },
    });
    render(<Clusters />);
    const details = await openDetails();
    fireEvent.click(within(details).getByTestId("cluster-delete"));
    fireEvent.input(screen.getByTestId("typeconfirm-input"), { target: { value: "orders" } });
    fireEvent.click(screen.getByTestId("typeconfirm-ok"));
    await waitFor(() => expect(shownError.value?.code).toBe("CLOUD_NOT_FOUND"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "list_clusters")).toHaveLength(2));
    expect(screen.queryByTestId("typeconfirm-dialog")).toBeNull();
  });
});

describe("New cluster and environment forms", () => {
  it("takes a region typed under “Other region…”, and shows the server's verdict on it next to the region", async () => {
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => [],
      create_cluster: (a) => {
        throw {
          code: "CLOUD_INVALID",
          message: "The request was refused as it stands; see the details and correct it.",
          detail: `HTTP 400: Unknown region '${a.input.region}' for AWS.`,
          fields: { region: `Unknown region '${a.input.region}' for AWS.` },
        };
      },
    });
    render(<Clusters />);
    fireEvent.click(await screen.findByTestId("new-cluster"));
    fireEvent.input(screen.getByTestId("cluster-name"), { target: { value: "orders" } });
    expect(screen.queryByTestId("cluster-region-custom")).toBeNull();
    expect((screen.getByTestId("cluster-region-other") as HTMLOptionElement).value).toBe("__other");
    fireEvent.change(screen.getByTestId("cluster-region"), { target: { value: "__other" } });
    const custom = screen.getByTestId("cluster-region-custom") as HTMLInputElement;

    // Nothing typed: refused here.
    fireEvent.click(screen.getByTestId("cluster-save"));
    expect(screen.getByTestId("error-cluster-region").textContent).toBe("Type the region's code.");
    expect(calls.some((c) => c.cmd === "create_cluster")).toBe(false);

    fireEvent.input(custom, { target: { value: " mars-north-1 " } });
    expect(screen.queryByTestId("error-cluster-region")).toBeNull();
    const eq = within(screen.getByTestId("cluster-form")).getByTestId("equivalent");
    expect(within(eq).getByTestId("equivalent-cli").textContent).toContain("--region mars-north-1");
    expect(within(eq).getByTestId("equivalent-rest").textContent).toContain('"region": "mars-north-1"');
    fireEvent.click(screen.getByTestId("cluster-save"));
    expect((await screen.findByTestId("error-cluster-region")).textContent).toBe("Unknown region 'mars-north-1' for AWS.");
    expect(calls.find((c) => c.cmd === "create_cluster")?.args.input.region).toBe("mars-north-1");
    expect(custom.getAttribute("aria-invalid")).toBe("true");
    expect(shownError.value).toBeNull();
    // The typed region survives a change of cloud.
    fireEvent.change(screen.getByTestId("cluster-cloud"), { target: { value: "GCP" } });
    expect((screen.getByTestId("cluster-region-custom") as HTMLInputElement).value).toBe(" mars-north-1 ");
  });

  it("takes at most 64 characters for a name, and shows a name the server refuses next to the name field", async () => {
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: oneEnv,
      list_clusters: () => [],
      create_cluster: () => {
        throw { code: "CLOUD_INVALID", message: "Refused.", fields: { display_name: "display_name must be 1 to 64 characters." } };
      },
    });
    render(<Clusters />);
    fireEvent.click(await screen.findByTestId("new-cluster"));
    const input = screen.getByTestId("cluster-name") as HTMLInputElement;
    expect(input.maxLength).toBe(64); // Confluent's limit
    fireEvent.input(input, { target: { value: "orders" } });
    fireEvent.click(screen.getByTestId("cluster-save"));
    expect((await screen.findByTestId("error-cluster-name")).textContent).toBe("display_name must be 1 to 64 characters.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(shownError.value).toBeNull();
  });

  it("the new-cluster equivalent follows the form, CKUs included for Dedicated", async () => {
    backend({ list_environments: oneEnv, list_clusters: () => [] });
    render(<Clusters />);
    fireEvent.click(await screen.findByTestId("new-cluster"));
    fireEvent.input(screen.getByTestId("cluster-name"), { target: { value: "big" } });
    fireEvent.change(screen.getByTestId("cluster-type"), { target: { value: "Dedicated" } });
    fireEvent.input(screen.getByTestId("cluster-cku"), { target: { value: "3" } });
    fireEvent.change(screen.getByTestId("cluster-region"), { target: { value: "ap-northeast-2" } });
    const cli = within(screen.getByTestId("cluster-form")).getByTestId("equivalent-cli").textContent!;
    expect(cli).toContain("confluent kafka cluster create big --cloud aws --region ap-northeast-2 --type dedicated --availability single-zone --cku 3 --environment env-1");
  });

  it("the new-environment form shows its equivalent", async () => {
    backend({ list_environments: () => [], list_clusters: () => [] });
    render(<Clusters />);
    fireEvent.click(await screen.findByTestId("new-env"));
    fireEvent.input(screen.getByTestId("env-name"), { target: { value: "staging" } });
    const form = screen.getByTestId("env-form");
    expect(within(form).getByTestId("equivalent-cli").textContent).toContain("confluent environment create staging");
    expect(within(form).getByTestId("equivalent-rest").textContent).toContain("POST http://127.0.0.1:1/org/v2/environments");
  });
});

describe("A stopped sandbox", () => {
  it("is not shown as starting: the backend's message says what to do", async () => {
    sandboxStatus.value = { state: "stopped", rest_url: null, ca_file: null, message: null };
    const msg = "The sandbox cloud is stopped, so nothing answers there. Start it again in Settings → Connections.";
    backend({
      sandbox_cluster_brokers: () => [[], []],
      list_environments: () => {
        throw { code: "SANDBOX_NOT_READY", message: msg };
      },
    });
    render(<Clusters />);
    expect((await screen.findByTestId("clusters-error")).dataset.code).toBe("SANDBOX_NOT_READY");
    expect(screen.queryByTestId("clusters-waiting")).toBeNull();
    expect(screen.getByTestId("clusters-message").textContent).toContain(msg);
    expect(screen.getByTestId("clusters-open-settings")).toBeTruthy();
    // Said once, in place: not again in the banner.
    expect(shownError.value).toBeNull();
  });
});
