import { useEffect, useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../api";
import type { Account, ApiKeyView, ServiceAccountView } from "../bindings";
import { ClusterPicker, pick } from "../components/ClusterPicker";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { type Column, DataTable } from "../components/DataTable";
import { Equivalent } from "../components/Equivalent";
import { deleteApiKey } from "../equivalents";
import { fmtDateTime } from "../format";
import { t } from "../i18n";
import { activeConnectionId, flash, shownError } from "../state";
import { AclView } from "./access/AclView";
import { HeldKeys } from "./access/HeldKeys";
import { type KeysTab, keyFor, keysTab } from "./access/state";
import { NewApiKey } from "./keys/NewApiKey";
import { NewServiceAccount } from "./keys/NewServiceAccount";
import "./access/access.css";

const TABS: readonly KeysTab[] = ["keys", "acls", "held"];

/** Keys and accounts, the ACLs of a cluster, and the keys Gureum holds: three tabs (arrow keys move between them). */
export function ApiKeys() {
  const tab = keysTab.value;
  // "Create an API key" elsewhere opens the key form, on the first tab.
  const wanted = keyFor.value;
  useEffect(() => {
    if (wanted) keysTab.value = "keys";
  }, [wanted]);
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next = e.key === "ArrowRight" ? TABS[(i + 1) % TABS.length] : e.key === "ArrowLeft" ? TABS[(i + TABS.length - 1) % TABS.length] : null;
    if (!next) return;
    e.preventDefault();
    keysTab.value = next;
    document.getElementById(`keys-tab-${next}`)?.focus();
  };
  return (
    <div class="keys-section">
      <div class="tabs section-tabs" role="tablist" aria-label={t("access.tabs")} onKeyDown={onKey}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`keys-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`keys-panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            data-testid={`keys-tab-${id}`}
            onClick={() => (keysTab.value = id)}
          >
            {t(`access.tab.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`keys-panel-${tab}`} aria-labelledby={`keys-tab-${tab}`}>
        {tab === "keys" ? <KeysAndAccounts /> : tab === "acls" ? <AclView /> : <HeldKeys />}
      </div>
    </div>
  );
}

function KeysAndAccounts() {
  const conn = activeConnectionId.value;
  const [accounts, setAccounts] = useState<ServiceAccountView[] | null>(null);
  const [keys, setKeys] = useState<ApiKeyView[] | null>(null);
  const [me, setMe] = useState<Account | null>(null);
  const [reload, setReload] = useState(0);
  const [addingSa, setAddingSa] = useState(false);
  const [addingKey, setAddingKey] = useState(keyFor.value?.conn === conn);
  const [selected, setSelected] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    const wanted = keyFor.value;
    if (wanted && wanted.conn === conn) pick(conn, { env: wanted.envId, cluster: wanted.clusterId });
  }, []);

  useEffect(() => {
    let live = true;
    Promise.all([call(commands.listServiceAccounts(conn)), call(commands.listApiKeys(conn)), call(commands.myAccount(conn)).catch(() => null)]).then(
      ([sas, ks, mine]) => {
        if (!live) return;
        setAccounts(sas);
        setKeys(ks);
        setMe(mine);
      },
      (e) => live && (shownError.value = asBridgeError(e)),
    );
    return () => {
      live = false;
    };
  }, [conn, reload]);

  if (!accounts || !keys) {
    return (
      <p class="card muted" aria-busy="true" data-testid="keys-loading">
        <span class="spinner" aria-hidden="true" /> {t("common.loading")}
      </p>
    );
  }
  const owner = (id: string) => (me && id === me.id ? t("acl.me", { name: me.name }) : (accounts.find((a) => a.id === id)?.name ?? id));
  const saColumns: Column<ServiceAccountView>[] = [
    { key: "name", header: t("keys.saName"), render: (r) => r.name, sort: (r) => r.name, width: "2fr" },
    { key: "id", header: "ID", render: (r) => <code>{r.id}</code>, sort: (r) => r.id },
    { key: "description", header: t("keys.description"), render: (r) => r.description, width: "3fr" },
  ];
  const keyColumns: Column<ApiKeyView>[] = [
    { key: "id", header: t("keys.key"), render: (r) => <code>{r.id}</code>, sort: (r) => r.id, width: "2fr" },
    { key: "owner", header: t("keys.owner"), render: (r) => owner(r.owner_id), sort: (r) => owner(r.owner_id), width: "2fr" },
    { key: "resource", header: t("keys.resource"), render: (r) => r.resource_id ?? t("keys.cloud"), sort: (r) => r.resource_id ?? "" },
    { key: "created", header: t("keys.createdAt"), render: (r) => fmtDateTime(r.created_at), sort: (r) => r.created_at ?? null },
    { key: "stored", header: t("keys.inKeyring"), render: (r) => (r.stored ? "✓" : ""), sort: (r) => (r.stored ? 1 : 0), align: "center" },
  ];
  const chosen = keys.find((k) => k.id === selected);

  async function remove(id: string) {
    setConfirming(false);
    try {
      await call(commands.deleteApiKey(conn, id));
      flash(t("keys.deleted", { id }));
      setSelected(null);
      setReload((n) => n + 1);
    } catch (e) {
      shownError.value = asBridgeError(e);
    }
  }

  return (
    <div class="api-keys">
      <section class="card" aria-labelledby="h-sas">
        <div class="card-head">
          <h2 id="h-sas">{t("keys.serviceAccounts")}</h2>
          {addingSa ? null : (
            <button type="button" data-testid="new-sa" onClick={() => setAddingSa(true)}>
              + {t("keys.newSa")}
            </button>
          )}
        </div>
        {addingSa ? (
          <NewServiceAccount
            conn={conn}
            onDone={(sa) => {
              setAddingSa(false);
              if (sa) setAccounts([...accounts, sa]);
            }}
          />
        ) : null}
        <DataTable rows={accounts} columns={saColumns} rowKey={(r) => r.id} searchText={(r) => [r.name, r.id, r.description]} testid="sas" empty={t("keys.noSas")} label={t("keys.serviceAccounts")} maxHeight="14rem" />
      </section>
      <section class="card" aria-labelledby="h-keys">
        <div class="card-head">
          <h2 id="h-keys">{t("nav.apiKeys")}</h2>
          {addingKey ? null : (
            <button type="button" data-testid="new-key" onClick={() => setAddingKey(true)}>
              + {t("keys.newKey")}
            </button>
          )}
        </div>
        {addingKey ? (
          <ClusterPicker>
            {(p) => (
              <NewApiKey
                key={`${p.conn}/${p.env.id}`}
                picked={p}
                accounts={accounts}
                me={me}
                onDone={() => {
                  setAddingKey(false);
                  keyFor.value = null;
                  setReload((n) => n + 1);
                }}
              />
            )}
          </ClusterPicker>
        ) : null}
        <DataTable
          rows={keys}
          columns={keyColumns}
          rowKey={(r) => r.id}
          searchText={(r) => [r.id, r.name, owner(r.owner_id), r.resource_id ?? "cloud"]}
          testid="keys"
          empty={t("keys.noKeys")}
          label={t("nav.apiKeys")}
          selected={selected}
          onRowClick={(r) => setSelected(r.id)}
        />
        {chosen ? (
          <div class="key-details" data-testid="key-details">
            <p>
              <code>{chosen.id}</code> — {chosen.name || t("keys.unnamed")} · {owner(chosen.owner_id)} · {chosen.resource_id ?? t("keys.cloud")}
              {chosen.stored ? ` · ${t("keys.storedNote")}` : ""}
            </p>
            <div class="actions">
              <button type="button" onClick={() => setSelected(null)}>
                {t("common.dismiss")}
              </button>
              <button type="button" class="danger" data-testid="key-delete" onClick={() => setConfirming(true)}>
                {t("keys.delete")}
              </button>
            </div>
            <Equivalent eq={deleteApiKey(chosen.id)} />
          </div>
        ) : null}
      </section>
      {confirming && chosen ? (
        <ConfirmDialog
          title={t("keys.deleteTitle", { id: chosen.id })}
          body={t(chosen.stored ? "keys.deleteBodyStored" : "keys.deleteBody")}
          confirmLabel={t("keys.delete")}
          cancelLabel={t("common.cancel")}
          onConfirm={() => remove(chosen.id)}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
