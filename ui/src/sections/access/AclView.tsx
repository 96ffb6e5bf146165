// A cluster's ACLs: listed with each principal's name and id, filtered, added one by one or as a
// preset (previewed exactly first), deleted after confirmation; every change one click from its
// Kafka REST call and `confluent` command. Read and changed with a key of your account.
import { useEffect, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import {
  type Acl,
  type AclRow,
  type ClusterView_Serialize as ClusterView,
  type Equivalent_Serialize as RustEquivalent,
  type ServiceAccountView,
  events,
} from "../../bindings";
import { ClusterPicker } from "../../components/ClusterPicker";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { type Column, DataTable } from "../../components/DataTable";
import { Equivalent } from "../../components/Equivalent";
import { ErrorView } from "../../components/ErrorView";
import { Field, SelectField, control } from "../../components/Field";
import { type Key, t } from "../../i18n";
import { flash, shownError } from "../../state";
import { useCommand } from "../../useCommand";
import { OPERATIONS, RESOURCE_TYPES, type ResourceType, aclKey, toEquivalent } from "./model";
import { presetFor } from "./state";
import { type PresetChoice, PresetPicker, emptyTarget } from "./PresetPicker";

export function AclView() {
  return <ClusterPicker>{(p) => <ClusterAcls key={`${p.conn}/${p.cluster.id}`} conn={p.conn} envId={p.env.id} cluster={p.cluster} />}</ClusterPicker>;
}

type Adding = null | "preset" | "acl";

function ClusterAcls({ conn, envId, cluster }: { conn: string; envId: string; cluster: ClusterView }) {
  const provisioned = cluster.phase === "PROVISIONED";
  const asked = useCommand(
    provisioned
      ? () => Promise.all([call(commands.listAcls(conn, envId, cluster.id)), call(commands.listServiceAccounts(conn))]).then(([listing, accounts]) => ({ listing, accounts }))
      : null,
    [conn, cluster.id, cluster.phase],
  );
  const listing = asked.data?.listing ?? null;
  const accounts: ServiceAccountView[] = asked.data?.accounts ?? [];
  const { error: problem, reload } = asked;
  const [making, setMaking] = useState<string | null>(null);
  const wanted = presetFor.value?.conn === conn && presetFor.value.clusterId === cluster.id ? presetFor.value : null;
  const [adding, setAdding] = useState<Adding>(wanted ? "preset" : null);
  const [who, setWho] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const rest = cluster.rest_endpoint ?? "";

  if (cluster.phase !== "PROVISIONED") {
    return <p class="card muted">{t("topics.notReady", { phase: cluster.phase })}</p>;
  }
  if (problem) {
    return (
      <ErrorView error={problem} variant="card" testid="acls-error" ids="acls" onRetry={reload} />
    );
  }
  if (!listing) {
    return (
      <p class="card muted" aria-busy="true" data-testid="acls-loading">
        <span class="spinner" aria-hidden="true" /> {t("common.loading")}
      </p>
    );
  }
  const me = listing.me;

  async function makeKey() {
    setMaking(t("keys.waiting", { n: "1" }));
    const stop = await events.apiKeyWait.listen((e) => setMaking(t("keys.waiting", { n: String(e.payload.attempt) })));
    try {
      await call(commands.prepareAclKey(conn, envId, cluster.id));
      reload();
    } catch (e) {
      shownError.value = asBridgeError(e);
    } finally {
      stop();
      setMaking(null);
    }
  }

  if (!listing.admin_key) {
    return (
      <div class="card empty-state" data-testid="acls-need-key">
        <p>{t("acl.needKey", { name: me.name, id: me.id })}</p>
        {making ? (
          <p class="muted" role="status" data-testid="acls-making-key">
            <span class="spinner" aria-hidden="true" /> {t("acl.makingKey", { status: making })}
          </p>
        ) : (
          <button type="button" class="primary" data-testid="acls-make-key" onClick={() => void makeKey()}>
            {t("acl.makeKey")}
          </button>
        )}
      </div>
    );
  }

  // Everyone an ACL can be for: my account and the service accounts.
  const principals = [
    { id: me.id, label: t("acl.me", { name: me.name }) },
    ...accounts.filter((a) => a.id !== me.id).map((a) => ({ id: a.id, label: `${a.name} (${a.id})` })),
  ];
  const seen = [...new Map(listing.rows.map((r) => [r.account.id, r.account])).values()];
  const rows = who ? listing.rows.filter((r) => r.account.id === who) : listing.rows;
  const chosen = listing.rows.find((r) => aclKey(r.acl) === selected) ?? null;
  const columns: Column<AclRow>[] = [
    {
      key: "principal",
      header: t("acl.principal"),
      render: (r) => (
        <span>
          {r.account.name} <code class="muted">{r.account.id}</code>
        </span>
      ),
      sort: (r) => r.account.name,
      width: "2.2fr",
    },
    { key: "permission", header: t("acl.permission"), render: (r) => <span class={r.acl.permission === "DENY" ? "deny" : "allow"}>{r.acl.permission}</span>, sort: (r) => r.acl.permission },
    { key: "operation", header: t("acl.operation"), render: (r) => <code>{r.acl.operation}</code>, sort: (r) => r.acl.operation, width: "1.9fr" },
    { key: "type", header: t("acl.resourceType"), render: (r) => r.acl.resource_type, sort: (r) => r.acl.resource_type, width: "1.2fr" },
    { key: "name", header: t("acl.resourceName"), render: (r) => <code>{r.acl.resource_name}</code>, sort: (r) => r.acl.resource_name, width: "1.6fr" },
    { key: "pattern", header: t("acl.pattern"), render: (r) => r.acl.pattern_type, sort: (r) => r.acl.pattern_type },
  ];

  async function remove(acl: Acl) {
    setConfirming(false);
    try {
      await call(commands.deleteAcl(conn, envId, cluster.id, acl));
      flash(t("acl.deleted"));
      setSelected(null);
      reload();
    } catch (e) {
      shownError.value = asBridgeError(e);
    }
  }

  const done = (n: number | null) => {
    setAdding(null);
    presetFor.value = null;
    if (n !== null) reload();
  };

  return (
    <div class="acls">
      <section class="card" aria-labelledby="h-acls">
        <div class="card-head">
          <div>
            <h2 id="h-acls">{t("acl.title", { cluster: cluster.name })}</h2>
            <p class="muted small" data-testid="acls-admin-key">
              {t("acl.managedWith", { key: listing.admin_key, name: me.name, id: me.id })}
            </p>
          </div>
          <div class="actions">
            <button type="button" class="ghost" data-testid="acls-refresh" onClick={reload}>
              {t("clusters.refresh")}
            </button>
            {adding ? null : (
              <>
                <button type="button" data-testid="acls-add-preset" onClick={() => setAdding("preset")}>
                  + {t("acl.addPreset")}
                </button>
                <button type="button" data-testid="acls-new" onClick={() => setAdding("acl")}>
                  + {t("acl.newAcl")}
                </button>
              </>
            )}
          </div>
        </div>
        {adding === "preset" ? (
          <AddPreset conn={conn} envId={envId} cluster={cluster} principals={principals.filter((p) => p.id !== me.id)} initial={wanted?.principal ?? null} onDone={done} />
        ) : null}
        {adding === "acl" ? <NewAcl conn={conn} envId={envId} cluster={cluster} principals={principals} onDone={done} /> : null}
        <div class="acl-filter">
          <label>
            <span>{t("acl.filterPrincipal")}</span>
            <select data-testid="acls-filter-principal" value={who} onChange={(e) => setWho(e.currentTarget.value)}>
              <option value="">{t("acl.allPrincipals")}</option>
              {seen.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.id})
                </option>
              ))}
            </select>
          </label>
        </div>
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(r) => aclKey(r.acl)}
          searchText={(r) => [r.account.name, r.account.id, r.acl.operation, r.acl.resource_type, r.acl.resource_name, r.acl.permission, r.acl.pattern_type]}
          testid="acls"
          empty={t("acl.empty")}
          label={t("access.tab.acls")}
          selected={selected}
          onRowClick={(r) => setSelected(aclKey(r.acl))}
        />
        {chosen ? <AclDetails row={chosen} rest={rest} clusterId={cluster.id} onClose={() => setSelected(null)} onDelete={() => setConfirming(true)} /> : null}
      </section>
      {confirming && chosen ? (
        <ConfirmDialog
          title={t("acl.deleteTitle")}
          body={t("acl.deleteBody", {
            principal: `${chosen.account.name} (${chosen.account.id})`,
            permission: chosen.acl.permission,
            operation: chosen.acl.operation,
            type: chosen.acl.resource_type,
            name: chosen.acl.resource_name,
            pattern: chosen.acl.pattern_type,
          })}
          confirmLabel={t("acl.delete")}
          cancelLabel={t("common.cancel")}
          onConfirm={() => void remove(chosen.acl)}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

function useEquivalent(rest: string, clusterId: string, acls: Acl[], del: boolean): RustEquivalent | null {
  const [eq, setEq] = useState<RustEquivalent | null>(null);
  const wanted = JSON.stringify([rest, clusterId, acls, del]);
  useEffect(() => {
    let live = true;
    if (!acls.length) {
      setEq(null);
      return;
    }
    void commands.aclEquivalent(rest, clusterId, acls, del).then((e) => live && setEq(e));
    return () => {
      live = false;
    };
  }, [wanted]);
  return eq;
}

function AclDetails({ row, rest, clusterId, onClose, onDelete }: { row: AclRow; rest: string; clusterId: string; onClose: () => void; onDelete: () => void }) {
  const eq = useEquivalent(rest, clusterId, [row.acl], true);
  const a = row.acl;
  return (
    <div class="key-details" data-testid="acl-details">
      <p>
        {row.account.name} <code>{row.account.id}</code> · <strong>{a.permission}</strong> <code>{a.operation}</code> · {a.resource_type} <code>{a.resource_name}</code> ({a.pattern_type}) · {t("acl.host")} <code>{a.host}</code>
      </p>
      <div class="actions">
        <button type="button" onClick={onClose}>
          {t("common.dismiss")}
        </button>
        <button type="button" class="danger" data-testid="acl-delete" onClick={onDelete}>
          {t("acl.delete")}
        </button>
      </div>
      {eq ? <Equivalent eq={toEquivalent(eq)} /> : null}
    </div>
  );
}

interface FormProps {
  conn: string;
  envId: string;
  cluster: ClusterView;
  principals: { id: string; label: string }[];
  onDone: (added: number | null) => void;
}

async function addAll(conn: string, envId: string, clusterId: string, acls: Acl[]): Promise<boolean> {
  try {
    const admin = await call(commands.addAcls(conn, envId, clusterId, acls));
    flash(admin.created ? t("acl.addedWithNewKey", { n: String(acls.length), key: admin.key_id }) : t("acl.added", { n: String(acls.length) }));
    return true;
  } catch (e) {
    shownError.value = asBridgeError(e);
    return false;
  }
}

/** A preset for a service account, previewed exactly before it is added. */
function AddPreset({ conn, envId, cluster, principals, initial, onDone }: FormProps & { initial: string | null }) {
  const [who, setWho] = useState(initial && principals.some((p) => p.id === initial) ? initial : (principals[0]?.id ?? ""));
  const [choice, setChoice] = useState<PresetChoice>({ preset: "Producer", target: emptyTarget() });
  const [acls, setAcls] = useState<Acl[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="inline-form"
      data-testid="acl-preset-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const ok = await addAll(conn, envId, cluster.id, acls);
        setBusy(false);
        if (ok) onDone(acls.length);
      }}
    >
      <PrincipalField name="acl-preset-principal" label={t("acl.for")} error={principals.length ? undefined : t("keys.needSa")} principals={principals} value={who} onChange={setWho} />
      <PresetPicker principal={who ? `User:${who}` : ""} value={choice} onChange={setChoice} onAcls={setAcls} restEndpoint={cluster.rest_endpoint ?? ""} clusterId={cluster.id} />
      <p class="muted small">{t("preset.adminNote")}</p>
      <div class="actions">
        <button type="button" onClick={() => onDone(null)}>
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" data-testid="acl-preset-add" disabled={busy || acls.length === 0}>
          {busy ? t("acl.adding") : t("acl.add", { n: String(acls.length) })}
        </button>
      </div>
    </form>
  );
}

/** One ACL, every field as Kafka names it. */
function NewAcl({ conn, envId, cluster, principals, onDone }: FormProps) {
  const [who, setWho] = useState(principals[1]?.id ?? principals[0]?.id ?? "");
  const [permission, setPermission] = useState("ALLOW");
  const [type, setType] = useState<ResourceType>("TOPIC");
  const [name, setName] = useState("");
  const [pattern, setPattern] = useState("LITERAL");
  const [operation, setOperation] = useState("READ");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ops = OPERATIONS[type];
  const op = ops.includes(operation) ? operation : ops[0]!;
  const resourceName = type === "CLUSTER" ? "kafka-cluster" : name.trim();
  const acl: Acl = {
    resource_type: type,
    resource_name: resourceName,
    pattern_type: type === "CLUSTER" ? "LITERAL" : pattern,
    principal: `User:${who}`,
    host: "*",
    operation: op,
    permission,
  };
  const eq = useEquivalent(cluster.rest_endpoint ?? "", cluster.id, resourceName ? [acl] : [], false);
  return (
    <form
      class="inline-form"
      data-testid="acl-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!resourceName) {
          setError(t("acl.needName"));
          return;
        }
        setBusy(true);
        const ok = await addAll(conn, envId, cluster.id, [acl]);
        setBusy(false);
        if (ok) onDone(1);
      }}
    >
      <PrincipalField name="acl-principal" label={t("acl.principal")} principals={principals} value={who} onChange={setWho} />
      <SelectField name="acl-permission" label={t("acl.permission")} value={permission} options={["ALLOW", "DENY"]} onChange={setPermission} />
      <SelectField name="acl-type" label={t("acl.resourceType")} value={type} options={RESOURCE_TYPES} onChange={setType} />
      <Field name="acl-name" label={t("acl.resourceName")} error={error ?? undefined} hint={type === "CLUSTER" ? t("acl.clusterName") : undefined}>
        <input {...control("acl-name", error ?? undefined)} value={resourceName} disabled={type === "CLUSTER"} spellcheck={false} onInput={(e) => (setName(e.currentTarget.value), setError(null))} />
      </Field>
      {type === "CLUSTER" ? null : (
        <SelectField name="acl-pattern" label={t("acl.pattern")} value={pattern} options={["LITERAL", "PREFIXED"]} text={(p) => t(`acl.pattern.${p}` as Key)} onChange={setPattern} />
      )}
      <SelectField name="acl-operation" label={t("acl.operation")} value={op} options={ops} onChange={setOperation} />
      {eq ? <Equivalent eq={toEquivalent(eq)} /> : null}
      <p class="muted small">{t("preset.adminNote")}</p>
      <div class="actions">
        <button type="button" onClick={() => onDone(null)}>
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" data-testid="acl-save" disabled={busy || !who}>
          {busy ? t("acl.adding") : t("acl.add", { n: "1" })}
        </button>
      </div>
    </form>
  );
}

/** Whose ACLs: a service account (or the org's user) by name and id. */
function PrincipalField(p: { name: string; label: string; error?: string; principals: { id: string; label: string }[]; value: string; onChange: (id: string) => void }) {
  return (
    <Field name={p.name} label={p.label} error={p.error}>
      <select {...control(p.name)} value={p.value} onChange={(e) => p.onChange(e.currentTarget.value)}>
        {p.principals.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
