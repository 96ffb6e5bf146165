// An empty topic list read with a service account's key proves nothing: it sees only what its
// ACLs let it DESCRIBE. Says so, and leads to its ACLs.
import { call, commands } from "../../api";
import type { HeldKey_Serialize as HeldKey } from "../../bindings";
import { t } from "../../i18n";
import { section } from "../../state";
import { useCommand } from "../../useCommand";
import { keysTab, presetFor } from "./state";

export function EmptyForServiceAccount({ conn, envId, clusterId, testid }: { conn: string; envId: string; clusterId: string; testid: string }) {
  // Whose key this is; if that can't be read, nothing is said.
  const held = useCommand<HeldKey[]>(() => call(commands.heldKeys(conn)), [conn, clusterId]).data;
  const key = held?.find((k) => k.cluster_id === clusterId && k.in_use) ?? null;
  const owner = key?.owner;
  if (!key || owner?.kind !== "ServiceAccount") return null;
  return (
    <div class="empty-sa" data-testid={testid}>
      <p class="muted">{t("topics.emptySa", { key: key.key_id, name: owner.name, id: owner.id })}</p>
      <button
        type="button"
        data-testid={`${testid}-add-acls`}
        onClick={() => {
          presetFor.value = { conn, envId, clusterId, principal: owner.id };
          keysTab.value = "acls";
          section.value = "api-keys";
        }}
      >
        {t("topics.emptySaAdd", { name: owner.name })}
      </button>
    </div>
  );
}
