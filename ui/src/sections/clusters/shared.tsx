// What the cluster screens share: the choices the forms offer, how server fields map onto them, the phase badge.
import type { BridgeError } from "../../api";
import type { ClusterType } from "../../bindings";
import { type Key, t } from "../../i18n";
import { connections, sandboxStatus } from "../../state";

/** Regions offered per cloud (the common ones of each provider, Seoul included). Others can be typed in. */
export const REGIONS: Record<string, readonly string[]> = {
  AWS: ["us-east-1", "us-east-2", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-central-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-south-1"],
  GCP: ["us-central1", "us-east1", "us-east4", "us-west1", "europe-west1", "europe-west3", "asia-northeast1", "asia-northeast3", "asia-southeast1", "australia-southeast1"],
  AZURE: ["eastus", "eastus2", "westus2", "centralus", "westeurope", "northeurope", "japaneast", "koreacentral", "southeastasia", "australiaeast"],
};
/** The region select's "Other region…" choice: it reveals a text box (Confluent adds regions over time). */
export const OTHER_REGION = "__other";
export const CLOUDS = ["AWS", "GCP", "AZURE"] as const;
export const TYPES = ["Basic", "Standard", "Enterprise", "Dedicated"] as const satisfies readonly ClusterType[];
export type OrderableType = (typeof TYPES)[number];
/** What each cluster type can be ordered with (Basic is single-zone; Enterprise is HIGH). */
export const AVAILABILITY: Record<OrderableType, readonly string[]> = {
  Basic: ["SINGLE_ZONE"],
  Standard: ["SINGLE_ZONE", "MULTI_ZONE"],
  Enterprise: ["HIGH"],
  Dedicated: ["SINGLE_ZONE", "MULTI_ZONE"],
};
export const availabilityLabel = (a: string) =>
  ({ SINGLE_ZONE: t("clusters.az.single"), MULTI_ZONE: t("clusters.az.multi"), LOW: t("clusters.az.low"), HIGH: t("clusters.az.high") })[a] ?? a;

/** Server fields (JSON pointer tails) → the new-cluster form's fields. */
export const FIELD_OF: Record<string, string> = { display_name: "name", kind: "type", config: "type", type: "type", cku: "cku", cloud: "cloud", region: "region", availability: "availability" };

/** The error's fields mapped onto a form's, or null when one of them is about something the form doesn't hold. */
export function formErrors(be: BridgeError, map: Record<string, string>): Record<string, string> | null {
  if (!be.fields) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(be.fields)) {
    const f = map[k];
    if (!f) return null; // about something the form doesn't hold: the banner says it
    out[f] = v;
  }
  return Object.keys(out).length ? out : null;
}

/** The cluster (or environment) an action was about is gone: deleted meanwhile, elsewhere. */
export const isGone = (be: BridgeError) => be.code === "CLOUD_NOT_FOUND";

/** The Cloud API base URL of a connection, for the "show the equivalent" panels. */
export function cloudApiUrlOf(conn: string): string | undefined {
  const c = connections.value.find((x) => x.id === conn);
  if (c?.endpoint.kind === "confluent_cloud") return c.endpoint.cloud_api_url;
  if (c?.endpoint.kind === "sandbox" || (!c && conn === "sandbox")) return sandboxStatus.value?.rest_url ?? undefined;
  return undefined;
}

export function Phase({ phase, testid = "cluster-phase" }: { phase: string; testid?: string }) {
  const known: Record<string, Key> = { PROVISIONING: "clusters.phase.provisioning", PROVISIONED: "clusters.phase.provisioned", FAILED: "clusters.phase.failed" };
  const key = known[phase];
  return (
    <span class={`phase ${phase.toLowerCase()}`} data-testid={testid} data-phase={phase}>
      {phase === "PROVISIONING" ? <span class="spinner" aria-hidden="true" /> : null}
      {key ? t(key) : phase}
    </span>
  );
}
