import { describe, expect, it } from "vitest";

import type { Connection } from "../src/bindings";
import { draftFrom, emptyDraft, toInput, usesSecret } from "../src/sections/connectionDraft";

describe("connection drafts", () => {
  it("sends no secret when the field is left empty (an edit keeps the stored one)", () => {
    const d = { ...emptyDraft(), name: "org", cloud_api_key: "K" };
    expect(toInput(d).secret).toBeNull();
    expect(toInput({ ...d, secret: "s" }).secret).toBe("s");
  });

  it("a PLAINTEXT Kafka connection never sends a secret", () => {
    const d = { ...emptyDraft("kafka"), security_protocol: "PLAINTEXT" as const, secret: "left over" };
    expect(usesSecret(d)).toBe(false);
    expect(toInput(d).secret).toBeNull();
  });

  it("round-trips a Kafka connection through the form", () => {
    const c: Connection = {
      id: "c-1",
      name: "k",
      endpoint: {
        kind: "kafka",
        bootstrap_servers: "a:1,b:2",
        security_protocol: "SASL_SSL",
        sasl_mechanism: "SCRAM-SHA-512",
        sasl_username: "u",
        ssl_ca_location: "/ca.pem",
      },
    };
    const input = toInput(draftFrom(c));
    expect(input).toEqual({ id: "c-1", name: "k", endpoint: c.endpoint, secret: null });
  });

  it("trims what it sends", () => {
    const d = { ...emptyDraft(), cloud_api_key: "  K  ", cloud_api_url: " https://x " };
    const e = toInput(d).endpoint;
    expect(e.kind === "confluent_cloud" && [e.cloud_api_key, e.cloud_api_url]).toEqual(["K", "https://x"]);
  });
});
