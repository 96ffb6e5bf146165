import type { Acl } from "../../bindings";
import { t } from "../../i18n";
import { aclKey } from "./model";

/** A short table of ACLs: what a preset or a fix will add, exactly. */
export function AclList({ acls, testid }: { acls: readonly Acl[]; testid: string }) {
  return (
    <table class="table acl-list" data-testid={`${testid}-list`}>
      <thead>
        <tr>
          <th>{t("acl.principal")}</th>
          <th>{t("acl.permission")}</th>
          <th>{t("acl.operation")}</th>
          <th>{t("acl.resourceType")}</th>
          <th>{t("acl.resourceName")}</th>
          <th>{t("acl.pattern")}</th>
        </tr>
      </thead>
      <tbody>
        {acls.map((a) => (
          <tr key={aclKey(a)} data-testid={`${testid}-row`} data-operation={a.operation} data-resource={`${a.resource_type}:${a.resource_name}`}>
            <td>
              <code>{a.principal}</code>
            </td>
            <td class={a.permission === "DENY" ? "deny" : undefined}>{a.permission}</td>
            <td>
              <code>{a.operation}</code>
            </td>
            <td>{a.resource_type}</td>
            <td>
              <code>{a.resource_name}</code>
            </td>
            <td>{a.pattern_type}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
