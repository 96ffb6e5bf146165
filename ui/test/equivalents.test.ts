import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { h } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Equivalent, restText } from "../src/components/Equivalent";
import { lang } from "../src/i18n";
import {
  alterTopicConfigs,
  createApiKey,
  createCluster,
  createEnvironment,
  createServiceAccount,
  createTopic,
  deleteApiKey,
  deleteCluster,
  deleteTopic,
  renameCluster,
  resizeCluster,
  shq,
} from "../src/equivalents";

const target = { envId: "env-1", clusterId: "lkc-1", restEndpoint: "https://pkc-0wg55.us-central1.gcp.confluent.cloud:443/" };
const base = "https://pkc-0wg55.us-central1.gcp.confluent.cloud:443/kafka/v3/clusters/lkc-1";

describe("shell quoting", () => {
  it("leaves plain words bare and single-quotes the rest", () => {
    expect(shq("orders.v1_x-2")).toBe("orders.v1_x-2");
    expect(shq("retention.ms=604800000,cleanup.policy=compact")).toBe("retention.ms=604800000,cleanup.policy=compact");
    expect(shq("my cluster")).toBe("'my cluster'");
    expect(shq("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
    expect(shq("")).toBe("''");
    expect(shq("a;rm -rf /")).toBe("'a;rm -rf /'");
    expect(shq("=ls")).toBe("'=ls'");
    expect(shq("a*")).toBe("'a*'");
    expect(shq("~/x")).toBe("'~/x'");
  });
});

describe("environments and clusters (Cloud API)", () => {
  it("createEnvironment", () => {
    expect(createEnvironment("staging env")).toEqual({
      rest: { method: "POST", path: "/org/v2/environments", body: { display_name: "staging env" }, auth: "cloud" },
      cli: "confluent environment create 'staging env'",
    });
  });

  it("createCluster: Basic", () => {
    const eq = createCluster({ environmentId: "env-1", name: "orders", type: "Basic", cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE" });
    expect(eq.rest).toEqual({
      method: "POST",
      path: "/cmk/v2/clusters",
      body: { spec: { display_name: "orders", availability: "SINGLE_ZONE", cloud: "AWS", region: "us-east-1", config: { kind: "Basic" }, environment: { id: "env-1" } } },
      auth: "cloud",
    });
    expect(eq.cli).toBe("confluent kafka cluster create orders --cloud aws --region us-east-1 --type basic --availability single-zone --environment env-1");
  });

  it("createCluster: Dedicated carries its CKUs in both forms; a cku given for other types is ignored", () => {
    const eq = createCluster({ environmentId: "env-1", name: "big one", type: "Dedicated", cku: 2, cloud: "GCP", region: "asia-northeast3", availability: "MULTI_ZONE" });
    expect((eq.rest.body as any).spec.config).toEqual({ kind: "Dedicated", cku: 2 });
    expect(eq.cli).toBe("confluent kafka cluster create 'big one' --cloud gcp --region asia-northeast3 --type dedicated --availability multi-zone --cku 2 --environment env-1");
    const std = createCluster({ environmentId: "env-1", name: "s", type: "Standard", cku: 4, cloud: "AZURE", region: "koreacentral", availability: "MULTI_ZONE" });
    expect((std.rest.body as any).spec.config).toEqual({ kind: "Standard" });
    expect(std.cli).not.toContain("--cku");
    expect(std.cli).toContain("--cloud azure");
    const ent = createCluster({ environmentId: "env-1", name: "e", type: "Enterprise", cloud: "AWS", region: "us-east-2", availability: "HIGH" });
    expect(ent.cli).toContain("--type enterprise --availability high");
  });

  it("renameCluster and resizeCluster PATCH with the environment in the body", () => {
    expect(renameCluster("env-1", "lkc-1", "new name")).toEqual({
      rest: { method: "PATCH", path: "/cmk/v2/clusters/lkc-1", body: { spec: { display_name: "new name", environment: { id: "env-1" } } }, auth: "cloud" },
      cli: "confluent kafka cluster update lkc-1 --name 'new name' --environment env-1",
    });
    expect(resizeCluster("env-1", "lkc-1", 3)).toEqual({
      rest: { method: "PATCH", path: "/cmk/v2/clusters/lkc-1", body: { spec: { config: { kind: "Dedicated", cku: 3 }, environment: { id: "env-1" } } }, auth: "cloud" },
      cli: "confluent kafka cluster update lkc-1 --cku 3 --environment env-1",
    });
  });

  it("deleteCluster names the environment in the query", () => {
    expect(deleteCluster("env-1", "lkc-1")).toEqual({
      rest: { method: "DELETE", path: "/cmk/v2/clusters/lkc-1?environment=env-1", auth: "cloud" },
      cli: "confluent kafka cluster delete lkc-1 --environment env-1",
    });
  });
});

describe("topics (Kafka REST v3 with the cluster's key)", () => {
  it("createTopic with configs", () => {
    const eq = createTopic({ ...target, name: "orders", partitions: 6, configs: [["retention.ms", "604800000"], ["cleanup.policy", "compact,delete"]] });
    expect(eq.rest).toEqual({
      method: "POST",
      path: `${base}/topics`,
      body: {
        topic_name: "orders",
        partitions_count: 6,
        configs: [
          { name: "retention.ms", value: "604800000" },
          { name: "cleanup.policy", value: "compact,delete" },
        ],
      },
      auth: "cluster",
    });
    expect(eq.cli).toBe("confluent kafka topic create orders --partitions 6 --config retention.ms=604800000,cleanup.policy=compact,delete --cluster lkc-1 --environment env-1");
  });

  it("createTopic without configs sends none", () => {
    const eq = createTopic({ ...target, name: "t", partitions: 1, configs: [] });
    expect(eq.rest.body).toEqual({ topic_name: "t", partitions_count: 1 });
    expect(eq.cli).toBe("confluent kafka topic create t --partitions 1 --cluster lkc-1 --environment env-1");
  });

  it("masks credential-looking config values in the body and the command", () => {
    const eq = createTopic({ ...target, name: "t", partitions: 1, configs: [["sasl.jaas.config", "user='a' password='b'"], ["x.password", "hunter2"], ["retention.ms", "1"]] });
    const json = JSON.stringify(eq.rest.body);
    expect(json).not.toContain("hunter2");
    expect(json).not.toContain("password='b'");
    expect((eq.rest.body as any).configs).toEqual([
      { name: "sasl.jaas.config", value: "****" },
      { name: "x.password", value: "****" },
      { name: "retention.ms", value: "1" },
    ]);
    expect(eq.cli).not.toContain("hunter2");
    expect(eq.cli).toContain("--config 'sasl.jaas.config=****,x.password=****,retention.ms=1'");
  });

  it("alterTopicConfigs sets and resets; the CLI can only set", () => {
    const eq = alterTopicConfigs({ ...target, topic: "orders", changes: [{ name: "retention.ms", value: "86400000" }, { name: "cleanup.policy", value: null }] });
    expect(eq.rest).toEqual({
      method: "POST",
      path: `${base}/topics/orders/configs:alter`,
      body: { data: [{ name: "retention.ms", value: "86400000" }, { name: "cleanup.policy", operation: "DELETE" }] },
      auth: "cluster",
    });
    expect(eq.cli).toBe("confluent kafka topic update orders --config retention.ms=86400000 --cluster lkc-1 --environment env-1");
    expect(eq.note).toBe("equiv.note.cliNoReset");

    const onlyReset = alterTopicConfigs({ ...target, topic: "orders", changes: [{ name: "retention.ms", value: null }] });
    expect(onlyReset.cli).toBe("");
    expect(onlyReset.note).toBe("equiv.note.cliNoReset");
    const onlySet = alterTopicConfigs({ ...target, topic: "orders", changes: [{ name: "retention.ms", value: "1" }] });
    expect(onlySet.note).toBeUndefined();
  });

  it("deleteTopic; odd topic names are URL-encoded in the path and kept away from flag parsing", () => {
    expect(deleteTopic({ ...target, topic: "orders" })).toEqual({
      rest: { method: "DELETE", path: `${base}/topics/orders`, auth: "cluster" },
      cli: "confluent kafka topic delete orders --cluster lkc-1 --environment env-1",
    });
    const odd = deleteTopic({ ...target, topic: "-dash#1" });
    expect(odd.rest.path).toBe(`${base}/topics/-dash%231`);
    expect(odd.cli).toBe("confluent kafka topic delete --cluster lkc-1 --environment env-1 -- '-dash#1'");
  });
});

describe("service accounts and API keys", () => {
  it("createServiceAccount", () => {
    expect(createServiceAccount("orders-app", "Writes the orders topic")).toEqual({
      rest: { method: "POST", path: "/iam/v2/service-accounts", body: { display_name: "orders-app", description: "Writes the orders topic" }, auth: "cloud" },
      cli: "confluent iam service-account create orders-app --description 'Writes the orders topic'",
    });
    expect(createServiceAccount("a", "").cli).toBe("confluent iam service-account create a --description ''");
  });

  it("createApiKey for a cluster, owned by a service account", () => {
    const eq = createApiKey({ ownerId: "sa-1", resource: { id: "lkc-1", kind: "Cluster", environmentId: "env-1" }, name: "orders key", description: "for the app" });
    expect(eq.rest).toEqual({
      method: "POST",
      path: "/iam/v2/api-keys",
      body: { spec: { display_name: "orders key", description: "for the app", owner: { id: "sa-1" }, resource: { id: "lkc-1", environment: "env-1" } } },
      auth: "cloud",
    });
    expect(eq.cli).toBe("confluent api-key create --resource lkc-1 --service-account sa-1 --description 'for the app' --environment env-1");
    expect(eq.note).toBe("equiv.note.cliNoKeyName");
  });

  it("createApiKey for the Cloud, owned by a user", () => {
    const eq = createApiKey({ ownerId: "u-1", resource: { id: "cloud", kind: "Cloud" } });
    expect(eq.rest.body).toEqual({ spec: { owner: { id: "u-1" }, resource: { id: "cloud" } } });
    expect(eq.cli).toBe("confluent api-key create --resource cloud");
    expect(eq.note).toBeUndefined();
    // No secret is ever part of the request.
    expect(JSON.stringify(eq)).not.toMatch(/secret/i);
  });

  it("deleteApiKey", () => {
    expect(deleteApiKey("7FJIYKQ4SGQDQ72H")).toEqual({
      rest: { method: "DELETE", path: "/iam/v2/api-keys/7FJIYKQ4SGQDQ72H", auth: "cloud" },
      cli: "confluent api-key delete 7FJIYKQ4SGQDQ72H",
    });
  });
});

describe("<Equivalent>", () => {
  afterEach(() => {
    cleanup();
    lang.value = "en";
  });
  function clipboard(impl: (s: string) => Promise<void>) {
    const writeText = vi.fn(impl);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    return writeText;
  }

  it("is closed by default and shows the full REST call, its credential and the command", () => {
    lang.value = "en";
    const eq = createCluster({ environmentId: "env-1", name: "orders", type: "Basic", cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE" });
    render(h(Equivalent, { eq }));
    const details = screen.getByTestId("equivalent") as HTMLDetailsElement;
    expect(details.tagName).toBe("DETAILS");
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")!.textContent).toBe("Show the equivalent");
    const rest = screen.getByTestId("equivalent-rest");
    expect(rest.querySelector("pre")!.textContent).toBe(
      `POST https://api.confluent.cloud/cmk/v2/clusters\n\n${JSON.stringify(eq.rest.body, null, 2)}`,
    );
    expect(rest.textContent).toContain("Basic auth with the Cloud API key.");
    expect(screen.getByTestId("equivalent-cli").querySelector("pre")!.textContent).toBe(eq.cli);
  });

  it("uses the connection's Cloud API URL, keeps Kafka REST URLs whole, and names the cluster's key", () => {
    const eq = deleteTopic({ ...target, topic: "orders" });
    expect(restText(eq, "http://127.0.0.1:8080/")).toBe(`DELETE ${base}/topics/orders`);
    expect(restText(deleteApiKey("K"), "http://127.0.0.1:8080/")).toBe("DELETE http://127.0.0.1:8080/iam/v2/api-keys/K");
    render(h(Equivalent, { eq, cloudApiUrl: "http://127.0.0.1:8080" }));
    expect(screen.getByTestId("equivalent-auth").textContent).toBe("Basic auth with the cluster's API key.");
  });

  it("copies each part and says so", async () => {
    const writeText = clipboard(() => Promise.resolve());
    const eq = deleteCluster("env-1", "lkc-1");
    render(h(Equivalent, { eq }));
    fireEvent.click(screen.getByTestId("equivalent-cli-copy"));
    await waitFor(() => expect(screen.getByTestId("equivalent-cli-copy").textContent).toBe("✓ Copied"));
    expect(writeText).toHaveBeenLastCalledWith("confluent kafka cluster delete lkc-1 --environment env-1");
    fireEvent.click(screen.getByTestId("equivalent-rest-copy"));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith("DELETE https://api.confluent.cloud/cmk/v2/clusters/lkc-1?environment=env-1"));
  });

  it("says when copying failed, and shows the note instead of a command the CLI can't run", async () => {
    clipboard(() => Promise.reject(new Error("denied")));
    const eq = alterTopicConfigs({ ...target, topic: "orders", changes: [{ name: "retention.ms", value: null }] });
    render(h(Equivalent, { eq }));
    expect(screen.queryByTestId("equivalent-cli-copy")).toBeNull();
    expect(screen.getByTestId("equivalent-note").textContent).toContain("can't reset a config");
    fireEvent.click(screen.getByTestId("equivalent-rest-copy"));
    await waitFor(() => expect(screen.getByTestId("equivalent-rest-copy").textContent).toBe("Couldn't copy"));
  });

  it("speaks Korean", () => {
    lang.value = "ko";
    render(h(Equivalent, { eq: deleteApiKey("K") }));
    expect(screen.getByTestId("equivalent-auth").textContent).toBe("Cloud API 키로 Basic 인증.");
  });
});
