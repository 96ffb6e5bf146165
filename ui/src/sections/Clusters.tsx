import { signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";

import { type BridgeError, asBridgeError, call, commands } from "../api";
import type { ClusterType, ClusterView_Serialize as ClusterView, EnvironmentView } from "../bindings";
import { Field, control } from "../components/Field";
import { type Key, t } from "../i18n";
import { activeConnectionId, flash, sandboxStatus, shownError } from "../state";

/** Regions offered per cloud (the common ones of each provider, Seoul included). */
export const REGIONS: Record<string, readonly string[]> = {
  AWS: ["us-east-1", "us-east-2", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-central-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-south-1"],
  GCP: ["us-central1", "us-east1", "us-east4", "us-west1", "europe-west1", "europe-west3", "asia-northeast1", "asia-northeast3", "asia-southeast1", "australia-southeast1"],
  AZURE: ["eastus", "eastus2", "westus2", "centralus", "westeurope", "northeurope", "japaneast", "koreacentral", "southeastasia", "australiaeast"],
};
const CLOUDS = ["AWS", "GCP", "AZURE"] as const;
const TYPES = ["Basic", "Standard", "Enterprise", "Dedicated"] as const satisfies readonly ClusterType[];
/** What each cluster type can be ordered with (Basic is single-zone; Enterprise is HIGH). */
const AVAILABILITY: Record<(typeof TYPES)[number], readonly string[]> = {
  Basic: ["SINGLE_ZONE"],
  Standard: ["SINGLE_ZONE", "MULTI_ZONE"],
  Enterprise: ["HIGH"],
  Dedicated: ["SINGLE_ZONE", "MULTI_ZONE"],
};
const availabilityLabel = (a: string) =>
  ({ SINGLE_ZONE: t("clusters.az.single"), MULTI_ZONE: t("clusters.az.multi"), LOW: t("clusters.az.low"), HIGH: t("clusters.az.high") })[a] ?? a;

/** The environment picked per connection, kept while the user visits other sections. */
const pickedEnv = signal<Record<string, string>>({});

/** Server fields (JSON pointer tails) → this form's fields. */
const FIELD_OF: Record<string, string> = { display_name: "name", kind: "type", config: "type", type: "type", cku: "cku", cloud: "cloud", region: "region", availability: "availability" };

function formErrors(be: BridgeError, map: Record<string, string>): Record<string, string> | null {
  if (!be.fields) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(be.fields)) {
    const f = map[k];
    if (!f) return null; // about something the form doesn't hold: the banner says it
    out[f] = v;
  }
  return Object.keys(out).length ? out : null;
}

export function Clusters() {
  const conn = activeConnectionId.value;
  // The sandbox's status arrives with the first events; until then it counts as starting.
  const sandboxState = conn === "sandbox" ? (sandboxStatus.value?.state ?? "starting") : null;
  const [envs, setEnvs] = useState<EnvironmentView[] | null>(null);
  const [loadError, setLoadError] = useState<BridgeError | null>(null);
  const [reload, setReload] = useState(0);
  const [addingEnv, setAddingEnv] = useState(false);
  const envId = envs?.some((e) => e.id === pickedEnv.value[conn]) ? pickedEnv.value[conn]! : (envs?.[0]?.id ?? "");
  const pick = (id: string) => (pickedEnv.value = { ...pickedEnv.value, [conn]: id });

  useEffect(() => {
    setEnvs(null);
    setLoadError(null);
    if (sandboxState === "starting") return;
    let cancelled = false;
    call(commands.listEnvironments(conn)).then(
      (list) => {
        if (cancelled) return;
        setEnvs(list);
        if (shownError.value?.code === "SANDBOX_NOT_READY") shownError.value = null;
      },
      (e) => {
        if (cancelled) return;
        const be = asBridgeError(e);
        setLoadError(be);
        if (be.code !== "NO_CLOUD_API") shownError.value = be;
      },
    );
    return () => {
      cancelled = true;
    };
  }, [conn, sandboxState, reload]);

  if (sandboxState === "starting") {
    return (
      <div class="card empty-state" data-testid="clusters-waiting">
        <p>
          <span class="spinner" aria-hidden="true" /> {t("clusters.sandboxStarting")}
        </p>
      </div>
    );
  }
  if (loadError) {
    return (
      <div class="card empty-state" data-testid="clusters-error" data-code={loadError.code}>
        <p>{loadError.code === "NO_CLOUD_API" ? loadError.message : t("clusters.loadFailed")}</p>
        {loadError.code === "NO_CLOUD_API" ? null : (
          <button type="button" data-testid="clusters-retry" onClick={() => setReload((n) => n + 1)}>
            {t("clusters.retry")}
          </button>
        )}
      </div>
    );
  }
  if (!envs) {
    return (
      <div class="card empty-state" data-testid="clusters-loading" aria-busy="true">
        <p>
          <span class="spinner" aria-hidden="true" /> {t("common.loading")}
        </p>
      </div>
    );
  }

  return (
    <div class="clusters">
      <section class="card" aria-labelledby="h-envs">
        <div class="card-head">
          <h2 id="h-envs">{t("clusters.environment")}</h2>
          {addingEnv ? null : (
            <button type="button" data-testid="new-env" onClick={() => setAddingEnv(true)}>
              + {t("clusters.newEnv")}
            </button>
          )}
        </div>
        {envs.length ? (
          <select data-testid="env-select" aria-label={t("clusters.environment")} value={envId} onChange={(e) => pick(e.currentTarget.value)}>
            {envs.map((e) => (
              <option value={e.id} key={e.id}>
                {e.name} ({e.id})
              </option>
            ))}
          </select>
        ) : (
          <p class="muted" data-testid="envs-empty">
            {t("clusters.noEnvs")}
          </p>
        )}
        {addingEnv ? (
          <NewEnvironment
            conn={conn}
            onDone={(created) => {
              setAddingEnv(false);
              if (created) {
                setEnvs((old) => [...(old ?? []), created]);
                pick(created.id);
              }
            }}
          />
        ) : null}
      </section>
      {envId ? <ClusterList key={`${conn}/${envId}`} conn={conn} envId={envId} /> : null}
    </div>
  );
}

function NewEnvironment({ conn, onDone }: { conn: string; onDone: (created: EnvironmentView | null) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) {
      setError(t("clusters.envNameRequired"));
      document.getElementById("f-env-name")?.focus();
      return;
    }
    setSaving(true);
    try {
      const created = await call(commands.createEnvironment(conn, name.trim()));
      flash(t("clusters.envCreated", { name: created.name }));
      onDone(created);
    } catch (err) {
      const be = asBridgeError(err);
      const f = be.fields?.display_name;
      if (f) setError(f);
      else shownError.value = be;
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate data-testid="env-form">
      <Field name="env-name" label={t("clusters.envName")} error={error}>
        <input
          {...control("env-name", error)}
          data-testid="env-name"
          value={name}
          maxLength={64}
          autoFocus
          onInput={(e) => {
            setName(e.currentTarget.value);
            setError(undefined);
          }}
        />
      </Field>
      <div class="actions">
        <button type="button" onClick={() => onDone(null)} data-testid="env-cancel">
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="env-save">
          {saving ? t("form.saving") : t("clusters.create")}
        </button>
      </div>
    </form>
  );
}

function ClusterList({ conn, envId }: { conn: string; envId: string }) {
  const [clusters, setClusters] = useState<ClusterView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [reload, setReload] = useState(0);
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setFailed(false);
    call(commands.listClusters(conn, envId)).then(
      (list) => !cancelled && setClusters(list),
      (e) => {
        if (cancelled) return;
        setFailed(true);
        shownError.value = asBridgeError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [conn, envId, reload]);

  // While a cluster is PROVISIONING, ask for it again every second until it is PROVISIONED or FAILED.
  useEffect(() => {
    const pending = (clusters ?? []).filter((c) => c.phase === "PROVISIONING");
    if (!pending.length) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const fresh = await Promise.all(pending.map((c) => call(commands.getCluster(conn, envId, c.id))));
        if (!cancelled) setClusters((old) => old && old.map((c) => fresh.find((f) => f.id === c.id) ?? c));
      } catch (e) {
        if (!cancelled) shownError.value = asBridgeError(e);
      }
    }, 1000);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [clusters, conn, envId]);

  return (
    <>
      <section class="card" aria-labelledby="h-clusters">
        <div class="card-head">
          <h2 id="h-clusters">{t("nav.clusters")}</h2>
          <span class="row-actions">
            <button type="button" data-testid="clusters-refresh" onClick={() => setReload((n) => n + 1)}>
              {t("clusters.refresh")}
            </button>
            {adding ? null : (
              <button type="button" class="primary" data-testid="new-cluster" onClick={() => setAdding(true)}>
                + {t("clusters.newCluster")}
              </button>
            )}
          </span>
        </div>
        {clusters === null ? (
          failed ? (
            <p class="muted" data-testid="clusters-error">
              {t("clusters.loadFailed")}
            </p>
          ) : (
            <p class="muted" data-testid="clusters-loading" aria-busy="true">
              <span class="spinner" aria-hidden="true" /> {t("common.loading")}
            </p>
          )
        ) : clusters.length === 0 ? (
          <p class="muted" data-testid="clusters-empty">
            {t("clusters.noClusters")}
          </p>
        ) : (
          <table class="table" data-testid="cluster-table">
            <thead>
              <tr>
                <th>{t("clusters.col.name")}</th>
                <th>{t("clusters.col.id")}</th>
                <th>{t("clusters.col.type")}</th>
                <th>{t("clusters.col.where")}</th>
                <th>{t("clusters.col.availability")}</th>
                <th>{t("clusters.col.status")}</th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr key={c.id} data-testid="cluster-row" data-name={c.name} data-id={c.id} data-phase={c.phase}>
                  <td>
                    <div class="cluster-name">{c.name}</div>
                    {c.bootstrap ? (
                      <code class="muted small" data-testid="cluster-bootstrap" title={t("clusters.bootstrap")}>
                        {c.bootstrap}
                      </code>
                    ) : null}
                  </td>
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>
                    {c.type}
                    {c.type === "Dedicated" && c.cku ? ` · ${t("clusters.ckuCount", { n: String(c.cku) })}` : ""}
                  </td>
                  <td>
                    {c.cloud} · {c.region}
                  </td>
                  <td>{availabilityLabel(c.availability)}</td>
                  <td>
                    <Phase phase={c.phase} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {adding ? (
        <NewCluster
          conn={conn}
          envId={envId}
          onDone={(created) => {
            setAdding(false);
            if (created) setClusters((old) => [...(old ?? []).filter((c) => c.id !== created.id), created]);
          }}
        />
      ) : null}
    </>
  );
}

function Phase({ phase }: { phase: string }) {
  const known: Record<string, Key> = { PROVISIONING: "clusters.phase.provisioning", PROVISIONED: "clusters.phase.provisioned", FAILED: "clusters.phase.failed" };
  const key = known[phase];
  return (
    <span class={`phase ${phase.toLowerCase()}`} data-testid="cluster-phase" data-phase={phase}>
      {phase === "PROVISIONING" ? <span class="spinner" aria-hidden="true" /> : null}
      {key ? t(key) : phase}
    </span>
  );
}

interface ClusterDraft {
  name: string;
  type: (typeof TYPES)[number];
  cku: string;
  cloud: string;
  region: string;
  availability: string;
}

function NewCluster({ conn, envId, onDone }: { conn: string; envId: string; onDone: (created: ClusterView | null) => void }) {
  const [d, setD] = useState<ClusterDraft>({ name: "", type: "Basic", cku: "1", cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const update = (patch: Partial<ClusterDraft>, field: string) => {
    setD((old) => {
      const next = { ...old, ...patch };
      // Keep the dependent selects valid: region follows cloud, availability follows type.
      if (!REGIONS[next.cloud]?.includes(next.region)) next.region = REGIONS[next.cloud]?.[0] ?? "";
      if (!AVAILABILITY[next.type].includes(next.availability)) next.availability = AVAILABILITY[next.type][0]!;
      return next;
    });
    setErrors(({ [field]: _gone, ...rest }) => rest);
  };

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!d.name.trim()) local.name = t("clusters.nameRequired");
    const cku = Number(d.cku);
    if (d.type === "Dedicated" && !(Number.isInteger(cku) && cku >= 1)) local.cku = t("clusters.ckuRequired");
    if (Object.keys(local).length) {
      setErrors(local);
      document.getElementById(`f-cluster-${Object.keys(local)[0]}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const created = await call(
        commands.createCluster(conn, {
          environment_id: envId,
          name: d.name.trim(),
          type: d.type,
          cku: d.type === "Dedicated" ? cku : null,
          cloud: d.cloud,
          region: d.region,
          availability: d.availability,
        }),
      );
      flash(t("clusters.created", { name: created.name }));
      onDone(created);
    } catch (err) {
      const be = asBridgeError(err);
      const fields = formErrors(be, FIELD_OF);
      if (fields) {
        setErrors(fields);
        document.getElementById(`f-cluster-${Object.keys(fields)[0]}`)?.focus();
      } else {
        shownError.value = be;
      }
    } finally {
      setSaving(false);
    }
  }

  const sel = (k: keyof ClusterDraft) => (e: Event) => update({ [k]: (e.currentTarget as HTMLInputElement).value } as Partial<ClusterDraft>, k);
  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="cluster-form">
      <h2>{t("clusters.newCluster")}</h2>
      <Field name="cluster-name" label={t("clusters.name")} error={errors.name}>
        <input {...control("cluster-name", errors.name)} data-testid="cluster-name" value={d.name} onInput={sel("name")} maxLength={64} autoFocus spellcheck={false} />
      </Field>
      <Field name="cluster-type" label={t("clusters.type")} error={errors.type}>
        <select {...control("cluster-type", errors.type)} data-testid="cluster-type" value={d.type} onChange={sel("type")}>
          {TYPES.map((ty) => (
            <option value={ty} key={ty}>
              {ty}
            </option>
          ))}
        </select>
      </Field>
      {d.type === "Dedicated" ? (
        <Field name="cluster-cku" label={t("clusters.cku")} hint={t("clusters.cku.hint")} error={errors.cku}>
          <input {...control("cluster-cku", errors.cku)} data-testid="cluster-cku" type="number" min={1} max={152} value={d.cku} onInput={sel("cku")} />
        </Field>
      ) : null}
      <Field name="cluster-cloud" label={t("clusters.cloud")} error={errors.cloud}>
        <select {...control("cluster-cloud", errors.cloud)} data-testid="cluster-cloud" value={d.cloud} onChange={sel("cloud")}>
          {CLOUDS.map((c) => (
            <option value={c} key={c}>
              {t(`clusters.cloud.${c}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field name="cluster-region" label={t("clusters.region")} error={errors.region}>
        <select {...control("cluster-region", errors.region)} data-testid="cluster-region" value={d.region} onChange={sel("region")}>
          {(REGIONS[d.cloud] ?? []).map((r) => (
            <option value={r} key={r}>
              {r}
            </option>
          ))}
        </select>
      </Field>
      <Field name="cluster-availability" label={t("clusters.availability")} error={errors.availability}>
        <select {...control("cluster-availability", errors.availability)} data-testid="cluster-availability" value={d.availability} onChange={sel("availability")}>
          {AVAILABILITY[d.type].map((a) => (
            <option value={a} key={a}>
              {availabilityLabel(a)}
            </option>
          ))}
        </select>
      </Field>
      <div class="actions">
        <button type="button" onClick={() => onDone(null)} data-testid="cluster-cancel">
          {t("form.cancel")}
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="cluster-save">
          {saving ? t("clusters.creating") : t("clusters.create")}
        </button>
      </div>
    </form>
  );
}
