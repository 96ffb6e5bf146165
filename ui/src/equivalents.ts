// What a form is about to do, said the two other ways: the Confluent Cloud REST call and the `confluent` CLI command.
// Shapes follow the cmk/v2, org/v2, iam/v2 and Kafka REST v3 OpenAPI specs; flags follow confluent CLI v4.
import type { Key } from "./i18n";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RestCall {
  method: HttpMethod;
  /** Control-plane calls: a path on the Cloud API (https://api.confluent.cloud). Kafka REST: the full URL. */
  path: string;
  body?: unknown;
  /** Which credential the call takes: the Cloud API key, or an API key of that Kafka cluster. */
  auth: "cloud" | "cluster";
}

export interface Equivalent {
  rest: RestCall;
  /** Empty when the CLI can't do it; `note` then says why. */
  cli: string;
  /** A caveat about the CLI command (an i18n key). */
  note?: Key;
}

export type ClusterKind = "Basic" | "Standard" | "Enterprise" | "Dedicated";

export const MASK = "****";
/** Config names whose values are credentials (none of the topic configs are, but a pasted one might be). */
const SENSITIVE = /password|secret|jaas|credential|token|(^|\.)key$/i;
export const isSensitive = (name: string) => SENSITIVE.test(name);
const maskValue = (name: string, value: string) => (isSensitive(name) ? MASK : value);

/** Quotes a word for POSIX shells (and zsh): bare when it is plainly safe, single-quoted otherwise. */
export function shq(s: string): string {
  // A leading "=" is quoted too: zsh expands `=word` to a command's path.
  if (/^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `confluent <words> <arg> <flags>`; an argument that starts with "-" goes after `--` so it isn't read as a flag. */
function cli(words: string, arg: string | null, flags: (string | null | false | undefined)[]): string {
  const f = flags.filter((x): x is string => !!x);
  if (arg === null) return ["confluent", words, ...f].join(" ");
  if (arg.startsWith("-")) return ["confluent", words, ...f, "--", shq(arg)].join(" ");
  return ["confluent", words, shq(arg), ...f].join(" ");
}
const flag = (name: string, value: string | number) => `--${name} ${shq(String(value))}`;

const seg = encodeURIComponent;
const kafkaBase = (restEndpoint: string, clusterId: string) => `${restEndpoint.replace(/\/+$/, "")}/kafka/v3/clusters/${seg(clusterId)}`;

/** The CLI's --config value: k=v pairs joined by commas (the CLI re-joins values that contain commas). */
const configFlag = (pairs: readonly (readonly [string, string])[]) => flag("config", pairs.map(([k, v]) => `${k}=${maskValue(k, v)}`).join(","));

export function createEnvironment(name: string): Equivalent {
  return {
    rest: { method: "POST", path: "/org/v2/environments", body: { display_name: name }, auth: "cloud" },
    cli: cli("environment create", name, []),
  };
}

export interface ClusterOrder {
  environmentId: string;
  name: string;
  type: ClusterKind;
  cku?: number | null;
  /** AWS | GCP | AZURE */
  cloud: string;
  region: string;
  /** SINGLE_ZONE | MULTI_ZONE | LOW | HIGH */
  availability: string;
}

export function createCluster(o: ClusterOrder): Equivalent {
  const dedicated = o.type === "Dedicated";
  const config = dedicated ? { kind: o.type, cku: o.cku ?? 1 } : { kind: o.type };
  return {
    rest: {
      method: "POST",
      path: "/cmk/v2/clusters",
      body: {
        spec: { display_name: o.name, availability: o.availability, cloud: o.cloud, region: o.region, config, environment: { id: o.environmentId } },
      },
      auth: "cloud",
    },
    cli: cli("kafka cluster create", o.name, [
      flag("cloud", o.cloud.toLowerCase()),
      flag("region", o.region),
      flag("type", o.type.toLowerCase()),
      // The CLI's words for the API's availability values.
      flag("availability", o.availability.toLowerCase().replace("_", "-")),
      dedicated && flag("cku", o.cku ?? 1),
      flag("environment", o.environmentId),
    ]),
  };
}

// PATCH takes the environment in the body (spec.environment.id is required there), not as a query parameter.
const patchCluster = (envId: string, clusterId: string, spec: Record<string, unknown>): RestCall => ({
  method: "PATCH",
  path: `/cmk/v2/clusters/${seg(clusterId)}`,
  body: { spec: { ...spec, environment: { id: envId } } },
  auth: "cloud",
});

export function renameCluster(envId: string, clusterId: string, name: string): Equivalent {
  return {
    rest: patchCluster(envId, clusterId, { display_name: name }),
    cli: cli("kafka cluster update", clusterId, [flag("name", name), flag("environment", envId)]),
  };
}

export function resizeCluster(envId: string, clusterId: string, cku: number): Equivalent {
  return {
    rest: patchCluster(envId, clusterId, { config: { kind: "Dedicated", cku } }),
    cli: cli("kafka cluster update", clusterId, [flag("cku", cku), flag("environment", envId)]),
  };
}

export function deleteCluster(envId: string, clusterId: string): Equivalent {
  return {
    rest: { method: "DELETE", path: `/cmk/v2/clusters/${seg(clusterId)}?environment=${seg(envId)}`, auth: "cloud" },
    cli: cli("kafka cluster delete", clusterId, [flag("environment", envId)]),
  };
}

export interface TopicTarget {
  envId: string;
  clusterId: string;
  /** The cluster's Kafka REST endpoint, e.g. https://pkc-….confluent.cloud:443 */
  restEndpoint: string;
}
const where = (t: TopicTarget) => [flag("cluster", t.clusterId), flag("environment", t.envId)];

export function createTopic(o: TopicTarget & { name: string; partitions: number; configs: readonly (readonly [string, string])[] }): Equivalent {
  const body: Record<string, unknown> = { topic_name: o.name, partitions_count: o.partitions };
  if (o.configs.length) body.configs = o.configs.map(([name, value]) => ({ name, value: maskValue(name, value) }));
  return {
    rest: { method: "POST", path: `${kafkaBase(o.restEndpoint, o.clusterId)}/topics`, body, auth: "cluster" },
    cli: cli("kafka topic create", o.name, [flag("partitions", o.partitions), o.configs.length > 0 && configFlag(o.configs), ...where(o)]),
  };
}

/** A config change: a value sets it, null resets it to the default. */
export interface ConfigChange {
  name: string;
  value: string | null;
}

export function alterTopicConfigs(o: TopicTarget & { topic: string; changes: readonly ConfigChange[] }): Equivalent {
  const data = o.changes.map((c) => (c.value === null ? { name: c.name, operation: "DELETE" } : { name: c.name, value: maskValue(c.name, c.value) }));
  const sets = o.changes.filter((c): c is { name: string; value: string } => c.value !== null).map((c) => [c.name, c.value] as const);
  const resets = sets.length < o.changes.length;
  const eq: Equivalent = {
    rest: { method: "POST", path: `${kafkaBase(o.restEndpoint, o.clusterId)}/topics/${seg(o.topic)}/configs:alter`, body: { data }, auth: "cluster" },
    // `confluent kafka topic update` can only set values; a reset has no CLI form.
    cli: sets.length ? cli("kafka topic update", o.topic, [configFlag(sets), ...where(o)]) : "",
  };
  if (resets) eq.note = "equiv.note.cliNoReset";
  return eq;
}

export function deleteTopic(o: TopicTarget & { topic: string }): Equivalent {
  return {
    rest: { method: "DELETE", path: `${kafkaBase(o.restEndpoint, o.clusterId)}/topics/${seg(o.topic)}`, auth: "cluster" },
    cli: cli("kafka topic delete", o.topic, where(o)),
  };
}

export function createServiceAccount(name: string, description: string): Equivalent {
  return {
    rest: { method: "POST", path: "/iam/v2/service-accounts", body: { display_name: name, description }, auth: "cloud" },
    // The CLI requires --description, even an empty one.
    cli: cli("iam service-account create", name, [flag("description", description)]),
  };
}

export interface KeyOrder {
  /** sa-… (a service account) or u-… (a user) */
  ownerId: string;
  resource: { id: string; kind: "Cluster" | "Cloud"; environmentId?: string };
  name?: string;
  description?: string;
}

export function createApiKey(o: KeyOrder): Equivalent {
  const cloud = o.resource.kind === "Cloud";
  // A Cloud key's resource is the word "cloud" (what the CLI sends); a Kafka key names its lkc-… and environment.
  const resource: Record<string, string> = { id: cloud ? "cloud" : o.resource.id };
  if (!cloud && o.resource.environmentId) resource.environment = o.resource.environmentId;
  const spec: Record<string, unknown> = {};
  if (o.name) spec.display_name = o.name;
  if (o.description) spec.description = o.description;
  spec.owner = { id: o.ownerId };
  spec.resource = resource;
  const eq: Equivalent = {
    rest: { method: "POST", path: "/iam/v2/api-keys", body: { spec }, auth: "cloud" },
    cli: cli("api-key create", null, [
      flag("resource", cloud ? "cloud" : o.resource.id),
      // Without --service-account the CLI makes the key for the logged-in user.
      o.ownerId.startsWith("sa-") && flag("service-account", o.ownerId),
      o.description && flag("description", o.description),
      !cloud && o.resource.environmentId && flag("environment", o.resource.environmentId),
    ]),
  };
  if (o.name) eq.note = "equiv.note.cliNoKeyName";
  return eq;
}

export function deleteApiKey(id: string): Equivalent {
  return {
    rest: { method: "DELETE", path: `/iam/v2/api-keys/${seg(id)}`, auth: "cloud" },
    cli: cli("api-key delete", id, []),
  };
}
