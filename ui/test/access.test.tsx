// The access screens against a fake Rust side: the ACLs tab (names, filter, preset preview, one
// ACL, delete after confirmation, the key it needs), the keys Gureum holds (paste, use, forget),
// and a refusal's one-click fix.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";

import { freshWindow } from "./window";
import { backend, calls } from "./backend";
import { clusterView } from "./fixtures";
import { lang } from "../src/i18n";
import { ApiKeys } from "../src/sections/ApiKeys";
import { keysTab } from "../src/sections/access/state";
import { Refusal } from "../src/sections/access/Refusal";

const cluster = clusterView();
const me = { id: "u-me", name: "Sandbox user", kind: "User" };
const app = { id: "sa-1", name: "orders-app", kind: "ServiceAccount" };
const acl = (principal: string, operation: string, resource_type = "TOPIC", resource_name = "orders", pattern_type = "LITERAL", permission = "ALLOW") => ({
  resource_type,
  resource_name,
  pattern_type,
  principal,
  host: "*",
  operation,
  permission,
});
const base = {
  list_environments: () => [{ id: "env-1", name: "dev" }],
  list_clusters: () => [cluster],
  list_service_accounts: () => [{ id: "sa-1", name: "orders-app", description: "", created_at: null }],
  list_api_keys: () => [],
  my_account: () => me,
  acl_equivalent: (a: any) => ({
    method: a.removing ? "DELETE" : "POST",
    url: a.removing ? "https://127.0.0.1:8443/kafka/v3/clusters/lkc-1/acls?resource_type=TOPIC" : "https://127.0.0.1:8443/kafka/v3/clusters/lkc-1/acls:batch",
    body: a.removing ? null : JSON.stringify({ data: a.acls }),
    cli: a.acls.map((x: any) => `confluent kafka acl ${a.removing ? "delete" : "create"} --allow --service-account ${x.principal.slice(5)} --operations ${x.operation.toLowerCase()}`),
  }),
  preview_preset: (a: any) => [acl(a.principal, "READ", "TOPIC", a.target.topic), acl(a.principal, "DESCRIBE", "TOPIC", a.target.topic), acl(a.principal, "READ", "GROUP", a.target.group)],
};

freshWindow({ onSandbox: true });

describe("the ACLs tab", () => {
  it("lists each ACL with its principal's name and id, filters, and deletes one after confirmation", async () => {
    let rows = [
      { acl: acl("User:sa-1", "WRITE"), account: app },
      { acl: acl("User:sa-1", "READ", "GROUP", "billing", "PREFIXED"), account: app },
      { acl: acl("User:sa-2", "READ", "TOPIC", "orders", "LITERAL", "DENY"), account: { id: "sa-2", name: "auditor", kind: "ServiceAccount" } },
    ];
    backend({
      ...base,
      list_acls: () => ({ me, admin_key: "ADMINKEY", rows }),
      delete_acl: (a) => {
        rows = rows.filter((r) => JSON.stringify(r.acl) !== JSON.stringify(a.acl));
        return 1;
      },
    });
    render(<ApiKeys />);
    // Tabs are reachable with the arrow keys.
    fireEvent.keyDown(screen.getByTestId("keys-tab-keys"), { key: "ArrowRight" });
    expect(keysTab.value).toBe("acls");
    const shown = await screen.findAllByTestId("acls-row");
    expect(shown).toHaveLength(3);
    expect(shown[0]!.textContent).toContain("orders-app");
    expect(shown[0]!.textContent).toContain("sa-1");
    expect(screen.getByTestId("acls-admin-key").textContent).toContain("ADMINKEY");
    // Filter by principal.
    fireEvent.change(screen.getByTestId("acls-filter-principal"), { target: { value: "sa-2" } });
    await waitFor(() => expect(screen.getAllByTestId("acls-row")).toHaveLength(1));
    expect(screen.getByTestId("acls-row").textContent).toContain("DENY");
    fireEvent.change(screen.getByTestId("acls-filter-principal"), { target: { value: "" } });
    // Details, the equivalent, and delete only after confirming.
    fireEvent.click((await screen.findAllByTestId("acls-row"))[0]!);
    await waitFor(() => expect(screen.getByTestId("acl-details").textContent).toContain("confluent kafka acl delete"));
    fireEvent.click(screen.getByTestId("acl-delete"));
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("orders-app (sa-1) loses ALLOW WRITE on TOPIC “orders”");
    expect(calls.some((c) => c.cmd === "delete_acl")).toBe(false);
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getAllByTestId("acls-row")).toHaveLength(2));
    expect(calls.find((c) => c.cmd === "delete_acl")?.args.acl).toEqual(acl("User:sa-1", "WRITE"));
  });

  it("says it needs a key of my account, and makes one when asked", async () => {
    let admin: string | null = null;
    keysTab.value = "acls";
    backend({
      ...base,
      list_acls: () => ({ me, admin_key: admin, rows: [] }),
      prepare_acl_key: () => {
        admin = "MADE";
        return { key_id: "MADE", created: true };
      },
    });
    render(<ApiKeys />);
    expect((await screen.findByTestId("acls-need-key")).textContent).toContain("Sandbox user (u-me)");
    fireEvent.click(screen.getByTestId("acls-make-key"));
    await screen.findByTestId("acls-admin-key");
    expect(calls.find((c) => c.cmd === "prepare_acl_key")?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-1" });
    expect(screen.getByTestId("acls-empty").textContent).toContain("No ACLs");
  });

  it("previews a preset's exact ACLs before adding them, and adds one ACL with every field", async () => {
    keysTab.value = "acls";
    backend({ ...base, list_acls: () => ({ me, admin_key: "ADMINKEY", rows: [] }), add_acls: () => ({ key_id: "ADMINKEY", created: false }) });
    render(<ApiKeys />);
    fireEvent.click(await screen.findByTestId("acls-add-preset"));
    // Full access says what it is.
    expect(screen.getByTestId("acl-preset-form").textContent).toContain("what least privilege avoids");
    fireEvent.click(screen.getByTestId("preset-Consumer"));
    fireEvent.input(screen.getByTestId("preset-topic"), { target: { value: "orders" } });
    expect((screen.getByTestId("acl-preset-add") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByTestId("preset-group"), { target: { value: "billing" } });
    await waitFor(() => expect(screen.getAllByTestId("preset-acl-row").map((r) => r.dataset.resource)).toEqual(["TOPIC:orders", "TOPIC:orders", "GROUP:billing"]));
    await waitFor(() => expect(screen.getByTestId("preset-preview").textContent).toContain("confluent kafka acl create"));
    fireEvent.click(screen.getByTestId("acl-preset-add"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_acls")).toBe(true));
    expect(calls.find((c) => c.cmd === "add_acls")?.args.acls).toHaveLength(3);
    expect(calls.find((c) => c.cmd === "add_acls")?.args.acls[0].principal).toBe("User:sa-1");

    fireEvent.click(await screen.findByTestId("acls-new"));
    fireEvent.change(screen.getByTestId("field-acl-type"), { target: { value: "CLUSTER" } });
    expect((screen.getByTestId("field-acl-name") as HTMLInputElement).value).toBe("kafka-cluster");
    fireEvent.change(screen.getByTestId("field-acl-operation"), { target: { value: "IDEMPOTENT_WRITE" } });
    fireEvent.change(screen.getByTestId("field-acl-permission"), { target: { value: "DENY" } });
    fireEvent.click(screen.getByTestId("acl-save"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "add_acls")).toHaveLength(2));
    expect(calls.filter((c) => c.cmd === "add_acls")[1]!.args.acls).toEqual([acl("User:sa-1", "IDEMPOTENT_WRITE", "CLUSTER", "kafka-cluster", "LITERAL", "DENY")]);
  });
});

describe("keys Gureum holds", () => {
  it("shows which clusters have a key, checks a pasted one before keeping it, and can switch or forget", async () => {
    const other = clusterView({ id: "lkc-2", name: "payments" });
    let held: { cluster_id: string; key_id: string; in_use: boolean; owner: typeof me | null }[] = [
      { cluster_id: "lkc-1", key_id: "OLD", in_use: false, owner: me },
      { cluster_id: "lkc-1", key_id: "APPKEY", in_use: true, owner: app },
    ];
    keysTab.value = "held";
    backend({
      ...base,
      list_clusters: () => [cluster, other],
      held_keys: () => held,
      use_existing_key: (a) => {
        if (a.secret !== "right") throw { code: "CLUSTER_KEY_REFUSED", message: "The cluster refused PASTED with this secret." };
        held = [...held, { cluster_id: "lkc-2", key_id: a.keyId, in_use: true, owner: null }];
        return { key_id: a.keyId, owner: app, topics: [{ topic: "payments", operations: ["READ", "DESCRIBE"] }], visible: 1 };
      },
      use_held_key: (a) => {
        held = held.map((k) => ({ ...k, in_use: k.key_id === a.keyId }));
        return null;
      },
      forget_held_key: (a) => {
        held = held.filter((k) => k.key_id !== a.keyId);
        return null;
      },
    });
    render(<ApiKeys />);
    await waitFor(() => expect(screen.getAllByTestId("held-row")).toHaveLength(3));
    const none = screen.getAllByTestId("held-row").find((r) => r.dataset.cluster === "lkc-2")!;
    expect(none.textContent).toContain("No key yet");
    // Paste a key: a wrong secret is refused and nothing is kept.
    fireEvent.click(none.querySelector('[data-testid="held-paste"]')!);
    fireEvent.input(screen.getByTestId("field-paste-key"), { target: { value: "PASTED" } });
    fireEvent.input(screen.getByTestId("field-paste-secret"), { target: { value: "wrong" } });
    expect((screen.getByTestId("field-paste-secret") as HTMLInputElement).type).toBe("password");
    fireEvent.click(screen.getByTestId("paste-save"));
    expect((await screen.findByTestId("paste-error")).dataset.code).toBe("CLUSTER_KEY_REFUSED");
    fireEvent.input(screen.getByTestId("field-paste-secret"), { target: { value: "right" } });
    fireEvent.click(screen.getByTestId("paste-save"));
    const result = await screen.findByTestId("paste-result");
    expect(result.textContent).toContain("Authenticated");
    expect(result.textContent).toContain("orders-app (sa-1)");
    expect(result.textContent).toContain("payments — READ, DESCRIBE");
    expect(calls.filter((c) => c.cmd === "use_existing_key").at(-1)?.args).toEqual({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-2", keyId: "PASTED", secret: "right" });
    fireEvent.click(screen.getByTestId("paste-done"));
    await waitFor(() => expect(screen.getAllByTestId("held-row").find((r) => r.dataset.key === "PASTED")?.dataset.inUse).toBe("true"));
    // Use the older key instead; forget one after confirming.
    fireEvent.click(screen.getAllByTestId("held-row").find((r) => r.dataset.key === "OLD")!.querySelector('[data-testid="held-use"]')!);
    await waitFor(() => expect(screen.getAllByTestId("held-row").find((r) => r.dataset.key === "OLD")?.dataset.inUse).toBe("true"));
    fireEvent.click(screen.getAllByTestId("held-row").find((r) => r.dataset.key === "APPKEY")!.querySelector('[data-testid="held-forget"]')!);
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getAllByTestId("held-row").some((r) => r.dataset.key === "APPKEY")).toBe(false));
  });
});

describe("a refusal", () => {
  it("says which operation on which resource, in both languages, and its fix adds the preset it previewed", async () => {
    const refused = { operation: "READ", resource_type: "TOPIC", resource_name: "orders", topic: "orders", group: null, key_id: "APPKEY" };
    const fix = {
      preset: "Consumer" as const,
      target: { topic: "orders", prefixed: false, group: "orders-readers", group_prefixed: false },
      acls: [acl("User:sa-1", "READ"), acl("User:sa-1", "DESCRIBE"), acl("User:sa-1", "READ", "GROUP", "orders-readers")],
      exact: acl("User:sa-1", "READ"),
    };
    backend({
      ...base,
      fix_for_refusal: () => ({ key_id: "APPKEY", rest_endpoint: "https://127.0.0.1:8443", account: app, fix }),
      add_acls: () => ({ key_id: "ADMINKEY", created: true }),
    });
    let fixed = 0;
    const error = { code: "NOT_AUTHORIZED" as const, message: "Not authorized", refused };
    const where = { conn: "sandbox", envId: "env-1", clusterId: "lkc-1" };
    const { unmount } = render(<Refusal error={error} where={where} testid="r" onFixed={() => fixed++} />);
    expect(screen.getByTestId("r").dataset.operation).toBe("READ");
    expect(screen.getByTestId("r-sentence").textContent).toBe("The key's owner may not READ topic “orders”: no ACL allows it.");
    const button = await screen.findByText("Fix: add the Consumer preset…");
    expect(screen.getByTestId("r-owner").textContent).toContain("orders-app (sa-1)");
    fireEvent.click(button);
    const dialog = await screen.findByTestId("fix-dialog");
    await waitFor(() => expect(screen.getAllByTestId("preset-acl-row").map((r) => r.dataset.resource)).toEqual(["TOPIC:orders", "TOPIC:orders", "GROUP:orders-readers"]));
    expect(dialog.textContent).toContain("Allow orders-app (sa-1) to READ topic “orders”");
    // Or just the one missing ACL.
    fireEvent.click(screen.getByTestId("fix-choice-exact"));
    expect(screen.getAllByTestId("preset-acl-row")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("fix-choice-preset"));
    await waitFor(() => expect(screen.getAllByTestId("preset-acl-row")).toHaveLength(3));
    fireEvent.click(screen.getByTestId("fix-add"));
    await screen.findByTestId("r-fixed");
    expect(fixed).toBe(1);
    expect(calls.find((c) => c.cmd === "add_acls")?.args).toMatchObject({ connectionId: "sandbox", environmentId: "env-1", clusterId: "lkc-1" });
    expect(calls.find((c) => c.cmd === "add_acls")?.args.acls).toHaveLength(3);
    expect(calls.find((c) => c.cmd === "fix_for_refusal")?.args.refused).toEqual(refused);
    unmount();
    lang.value = "ko";
    render(<Refusal error={error} where={null} testid="k" />);
    expect(screen.getByTestId("k-sentence").textContent).toBe("키의 소유자는 토픽 “orders”에 READ 할 수 없습니다: 허용하는 ACL이 없습니다.");
    // No cluster: no fix offered.
    expect(screen.queryByTestId("k-fix")).toBeNull();
  });
});
