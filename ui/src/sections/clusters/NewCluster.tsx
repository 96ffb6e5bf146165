import { useState } from "preact/hooks";

import { asBridgeError, call, commands } from "../../api";
import type { ClusterView_Serialize as ClusterView } from "../../bindings";
import { Equivalent } from "../../components/Equivalent";
import { Field, control } from "../../components/Field";
import { createCluster } from "../../equivalents";
import { t } from "../../i18n";
import { flash, shownError } from "../../state";
import { AVAILABILITY, CLOUDS, FIELD_OF, OTHER_REGION, type OrderableType, REGIONS, TYPES, availabilityLabel, cloudApiUrlOf, formErrors } from "./shared";

interface ClusterDraft {
  name: string;
  type: OrderableType;
  cku: string;
  cloud: string;
  /** One of REGIONS[cloud], or OTHER_REGION: then `customRegion` is sent. */
  region: string;
  customRegion: string;
  availability: string;
}

/** The element to focus for a field with an error. */
const focusId = (field: string, d: ClusterDraft) => (field === "region" && d.region === OTHER_REGION ? "f-cluster-region-custom" : `f-cluster-${field}`);

export function NewCluster({ conn, envId, onDone }: { conn: string; envId: string; onDone: (created: ClusterView | null) => void }) {
  const [d, setD] = useState<ClusterDraft>({ name: "", type: "Basic", cku: "1", cloud: "AWS", region: "us-east-1", customRegion: "", availability: "SINGLE_ZONE" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const update = (patch: Partial<ClusterDraft>, field: string) => {
    setD((old) => {
      const next = { ...old, ...patch };
      // Keep the dependent selects valid: region follows cloud (a typed region stays), availability follows type.
      if (next.region !== OTHER_REGION && !REGIONS[next.cloud]?.includes(next.region)) next.region = REGIONS[next.cloud]?.[0] ?? "";
      if (!AVAILABILITY[next.type].includes(next.availability)) next.availability = AVAILABILITY[next.type][0]!;
      return next;
    });
    setErrors(({ [field]: _gone, ...rest }) => rest);
  };

  const other = d.region === OTHER_REGION;
  const region = other ? d.customRegion.trim() : d.region;
  const cku = Number(d.cku);

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!d.name.trim()) local.name = t("clusters.nameRequired");
    if (d.type === "Dedicated" && !(Number.isInteger(cku) && cku >= 1)) local.cku = t("clusters.ckuRequired");
    if (!region) local.region = t("clusters.regionRequired");
    if (Object.keys(local).length) {
      setErrors(local);
      document.getElementById(focusId(Object.keys(local)[0]!, d))?.focus();
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
          region,
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
        document.getElementById(focusId(Object.keys(fields)[0]!, d))?.focus();
      } else {
        shownError.value = be;
      }
    } finally {
      setSaving(false);
    }
  }

  const sel = (k: keyof ClusterDraft, field: string = k) => (e: Event) =>
    update({ [k]: (e.currentTarget as HTMLInputElement).value } as Partial<ClusterDraft>, field);
  const eq = createCluster({
    environmentId: envId,
    name: d.name.trim(),
    type: d.type,
    cku: d.type === "Dedicated" ? (Number.isInteger(cku) && cku >= 1 ? cku : 1) : null,
    cloud: d.cloud,
    region,
    availability: d.availability,
  });
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
      <Field name="cluster-region" label={t("clusters.region")} error={errors.region} hint={other ? t("clusters.region.customHint") : undefined}>
        <select {...control("cluster-region", errors.region)} data-testid="cluster-region" value={d.region} onChange={sel("region")}>
          {(REGIONS[d.cloud] ?? []).map((r) => (
            <option value={r} key={r}>
              {r}
            </option>
          ))}
          <option value={OTHER_REGION} data-testid="cluster-region-other">
            {t("clusters.region.other")}
          </option>
        </select>
        {other ? (
          <input
            id="f-cluster-region-custom"
            name="cluster-region-custom"
            data-testid="cluster-region-custom"
            class="region-custom"
            aria-label={t("clusters.region.custom")}
            placeholder={t("clusters.region.custom")}
            aria-invalid={errors.region ? true : undefined}
            aria-describedby={errors.region ? "err-cluster-region" : "hint-cluster-region"}
            value={d.customRegion}
            onInput={sel("customRegion", "region")}
            autoFocus
            spellcheck={false}
            autocomplete="off"
          />
        ) : null}
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
      <Equivalent eq={eq} cloudApiUrl={cloudApiUrlOf(conn)} />
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
