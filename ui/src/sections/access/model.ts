// What the access screens share: ACL vocabulary, how a refusal is worded, and Rust's equivalents
// in the shape the Equivalent component shows.
import type { Acl, Equivalent_Serialize as RustEquivalent, Preset, Refused_Serialize as Refused } from "../../bindings";
import type { Equivalent } from "../../equivalents";
import { errorText } from "../../errors";
import { type Key, t } from "../../i18n";

export const RESOURCE_TYPES = ["TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** The operations Kafka's authorizer knows for each resource type. */
export const OPERATIONS: Record<ResourceType, readonly string[]> = {
  TOPIC: ["READ", "WRITE", "DESCRIBE", "CREATE", "DELETE", "ALTER", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "ALL"],
  GROUP: ["READ", "DESCRIBE", "DELETE", "ALL"],
  CLUSTER: ["CREATE", "ALTER", "DESCRIBE", "CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE", "ALL"],
  TRANSACTIONAL_ID: ["WRITE", "DESCRIBE", "ALL"],
};

export const PRESETS: readonly Preset[] = ["Producer", "Consumer", "TopicOwner", "FullAccess"];

/** "topic “orders”", "the cluster", … in the current language (worded with the errors). */
export { resourceWords } from "../../errors";

/** A refusal in one sentence, in the current language. */
export function refusalSentence(r: Pick<Refused, "operation" | "resource_type" | "resource_name">): string {
  return errorText({ code: "NOT_AUTHORIZED", message: "", refused: r }).text;
}

export const presetLabel = (p: Preset) => t(`preset.${p}` as Key);

/** Rust's equivalent (a Kafka REST call, one CLI command per ACL) as the Equivalent component shows it. */
export function toEquivalent(e: RustEquivalent): Equivalent {
  return {
    rest: { method: e.method as Equivalent["rest"]["method"], path: e.url, body: e.body ? JSON.parse(e.body) : undefined, auth: "cluster" },
    cli: e.cli.join("\n"),
  };
}

/** A stable key for an ACL row. */
export const aclKey = (a: Acl) => [a.principal, a.permission, a.operation, a.resource_type, a.resource_name, a.pattern_type, a.host].join("|");

/** `User:sa-1` → `sa-1`. */
export const principalId = (p: string) => (p.includes(":") ? p.slice(p.indexOf(":") + 1) : p);
