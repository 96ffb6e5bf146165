// Lesson 4's calculator: what a Kafka workload costs a month self-managed on EC2, on AWS MSK
// (provisioned) and on Confluent Cloud. Pure functions over a price table whose every default names
// its source (an id in SOURCES, with the addresses the lesson shows) and the date that source
// shows; docs/prices.md lists them all. The user may edit any price; a price no source gives is null
// and must be entered.

/** Hours in a billing month, as AWS and docs/prices.md count them. */
export const HOURS_PER_MONTH = 730;
/** Seconds in that month: 1 MB/s for a month is 2,628 GB (decimal, as docs/prices.md counts). */
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** How sure a figure is (docs/prices.md): primary, secondary, derived, uncertain. */
export type Marker = "P" | "S" | "D" | "?";

/** Where the lesson's figures come from (docs/prices.md#sources). */
export const SOURCE_IDS = ["A1", "A3", "A4", "A5", "A6", "A7", "S3", "S7", "S8", "C2", "C4", "C6", "Conduktor"] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export interface SourceInfo {
  /** The vendor's own page for the figure: where a user checks it today. */
  vendor: string;
  /** The pages or files the figure was actually read in (may be `vendor` itself); empty when no
   *  single address was kept (the lesson says so). */
  readIn: readonly string[];
  /** The date that source shows, or "undated". */
  date: string;
  /** Primary (the vendor's own) or secondary (a third party's copy or compilation). */
  kind: "P" | "S";
}

// GitHub links are pinned to the commit read where we know it.
const AWS_TOOLKIT = "https://github.com/aws/agent-toolkit-for-aws/blob/d6ad2e44d5e3077b85b63f322e007c84f94f3a6c/skills";
const MSK_PRICING = "https://aws.amazon.com/msk/pricing/";
const EC2_PRICING = "https://aws.amazon.com/ec2/pricing/on-demand/";
const CC_TYPES = "https://docs.confluent.io/cloud/current/clusters/cluster-types.html";
const CONDUKTOR = "https://www.conduktor.io/blog/kafka-build-vs-buy-decision-framework";

/** The addresses of every source the lesson names: the one table the lesson shows them from.
 *  docs/prices.md must list every address (ui/test/cost.test.ts checks). */
export const SOURCES: Record<SourceId, SourceInfo> = {
  A1: { vendor: MSK_PRICING, readIn: [`${AWS_TOOLKIT}/specialized-skills/analytics-skills/managing-amazon-msk/scripts/msk_sizing.py`], date: "2026-06-23", kind: "P" },
  A3: {
    vendor: "https://docs.aws.amazon.com/msk/latest/developerguide/msk-update-broker-count.html",
    readIn: ["https://github.com/awsdocs/amazon-msk-developer-guide/blob/HEAD/doc_source/msk-update-broker-count.md"],
    date: "2022-07-21",
    kind: "P",
  },
  A4: {
    vendor: EC2_PRICING,
    readIn: [`${AWS_TOOLKIT}/specialized-skills/ec2-skills/launching-ec2-instance-with-best-practices/references/launch-ec2-instance-with-best-practices.md`],
    date: "2026-07-02",
    kind: "P",
  },
  A5: { vendor: "https://aws.amazon.com/ebs/pricing/", readIn: [`${AWS_TOOLKIT}/core-skills/aws-billing-and-cost-management/references/ebs-optimization.md`], date: "2026-05-11", kind: "P" },
  A6: {
    vendor: EC2_PRICING,
    readIn: [`${AWS_TOOLKIT}/specialized-skills/analytics-skills/developing-applications-on-managed-service-for-apache-flink/references/foundation-operations.md`],
    date: "2026-06-12",
    kind: "P",
  },
  A7: { vendor: MSK_PRICING, readIn: ["http://pvchk.app2one.com/jp/msk/pricing"], date: "undated", kind: "P" },
  S3: { vendor: MSK_PRICING, readIn: ["https://github.com/Gilgamech/OfferingOverview/blob/HEAD/notes/MSK.md"], date: "2023-11-25", kind: "S" },
  S7: { vendor: EC2_PRICING, readIn: ["https://github.com/ctaminian/aws-cost-estimator/blob/HEAD/pricing.py"], date: "undated", kind: "S" },
  S8: { vendor: EC2_PRICING, readIn: [], date: "undated", kind: "S" },
  C2: {
    vendor: CC_TYPES,
    readIn: [
      "https://github.com/deepaksood619/deepaksood619.github.io/blob/28db2681898023075c24b43015b3ecd80b499fdd/docs/technologies/confluent/cloud/confluent-cluster-types.md",
      "https://github.com/deepaksood619/deepaksood619.github.io/blob/HEAD/docs/technologies/confluent/pricing.md",
    ],
    date: "2026-07-05",
    kind: "S",
  },
  C4: { vendor: CC_TYPES, readIn: ["https://github.com/confluentinc/agent-skills/blob/HEAD/skills/msk-migration/SKILL.md"], date: "2026-07-22", kind: "P" },
  C6: { vendor: "https://www.confluent.io/confluent-cloud/pricing/", readIn: [], date: "2026-09-05", kind: "S" },
  Conduktor: { vendor: CONDUKTOR, readIn: [CONDUKTOR], date: "2024-01-26", kind: "S" },
};

export interface PriceInfo {
  /** USD; null when no source gives a figure (the user enters one). */
  value: number | null;
  unit: "hour" | "gbMonth" | "gb" | "eckuHour" | "ckuHour" | "fteMonth";
  /** Where it comes from (SOURCES, docs/prices.md#sources). */
  source: SourceId;
  /** The date that source shows, or "undated". */
  date: string;
  markers: readonly Marker[];
  /** Section of docs/prices.md the figure is in. */
  section: string;
  /** A note (string key suffix `learn.cost.note.<id>`) for uncertain, derived or missing prices. */
  note?: boolean;
}

export const INSTANCES = ["t3.small", "m5.large", "m7g.large", "m7g.xlarge"] as const;
export type Instance = (typeof INSTANCES)[number];
export const CONFLUENT_TYPES = ["Standard", "Enterprise", "Dedicated"] as const;
export type ConfluentType = (typeof CONFLUENT_TYPES)[number];

export const PRICE_IDS = [
  "ec2.t3.small",
  "ec2.m5.large",
  "ec2.m7g.large",
  "ec2.m7g.xlarge",
  "msk.t3.small",
  "msk.m5.large",
  "msk.m7g.large",
  "msk.m7g.xlarge",
  "ebs.gp3",
  "msk.storage",
  "aws.crossAz",
  "cc.standard.ecku",
  "cc.enterprise.ecku",
  "cc.dedicated.cku",
  "cc.throughput",
  "cc.storage",
  "cc.dedicated.throughput",
  "cc.dedicated.storage",
  "labour.fte",
] as const;
export type PriceId = (typeof PRICE_IDS)[number];
export type Prices = Record<PriceId, number | null>;

/** The defaults, each with where it comes from (docs/prices.md: us-east-1, list prices). */
export const PRICE_DEFAULTS: Record<PriceId, PriceInfo> = {
  "ec2.t3.small": { value: 0.0208, unit: "hour", source: "A4", date: "2026-07-02", markers: ["P"], section: "§1.4" },
  "ec2.m5.large": { value: 0.096, unit: "hour", source: "S7", date: "undated", markers: ["S"], section: "§1.4", note: true },
  "ec2.m7g.large": { value: 0.0816, unit: "hour", source: "S8", date: "undated", markers: ["S", "?"], section: "§1.4", note: true },
  "ec2.m7g.xlarge": { value: 0.1632, unit: "hour", source: "S8", date: "undated", markers: ["S", "?"], section: "§1.4", note: true },
  "msk.t3.small": { value: 0.0456, unit: "hour", source: "S3", date: "2023-11-25", markers: ["S"], section: "§1.1", note: true },
  "msk.m5.large": { value: 0.21, unit: "hour", source: "A1", date: "2026-06-23", markers: ["P"], section: "§1.1" },
  "msk.m7g.large": { value: 0.204, unit: "hour", source: "A1", date: "2026-06-23", markers: ["P"], section: "§1.1" },
  "msk.m7g.xlarge": { value: 0.408, unit: "hour", source: "A1", date: "2026-06-23", markers: ["P"], section: "§1.1" },
  "ebs.gp3": { value: 0.08, unit: "gbMonth", source: "A5", date: "2026-05-11", markers: ["P"], section: "§1.4" },
  "msk.storage": { value: 0.1, unit: "gbMonth", source: "A1", date: "2026-06-23", markers: ["P"], section: "§1.2" },
  "aws.crossAz": { value: 0.02, unit: "gb", source: "A6", date: "2026-06-12", markers: ["P"], section: "§1.4", note: true },
  "cc.standard.ecku": { value: 0.75, unit: "eckuHour", source: "C6", date: "2026-09-05", markers: ["S"], section: "§2.1", note: true },
  "cc.enterprise.ecku": { value: 1.75, unit: "eckuHour", source: "C6", date: "2026-09-05", markers: ["S", "?"], section: "§2.1", note: true },
  "cc.dedicated.cku": { value: null, unit: "ckuHour", source: "C2", date: "2026-07-05", markers: ["?"], section: "§2.1, §6.1", note: true },
  "cc.throughput": { value: 0.05, unit: "gb", source: "C6", date: "2026-09-05", markers: ["S", "?"], section: "§2.1", note: true },
  "cc.storage": { value: 0.08, unit: "gbMonth", source: "C6", date: "2026-09-05", markers: ["S", "?"], section: "§2.1", note: true },
  "cc.dedicated.throughput": { value: null, unit: "gb", source: "C2", date: "2026-07-05", markers: ["?"], section: "§2.1, §6.2", note: true },
  "cc.dedicated.storage": { value: null, unit: "gbMonth", source: "C2", date: "2026-07-05", markers: ["?"], section: "§2.1, §6.2", note: true },
  "labour.fte": { value: 15000, unit: "fteMonth", source: "Conduktor", date: "2024-01-26", markers: ["S"], section: "§4", note: true },
};

export function defaultPrices(): Prices {
  return Object.fromEntries(PRICE_IDS.map((id) => [id, PRICE_DEFAULTS[id].value])) as Prices;
}

/** Capacity of one Confluent unit (eCKU / CKU), docs/prices.md §2.2. */
export const UNIT_CAPACITY: Record<ConfluentType, { inMBps: number; outMBps: number; partitions: number | null; maxUnits: number; source: string; markers: readonly Marker[] }> = {
  // ≈ 250 MBps / 10 eCKU: derived and uncertain.
  Standard: { inMBps: 25, outMBps: 75, partitions: null, maxUnits: 10, source: "C2", markers: ["D", "?"] },
  // 1,920 / 32 = 60 in, 180 out, 3,000 partitions: derived.
  Enterprise: { inMBps: 60, outMBps: 180, partitions: 3000, maxUnits: 32, source: "C2, C4", markers: ["D"] },
  // Per CKU, as the cluster-types table says.
  Dedicated: { inMBps: 60, outMBps: 180, partitions: 4500, maxUnits: 152, source: "C2", markers: ["S"] },
};
/** Partitions (pre-replication) a whole Standard cluster may hold (§2.2, C2). */
export const STANDARD_MAX_PARTITIONS = 2500;

export interface Workload {
  /** Produced, MB/s (average over the month). */
  ingressMBps: number;
  /** Consumed, MB/s. */
  egressMBps: number;
  retentionDays: number;
  partitions: number;
  /** Brokers of the self-managed and the MSK cluster (same count for both). */
  brokers: number;
  instance: Instance;
  replicationFactor: number;
  /** Replicas spread over 3 availability zones (copies cross AZs). */
  multiAz: boolean;
  /** Separate KRaft controller nodes the self-managed cluster runs (t3.small); MSK includes them. */
  controllers: number;
  confluentType: ConfluentType;
  /** People's time per option, in full-time engineers, when `labour` is on. */
  fte: { self: number; msk: number; confluent: number };
  labour: boolean;
}

export function defaultWorkload(): Workload {
  return {
    ingressMBps: 1,
    egressMBps: 3,
    retentionDays: 7,
    partitions: 100,
    brokers: 3,
    instance: "m5.large",
    replicationFactor: 3,
    multiAz: true,
    controllers: 3,
    confluentType: "Standard",
    fte: { self: 0.5, msk: 0.1, confluent: 0.05 },
    labour: false,
  };
}

/** GB moved in a month at `mbps` MB/s (decimal GB: 1 MB/s = 2,628 GB). */
export function gbPerMonth(mbps: number): number {
  return (mbps * SECONDS_PER_MONTH) / 1000;
}

/** GB retained (before replication) when `mbps` MB/s is kept `days` days. */
export function retainedGb(mbps: number, days: number): number {
  return (mbps * 86_400 * days) / 1000;
}

/** `count` machines at `hourly` $ for a month. */
export function instanceMonthly(count: number, hourly: number): number {
  return count * hourly * HOURS_PER_MONTH;
}

/** Bytes that cross AZs when every produced byte is copied to RF−1 replicas in other zones. */
export function crossAzReplicationGb(ingressMBps: number, replicationFactor: number, multiAz: boolean): number {
  if (!multiAz || replicationFactor <= 1) return 0;
  return gbPerMonth(ingressMBps) * (replicationFactor - 1);
}

/** eCKUs / CKUs a Confluent cluster of `type` needs for the workload (never fewer than its minimum). */
export function confluentUnits(type: ConfluentType, w: Pick<Workload, "ingressMBps" | "egressMBps" | "partitions" | "multiAz">): number {
  const cap = UNIT_CAPACITY[type];
  const needs = [1, Math.ceil(w.ingressMBps / cap.inMBps), Math.ceil(w.egressMBps / cap.outMBps)];
  if (cap.partitions) needs.push(Math.ceil(w.partitions / cap.partitions));
  // A multi-zone Dedicated cluster needs at least 2 CKU (§2.2).
  if (type === "Dedicated" && w.multiAz) needs.push(2);
  return Math.max(...needs);
}

export type LineId = "compute" | "controllers" | "storage" | "transfer" | "capacity" | "throughput" | "labour";

export interface Line {
  id: LineId;
  /** Null when a price it needs is unknown. */
  amount: number | null;
  /** The prices it used that are still empty. */
  missing: PriceId[];
  /** Figures for the explanation ("3 × $0.096/h × 730 h"). */
  detail: Record<string, number>;
}

export type OptionId = "self" | "msk" | "confluent";

export interface OptionCost {
  id: OptionId;
  lines: Line[];
  /** Sum of the lines that are known. */
  total: number;
  /** Total without people's time. */
  infra: number;
  complete: boolean;
}

function line(id: LineId, needs: Partial<Record<PriceId, number | null>>, f: (p: Record<string, number>) => number, detail: Record<string, number>): Line {
  const missing = (Object.entries(needs) as [PriceId, number | null][]).filter(([, v]) => v == null || !Number.isFinite(v)).map(([k]) => k);
  const known = Object.fromEntries(Object.entries(needs).map(([k, v]) => [k, v ?? 0]));
  return { id, amount: missing.length ? null : f(known), missing, detail };
}

function option(id: OptionId, lines: Line[]): OptionCost {
  const sum = (ls: Line[]) => ls.reduce((s, l) => s + (l.amount ?? 0), 0);
  return { id, lines, total: sum(lines), infra: sum(lines.filter((l) => l.id !== "labour")), complete: lines.every((l) => l.amount !== null) };
}

function labourLine(w: Workload, p: Prices, fte: number): Line[] {
  if (!w.labour) return [];
  return [line("labour", { "labour.fte": p["labour.fte"] }, (x) => fte * x["labour.fte"]!, { fte })];
}

/** Kafka on EC2: brokers, controllers, gp3 volumes for every replica, cross-AZ replication bytes, people. */
export function selfManaged(w: Workload, p: Prices): OptionCost {
  const ec2 = `ec2.${w.instance}` as PriceId;
  const storedGb = retainedGb(w.ingressMBps, w.retentionDays) * w.replicationFactor;
  const crossGb = crossAzReplicationGb(w.ingressMBps, w.replicationFactor, w.multiAz);
  return option("self", [
    line("compute", { [ec2]: p[ec2] }, (x) => instanceMonthly(w.brokers, x[ec2]!), { count: w.brokers, hours: HOURS_PER_MONTH }),
    line("controllers", { "ec2.t3.small": p["ec2.t3.small"] }, (x) => instanceMonthly(w.controllers, x["ec2.t3.small"]!), { count: w.controllers, hours: HOURS_PER_MONTH }),
    line("storage", { "ebs.gp3": p["ebs.gp3"] }, (x) => storedGb * x["ebs.gp3"]!, { gb: storedGb }),
    line("transfer", { "aws.crossAz": p["aws.crossAz"] }, (x) => crossGb * x["aws.crossAz"]!, { gb: crossGb }),
    ...labourLine(w, p, w.fte.self),
  ]);
}

/** MSK provisioned: broker-hours and broker storage; controllers and replication traffic are not charged. */
export function msk(w: Workload, p: Prices): OptionCost {
  const broker = `msk.${w.instance}` as PriceId;
  const storedGb = retainedGb(w.ingressMBps, w.retentionDays) * w.replicationFactor;
  return option("msk", [
    line("compute", { [broker]: p[broker] }, (x) => instanceMonthly(w.brokers, x[broker]!), { count: w.brokers, hours: HOURS_PER_MONTH }),
    line("storage", { "msk.storage": p["msk.storage"] }, (x) => storedGb * x["msk.storage"]!, { gb: storedGb }),
    line("transfer", {}, () => 0, { gb: 0 }),
    ...labourLine(w, p, w.fte.msk),
  ]);
}

/** Confluent Cloud: capacity units by the hour, data in + out per GB, storage before replication. */
export function confluent(w: Workload, p: Prices): OptionCost {
  const units = confluentUnits(w.confluentType, w);
  const unitPrice: PriceId = w.confluentType === "Standard" ? "cc.standard.ecku" : w.confluentType === "Enterprise" ? "cc.enterprise.ecku" : "cc.dedicated.cku";
  const dedicated = w.confluentType === "Dedicated";
  const tp: PriceId = dedicated ? "cc.dedicated.throughput" : "cc.throughput";
  const st: PriceId = dedicated ? "cc.dedicated.storage" : "cc.storage";
  const movedGb = gbPerMonth(w.ingressMBps) + gbPerMonth(w.egressMBps);
  const storedGb = retainedGb(w.ingressMBps, w.retentionDays);
  return option("confluent", [
    line("capacity", { [unitPrice]: p[unitPrice] }, (x) => instanceMonthly(units, x[unitPrice]!), { units, hours: HOURS_PER_MONTH }),
    line("throughput", { [tp]: p[tp] }, (x) => movedGb * x[tp]!, { gb: movedGb }),
    line("storage", { [st]: p[st] }, (x) => storedGb * x[st]!, { gb: storedGb }),
    ...labourLine(w, p, w.fte.confluent),
  ]);
}

export function compare(w: Workload, p: Prices): Record<OptionId, OptionCost> {
  return { self: selfManaged(w, p), msk: msk(w, p), confluent: confluent(w, p) };
}

/** "Self-run is about half the price of MSK": within 40–60 %. */
export const HALF_BAND = [0.4, 0.6] as const;

export interface ClaimCheck {
  /** Self-managed ÷ MSK, broker instance-hours only. */
  compute: number | null;
  /** Self-managed ÷ MSK, all infrastructure (controllers, storage, transfer). */
  infra: number | null;
  /** Self-managed ÷ MSK with people's time (only when labour is on). */
  allIn: number | null;
}

const ratio = (a: number | null, b: number | null) => (a == null || b == null || b === 0 ? null : a / b);

export function checkClaim(w: Workload, p: Prices): ClaimCheck {
  const s = selfManaged(w, p);
  const m = msk(w, p);
  const compute = (o: OptionCost) => o.lines.find((l) => l.id === "compute")?.amount ?? null;
  return {
    compute: ratio(compute(s), compute(m)),
    infra: s.lines.some((l) => l.id !== "labour" && l.amount === null) || m.lines.some((l) => l.id !== "labour" && l.amount === null) ? null : ratio(s.infra, m.infra),
    allIn: w.labour && s.complete && m.complete ? ratio(s.total, m.total) : null,
  };
}

export const isAboutHalf = (r: number) => r >= HALF_BAND[0] && r <= HALF_BAND[1];

/** Warnings about the workload as the services would see it. */
export function warnings(w: Workload): ("mskAzMultiple" | "standardPartitions" | "unitsOverMax" | "rfOverBrokers")[] {
  const out: ("mskAzMultiple" | "standardPartitions" | "unitsOverMax" | "rfOverBrokers")[] = [];
  // MSK: brokers are a multiple of the AZ count (A3).
  if (w.multiAz && w.brokers % 3 !== 0) out.push("mskAzMultiple");
  if (w.confluentType === "Standard" && w.partitions > STANDARD_MAX_PARTITIONS) out.push("standardPartitions");
  if (confluentUnits(w.confluentType, w) > UNIT_CAPACITY[w.confluentType].maxUnits) out.push("unitsOverMax");
  if (w.replicationFactor > w.brokers) out.push("rfOverBrokers");
  return out;
}

/** Stored price edits: only known ids with a finite number or null survive. */
export function parsePrices(raw: string | null): Partial<Prices> {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== "object") return {};
    const out: Partial<Prices> = {};
    for (const id of PRICE_IDS) {
      const x = (v as Record<string, unknown>)[id];
      if (x === null || (typeof x === "number" && Number.isFinite(x) && x >= 0)) out[id] = x;
    }
    return out;
  } catch {
    return {};
  }
}

/** Dollars for people: $1,234.56. */
export function usd(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
