// Lesson 4: what it costs. A workload, a price table with a source, its date and the vendor page's
// address next to every price (editable, kept locally), every source's addresses (docs/prices.md),
// monthly totals per option with their breakdown, and the seed's claim "self-run ≈ half the price
// of MSK" checked on instance-hours, all infrastructure and all-in.
import { signal } from "@preact/signals";
import { useState } from "preact/hooks";

import { CopyButton } from "../../components/Equivalent";
import { type Key, t } from "../../i18n";
import {
  CONFLUENT_TYPES,
  type ConfluentType,
  INSTANCES,
  type Instance,
  type Line,
  type OptionCost,
  PRICE_DEFAULTS,
  PRICE_IDS,
  type PriceId,
  type Prices,
  SOURCES,
  SOURCE_IDS,
  type Workload,
  checkClaim,
  compare,
  defaultPrices,
  defaultWorkload,
  isAboutHalf,
  parsePrices,
  usd,
  warnings,
} from "./cost";
import { LessonFrame } from "./common";
import { markDone } from "./progress";

export const PRICES_KEY = "gureum.learn.prices";
export const WORKLOAD_KEY = "gureum.learn.workload";

function readWorkload(): Workload {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(WORKLOAD_KEY) ?? "null") as Partial<Workload> | null;
    const d = defaultWorkload();
    if (!v || typeof v !== "object") return d;
    return { ...d, ...v, fte: { ...d.fte, ...(v.fte ?? {}) } };
  } catch {
    return defaultWorkload();
  }
}
const store = (key: string, v: unknown) => {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(v));
  } catch {
    // Storage full or off: this session only.
  }
};

/** The user's price edits (only what differs from the defaults). */
export const priceEdits = signal<Partial<Prices>>(parsePrices(globalThis.localStorage?.getItem(PRICES_KEY) ?? null));
export const workload = signal<Workload>(readWorkload());

export function reloadCostState() {
  priceEdits.value = parsePrices(globalThis.localStorage?.getItem(PRICES_KEY) ?? null);
  workload.value = readWorkload();
}

const prices = (): Prices => ({ ...defaultPrices(), ...priceEdits.value });

function setWorkload(change: Partial<Workload>) {
  workload.value = { ...workload.value, ...change };
  store(WORKLOAD_KEY, workload.value);
  markDone("l4", "workload");
  if (change.labour) markDone("l4", "labour");
}

function setPrice(id: PriceId, value: number | null) {
  const edits = { ...priceEdits.value };
  if (value === PRICE_DEFAULTS[id].value) delete edits[id];
  else edits[id] = value;
  priceEdits.value = edits;
  store(PRICES_KEY, edits);
  markDone("l4", "prices");
}

function resetPrices() {
  priceEdits.value = {};
  try {
    globalThis.localStorage?.removeItem(PRICES_KEY);
  } catch {
    // as above
  }
}

export function Lesson4() {
  return (
    <LessonFrame
      id="l4"
      why={
        <>
          <p>{t("learn.l4.why1")}</p>
          <p>{t("learn.l4.why2")}</p>
        </>
      }
      byHand={["learn.l4.hand1", "learn.l4.hand2"]}
    >
      <Calculator />
    </LessonFrame>
  );
}

/** A number input that lets the user type freely and reports only numbers. */
function NumberField({ id, label, value, onChange, min = 0, step = "any" }: { id: string; label: string; value: number; onChange: (n: number) => void; min?: number; step?: string }) {
  const [text, setText] = useState(String(value));
  const shown = Number(text) === value ? text : String(value);
  return (
    <label class="field" for={`f-${id}`}>
      <span>{label}</span>
      <input
        id={`f-${id}`}
        data-testid={`cost-${id}`}
        type="number"
        inputMode="decimal"
        min={min}
        step={step}
        value={shown}
        onInput={(e) => {
          const raw = e.currentTarget.value;
          setText(raw);
          const n = Number(raw);
          if (raw.trim() !== "" && Number.isFinite(n) && n >= min) onChange(n);
        }}
      />
    </label>
  );
}

function Calculator() {
  const w = workload.value;
  const p = prices();
  const all = compare(w, p);
  const claim = checkClaim(w, p);
  const warns = warnings(w);
  return (
    <div class="l4">
      <fieldset class="l4-workload" data-testid="cost-workload">
        <legend>{t("learn.cost.workload")}</legend>
        <div class="l4-grid">
          <NumberField id="ingress" label={t("learn.cost.ingress")} value={w.ingressMBps} onChange={(n) => setWorkload({ ingressMBps: n })} />
          <NumberField id="egress" label={t("learn.cost.egress")} value={w.egressMBps} onChange={(n) => setWorkload({ egressMBps: n })} />
          <NumberField id="retention" label={t("learn.cost.retention")} value={w.retentionDays} onChange={(n) => setWorkload({ retentionDays: n })} />
          <NumberField id="partitions" label={t("learn.cost.partitions")} value={w.partitions} step="1" onChange={(n) => setWorkload({ partitions: Math.round(n) })} />
          <NumberField id="brokers" label={t("learn.cost.brokers")} value={w.brokers} min={1} step="1" onChange={(n) => setWorkload({ brokers: Math.round(n) })} />
          <label class="field" for="f-instance">
            <span>{t("learn.cost.instance")}</span>
            <select id="f-instance" data-testid="cost-instance" value={w.instance} onChange={(e) => setWorkload({ instance: e.currentTarget.value as Instance })}>
              {INSTANCES.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </label>
          <NumberField id="rf" label={t("learn.cost.rf")} value={w.replicationFactor} min={1} step="1" onChange={(n) => setWorkload({ replicationFactor: Math.round(n) })} />
          <NumberField id="controllers" label={t("learn.cost.controllers")} value={w.controllers} step="1" onChange={(n) => setWorkload({ controllers: Math.round(n) })} />
          <label class="field" for="f-cctype">
            <span>{t("learn.cost.confluentType")}</span>
            <select id="f-cctype" data-testid="cost-cctype" value={w.confluentType} onChange={(e) => setWorkload({ confluentType: e.currentTarget.value as ConfluentType })}>
              {CONFLUENT_TYPES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label class="check">
            <input type="checkbox" data-testid="cost-multiaz" checked={w.multiAz} onChange={(e) => setWorkload({ multiAz: e.currentTarget.checked })} />
            {t("learn.cost.multiAz")}
          </label>
          <label class="check">
            <input type="checkbox" data-testid="cost-labour" checked={w.labour} onChange={(e) => setWorkload({ labour: e.currentTarget.checked })} />
            {t("learn.cost.labour")}
          </label>
        </div>
        {w.labour ? (
          <div class="l4-grid l4-fte">
            <NumberField id="fte-self" label={t("learn.cost.fte.self")} value={w.fte.self} onChange={(n) => setWorkload({ fte: { ...w.fte, self: n } })} />
            <NumberField id="fte-msk" label={t("learn.cost.fte.msk")} value={w.fte.msk} onChange={(n) => setWorkload({ fte: { ...w.fte, msk: n } })} />
            <NumberField id="fte-confluent" label={t("learn.cost.fte.confluent")} value={w.fte.confluent} onChange={(n) => setWorkload({ fte: { ...w.fte, confluent: n } })} />
            <p class="muted small">{t("learn.cost.fteNote")}</p>
          </div>
        ) : null}
        {warns.map((k) => (
          <p key={k} class="l4-warning small" data-testid={`cost-warning-${k}`}>
            ⚠ {t(`learn.cost.warn.${k}` as Key)}
          </p>
        ))}
      </fieldset>

      <div class="l4-options">
        <OptionCard o={all.self} title={t("learn.cost.opt.self")} />
        <OptionCard o={all.msk} title={t("learn.cost.opt.msk")} />
        <OptionCard o={all.confluent} title={t("learn.cost.opt.confluent", { type: w.confluentType })} />
      </div>

      <section class="l4-claim card" data-testid="cost-claim" aria-labelledby="h-claim">
        <h4 id="h-claim">{t("learn.cost.claim")}</h4>
        <ClaimRow testid="claim-compute" label={t("learn.cost.claim.compute")} ratio={claim.compute} />
        <ClaimRow testid="claim-infra" label={t("learn.cost.claim.infra")} ratio={claim.infra} />
        <ClaimRow testid="claim-allin" label={t("learn.cost.claim.allIn")} ratio={claim.allIn} off={!w.labour} />
      </section>

      <PriceTable p={p} />
      <SourceList />
      <p class="muted small">{t("learn.cost.assumptions")}</p>
    </div>
  );
}

function lineLabel(l: Line): string {
  const d = l.detail;
  const gb = (n: number | undefined) => Math.round(n ?? 0).toLocaleString("en-US");
  switch (l.id) {
    case "compute":
      return t("learn.cost.line.compute", { count: String(d.count), hours: String(d.hours) });
    case "controllers":
      return t("learn.cost.line.controllers", { count: String(d.count) });
    case "storage":
      return t("learn.cost.line.storage", { gb: gb(d.gb) });
    case "transfer":
      return t("learn.cost.line.transfer", { gb: gb(d.gb) });
    case "capacity":
      return t("learn.cost.line.capacity", { units: String(d.units), hours: String(d.hours) });
    case "throughput":
      return t("learn.cost.line.throughput", { gb: gb(d.gb) });
    case "labour":
      return t("learn.cost.line.labour", { fte: String(d.fte) });
  }
}

function OptionCard({ o, title }: { o: OptionCost; title: string }) {
  return (
    <section class="l4-option card" data-testid={`cost-${o.id}`} data-total={o.total.toFixed(2)} data-complete={o.complete ? "true" : "false"}>
      <h4>{title}</h4>
      <table class="l4-lines">
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.id} data-testid={`cost-${o.id}-${l.id}`} data-amount={l.amount ?? ""}>
              <th scope="row">{lineLabel(l)}</th>
              <td>
                {l.amount === null ? (
                  <span class="l4-missing">{t("learn.cost.missing")}</span>
                ) : l.amount === 0 && (l.id === "transfer" || l.id === "controllers") && o.id === "msk" ? (
                  <span class="muted">{t("learn.cost.free")}</span>
                ) : (
                  usd(l.amount)
                )}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("learn.cost.total")}</th>
            <td class="l4-total">{usd(o.total)}</td>
          </tr>
        </tfoot>
      </table>
      {!o.complete ? <p class="small l4-missing">{t("learn.cost.incomplete")}</p> : null}
    </section>
  );
}

function ClaimRow({ testid, label, ratio, off }: { testid: string; label: string; ratio: number | null; off?: boolean }) {
  const verdict = ratio === null ? (off ? "off" : "unknown") : isAboutHalf(ratio) ? "holds" : "fails";
  return (
    <div class={`l4-claim-row ${verdict}`} data-testid={testid} data-ratio={ratio === null ? "" : ratio.toFixed(3)} data-verdict={verdict}>
      <span>{label}</span>
      <strong>{ratio === null ? "—" : t("learn.cost.claim.pct", { pct: `${Math.round(ratio * 100)} %` })}</strong>
      <span class="small">
        {verdict === "holds"
          ? t("learn.cost.claim.holds")
          : verdict === "fails"
            ? t("learn.cost.claim.fails")
            : verdict === "off"
              ? t("learn.cost.claim.labourOff")
              : t("learn.cost.claim.unknown")}
      </span>
    </div>
  );
}

function PriceTable({ p }: { p: Prices }) {
  return (
    <section class="l4-prices" aria-labelledby="h-prices" data-testid="cost-prices">
      <div class="card-head">
        <h4 id="h-prices">{t("learn.cost.prices")}</h4>
        <button type="button" class="ghost small" data-testid="cost-reset" disabled={Object.keys(priceEdits.value).length === 0} onClick={resetPrices}>
          {t("learn.cost.reset")}
        </button>
      </div>
      <p class="muted small">{t("learn.cost.markers")}</p>
      <div class="l4-table-scroll">
        <table class="l4-price-table">
          <thead>
            <tr>
              <th>{t("learn.cost.col.item")}</th>
              <th>{t("learn.cost.col.price")}</th>
              <th>{t("learn.cost.col.source")}</th>
            </tr>
          </thead>
          <tbody>
            {PRICE_IDS.map((id) => {
              const info = PRICE_DEFAULTS[id];
              const edited = id in priceEdits.value;
              return (
                <tr key={id} data-price={id} class={edited ? "edited" : undefined}>
                  <th scope="row">{t(`learn.cost.price.${id}` as Key)}</th>
                  <td class="l4-price-cell">
                    <PriceInput id={id} value={p[id]} />
                    <span class="muted small">{t(`learn.cost.unit.${info.unit}` as Key)}</span>
                    {edited ? <span class="l4-edited small">{t("learn.cost.edited")}</span> : null}
                  </td>
                  <td class="small" data-testid={`price-source-${id}`}>
                    <span class="l4-source">
                      {info.source}, {info.date} {info.markers.map((m) => `[${m}]`).join("")}
                    </span>
                    <Address url={SOURCES[info.source].vendor} testid={`price-url-${id}`} />
                    {info.note ? <span class="muted"> {t(`learn.cost.note.${id}` as Key)}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** An address the user opens in their own browser: Gureum's window doesn't open external pages
 *  (no opener plugin, and the CSP keeps the webview to the app), so it is selectable text with a
 *  Copy button rather than a link that would do nothing. */
function Address({ url, testid }: { url: string; testid: string }) {
  return (
    <span class="l4-address">
      <code data-testid={testid}>{url}</code>
      <CopyButton text={url} testid={`${testid}-copy`} label={`${t("copy.copy")}: ${url}`} />
    </span>
  );
}

/** Every source the lesson names (price rows, notes, warnings), with its vendor page and where the
 *  figures were read. */
function SourceList() {
  return (
    <section class="l4-sources" aria-labelledby="h-sources" data-testid="cost-sources">
      <h4 id="h-sources">{t("learn.cost.sources")}</h4>
      <p class="muted small">{t("learn.cost.sources.how")}</p>
      <dl class="small">
        {SOURCE_IDS.map((id) => {
          const s = SOURCES[id];
          const elsewhere = s.readIn.filter((u) => u !== s.vendor);
          return (
            <div key={id} data-testid={`source-${id}`}>
              <dt>
                <span class="l4-source">{id}</span> {t(`learn.cost.src.${id}` as Key)}, {s.date} [{s.kind}]
              </dt>
              <dd>
                {t("learn.cost.vendorPage")} <Address url={s.vendor} testid={`source-${id}-vendor`} />
              </dd>
              {s.readIn.length === 0 ? <dd class="muted">{t("learn.cost.noAddress")}</dd> : null}
              {elsewhere.map((u, i) => (
                <dd key={u}>
                  {t("learn.cost.readIn")} <Address url={u} testid={`source-${id}-read-${i}`} />
                </dd>
              ))}
            </div>
          );
        })}
      </dl>
    </section>
  );
}

function PriceInput({ id, value }: { id: PriceId; value: number | null }) {
  const [text, setText] = useState(value === null ? "" : String(value));
  const shown = (text === "" && value === null) || Number(text) === value ? text : value === null ? "" : String(value);
  return (
    <input
      type="number"
      min={0}
      step="any"
      inputMode="decimal"
      aria-label={t(`learn.cost.price.${id}` as Key)}
      data-testid={`price-${id}`}
      placeholder={t("learn.cost.missing")}
      value={shown}
      onInput={(e) => {
        const raw = e.currentTarget.value;
        setText(raw);
        if (raw.trim() === "") setPrice(id, null);
        else {
          const n = Number(raw);
          if (Number.isFinite(n) && n >= 0) setPrice(id, n);
        }
      }}
    />
  );
}
