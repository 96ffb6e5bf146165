// The connection form's flat draft, and its mapping to and from the generated Rust types.
import type { Connection, ConnectionInput, SaslMechanism, SecurityProtocol } from "../bindings";

export type DraftKind = "confluent_cloud" | "kafka";

export interface Draft {
  id: string | null;
  name: string;
  kind: DraftKind;
  cloud_api_key: string;
  cloud_api_url: string;
  metrics_api_url: string;
  bootstrap_servers: string;
  security_protocol: SecurityProtocol;
  sasl_mechanism: SaslMechanism;
  sasl_username: string;
  ssl_ca_location: string;
  secret: string;
}

export function emptyDraft(kind: DraftKind = "confluent_cloud"): Draft {
  return {
    id: null,
    name: "",
    kind,
    cloud_api_key: "",
    cloud_api_url: "https://api.confluent.cloud",
    metrics_api_url: "https://api.telemetry.confluent.cloud",
    bootstrap_servers: "",
    security_protocol: "SASL_SSL",
    sasl_mechanism: "PLAIN",
    sasl_username: "",
    ssl_ca_location: "",
    secret: "",
  };
}

export function draftFrom(c: Connection): Draft {
  const d = emptyDraft();
  d.id = c.id;
  d.name = c.name;
  if (c.endpoint.kind === "confluent_cloud") {
    d.kind = "confluent_cloud";
    d.cloud_api_key = c.endpoint.cloud_api_key;
    d.cloud_api_url = c.endpoint.cloud_api_url;
    d.metrics_api_url = c.endpoint.metrics_api_url;
  } else if (c.endpoint.kind === "kafka") {
    d.kind = "kafka";
    d.bootstrap_servers = c.endpoint.bootstrap_servers;
    d.security_protocol = c.endpoint.security_protocol;
    d.sasl_mechanism = c.endpoint.sasl_mechanism;
    d.sasl_username = c.endpoint.sasl_username;
    d.ssl_ca_location = c.endpoint.ssl_ca_location;
  }
  return d;
}

export function usesSecret(d: Draft): boolean {
  return d.kind === "confluent_cloud" || d.security_protocol.startsWith("SASL_");
}

export function toInput(d: Draft): ConnectionInput {
  const endpoint: ConnectionInput["endpoint"] =
    d.kind === "confluent_cloud"
      ? {
          kind: "confluent_cloud",
          cloud_api_key: d.cloud_api_key.trim(),
          cloud_api_url: d.cloud_api_url.trim(),
          metrics_api_url: d.metrics_api_url.trim(),
        }
      : {
          kind: "kafka",
          bootstrap_servers: d.bootstrap_servers.trim(),
          security_protocol: d.security_protocol,
          sasl_mechanism: d.sasl_mechanism,
          sasl_username: d.sasl_username.trim(),
          ssl_ca_location: d.ssl_ca_location.trim(),
        };
  return { id: d.id, name: d.name, endpoint, secret: usesSecret(d) && d.secret !== "" ? d.secret : null };
}
