import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";

import { freshWindow } from "./window";
import { backend, calls } from "./backend";
import type { ClusterView_Serialize } from "../src/bindings";
import { ApiKeys } from "../src/sections/ApiKeys";
import { keyFor } from "../src/sections/access/state";


const cluster: ClusterView_Serialize = { id: "lkc-1", name: "orders", environment_id: "env-1", type: "Basic", cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE", phase: "PROVISIONED", bootstrap: "h:9092", rest_endpoint: "https://h", cku: null };
const me = { id: "u-me", name: "Sandbox user", kind: "User" };
/** What Rust's Preset::acls gives for the Producer preset on a topic. */
const producerAcls = (principal: string, topic: string) =>
  [
    ["TOPIC", topic, "WRITE"],
    ["TOPIC", topic, "DESCRIBE"],
    ["CLUSTER", "kafka-cluster", "IDEMPOTENT_WRITE"],
  ].map(([resource_type, resource_name, operation]) => ({ resource_type, resource_name, pattern_type: "LITERAL", principal, host: "*", operation, permission: "ALLOW" }));
const key = (id: string, over = {}) => ({ id, name: "", description: "", owner_id: "sa-1", owner_kind: "ServiceAccount", resource_id: "lkc-1", environment_id: "env-1", created_at: "2026-11-25T09:00:00Z", stored: false, ...over });

freshWindow({ onSandbox: true });

describe("API keys", () => {
  it("creates a service account, then a cluster key whose secret is shown once and waited for", async () => {
    let keys = [key("OLDKEY")];
    let sas = [] as { id: string; name: string; description: string; created_at: null }[];
    backend({
      list_service_accounts: () => sas,
      create_service_account: (a) => {
        const sa = { id: "sa-1", name: a.name, description: a.description, created_at: null };
        sas = [sa];
        return sa;
      },
      list_api_keys: () => keys,
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [cluster],
      my_account: () => me,
      preview_preset: (a) => producerAcls(a.principal, a.target.topic),
      acl_equivalent: () => ({ method: "POST", url: "https://h/kafka/v3/clusters/lkc-1/acls:batch", body: "{}", cli: ["confluent kafka acl create …"] }),
      create_api_key: (a) => {
        const k = key("NEWKEY", { stored: true, name: a.input.name });
        keys = [...keys, k];
        return { key: k, secret: "s3cr3t-once", store_error: null, acls_added: a.input.acls, admin_key: { key_id: "ADMINKEY", created: true } };
      },
      wait_for_api_key: () => ({ probe_topic: "orders", authorized: ["WRITE", "DESCRIBE"] }),
    });
    render(<ApiKeys />);
    expect((await screen.findAllByTestId("keys-row")).map((r) => r.dataset.key)).toEqual(["OLDKEY"]);
    fireEvent.click(screen.getByTestId("new-sa"));
    fireEvent.input(screen.getByTestId("field-sa-name"), { target: { value: "orders-app" } });
    fireEvent.click(screen.getByTestId("sa-save"));
    await screen.findByTestId("sas-row");
    expect(calls.find((c) => c.cmd === "create_service_account")?.args).toEqual({ connectionId: "sandbox", name: "orders-app", description: "" });

    fireEvent.click(screen.getByTestId("new-key"));
    await screen.findByTestId("key-form");
    // A service account's key, with the Producer preset on "orders" picked right there.
    fireEvent.click(screen.getByTestId("key-owner-sa"));
    expect(screen.getByTestId("equivalent-cli").textContent).toContain("confluent api-key create --resource lkc-1 --service-account sa-1");
    expect((screen.getByTestId("preset-Producer") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("key-save") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByTestId("preset-topic"), { target: { value: "orders" } });
    // The exact ACLs it will add, before anything is added.
    await waitFor(() => expect(screen.getAllByTestId("preset-acl-row").map((r) => r.dataset.operation)).toEqual(["WRITE", "DESCRIBE", "IDEMPOTENT_WRITE"]));
    expect(calls.find((c) => c.cmd === "preview_preset")?.args).toMatchObject({ principal: "User:sa-1", preset: "Producer", target: { topic: "orders", prefixed: false } });
    fireEvent.click(screen.getByTestId("key-save"));
    const dialog = await screen.findByTestId("secret-dialog");
    expect(dialog.textContent).toContain("s3cr3t-once");
    expect(calls.find((c) => c.cmd === "create_api_key")?.args.input).toEqual({ owner_id: "sa-1", cluster_id: "lkc-1", environment_id: "env-1", name: "", description: "", acls: producerAcls("User:sa-1", "orders") });
    await waitFor(() => expect(dialog.textContent).toContain("Ready: Gureum uses this key for orders."));
    // Authenticated and authorized are said apart.
    expect(dialog.textContent).toContain("Authenticated");
    expect(screen.getByTestId("secret-authorized").textContent).toContain("Authorized for WRITE, DESCRIBE on topic “orders”");
    expect(screen.getByTestId("secret-admin-key").textContent).toContain("ADMINKEY");
    expect(screen.getAllByTestId("secret-acl-row")).toHaveLength(3);
    expect(calls.find((c) => c.cmd === "wait_for_api_key")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-1", keyId: "NEWKEY", probeTopic: "orders" });
    fireEvent.click(screen.getByTestId("secret-ack"));
    fireEvent.click(screen.getByTestId("secret-done"));
    await waitFor(() => expect(screen.getAllByTestId("keys-row").map((r) => r.dataset.key)).toContain("NEWKEY"));
    // Once closed the secret is nowhere on screen.
    expect(document.body.textContent).not.toContain("s3cr3t-once");
  });

  it("says when the secret could not be kept and never waits for such a key", async () => {
    backend({
      list_service_accounts: () => [{ id: "sa-1", name: "app", description: "", created_at: null }],
      list_api_keys: () => [],
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [cluster],
      my_account: () => me,
      create_api_key: () => ({ key: key("K2"), secret: "x", store_error: "the OS keyring is locked", acls_added: [], admin_key: null }),
    });
    render(<ApiKeys />);
    fireEvent.click(await screen.findByTestId("new-key"));
    fireEvent.click(await screen.findByTestId("key-save"));
    expect((await screen.findByTestId("secret-dialog")).textContent).toContain("could not be kept in the OS keyring (the OS keyring is locked)");
    expect(calls.some((c) => c.cmd === "wait_for_api_key")).toBe(false);
  });

  it("deletes a key only after confirmation", async () => {
    let keys = [key("K1", { stored: true })];
    backend({
      list_service_accounts: () => [],
      list_api_keys: () => keys,
      delete_api_key: (a) => {
        keys = keys.filter((k) => k.id !== a.keyId);
        return null;
      },
    });
    render(<ApiKeys />);
    fireEvent.click((await screen.findAllByTestId("keys-row"))[0]!);
    expect(screen.getByTestId("key-details").textContent).toContain("keeps its secret");
    fireEvent.click(screen.getByTestId("key-delete"));
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("forgets the secret");
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryAllByTestId("keys-row")).toHaveLength(0));
    expect(calls.find((c) => c.cmd === "delete_api_key")?.args).toEqual({ connectionId: "sandbox", keyId: "K1" });
  });
});

describe("API key form", () => {
  it("picks up a service account created after the form opened", async () => {
    let sas: { id: string; name: string; description: string; created_at: null }[] = [];
    keyFor.value = { conn: "sandbox", envId: "env-1", clusterId: "lkc-1" };
    backend({
      list_service_accounts: () => sas,
      create_service_account: (a) => (sas = [{ id: "sa-7", name: a.name, description: "", created_at: null }])[0],
      list_api_keys: () => [],
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [cluster],
      my_account: () => me,
      create_api_key: () => ({ key: key("K3", { owner_id: "sa-7" }), secret: "x", store_error: null, acls_added: [], admin_key: null }),
    });
    render(<ApiKeys />);
    await screen.findByTestId("key-form");
    fireEvent.click(screen.getByTestId("key-owner-sa"));
    expect((screen.getByTestId("key-save") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("new-sa"));
    fireEvent.input(screen.getByTestId("field-sa-name"), { target: { value: "late" } });
    fireEvent.click(screen.getByTestId("sa-save"));
    // A key with no ACLs: a choice too (it is refused everywhere until some are added).
    fireEvent.click(await screen.findByTestId("preset-none"));
    await waitFor(() => expect((screen.getByTestId("key-save") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("key-save"));
    await screen.findByTestId("secret-dialog");
    expect(calls.find((c) => c.cmd === "create_api_key")?.args.input.owner_id).toBe("sa-7");
  });

  it("makes a key of my account by default: full access, no ACLs to add", async () => {
    keyFor.value = { conn: "sandbox", envId: "env-1", clusterId: "lkc-1" };
    backend({
      list_service_accounts: () => [],
      list_api_keys: () => [],
      list_environments: () => [{ id: "env-1", name: "dev" }],
      list_clusters: () => [cluster],
      my_account: () => me,
      create_api_key: () => ({ key: key("K4", { owner_id: "u-me", owner_kind: "User", stored: true }), secret: "x", store_error: null, acls_added: [], admin_key: null }),
      wait_for_api_key: () => ({ probe_topic: null, authorized: null }),
    });
    render(<ApiKeys />);
    await screen.findByTestId("key-form");
    await waitFor(() => expect(screen.getByTestId("key-owner-kind").textContent).toContain("Sandbox user (u-me)"));
    expect((screen.getByTestId("key-owner-me") as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId("preset-picker")).toBeNull();
    // The CLI makes a key for the logged-in user without --service-account.
    expect(screen.getByTestId("equivalent-cli").textContent).not.toContain("--service-account");
    fireEvent.click(screen.getByTestId("key-save"));
    await screen.findByTestId("secret-dialog");
    expect(calls.find((c) => c.cmd === "create_api_key")?.args.input).toMatchObject({ owner_id: "u-me", acls: [] });
    await waitFor(() => expect(screen.getByTestId("secret-authorized").textContent).toContain("Full access"));
    expect(calls.find((c) => c.cmd === "wait_for_api_key")?.args.probeTopic).toBeNull();
  });
});
