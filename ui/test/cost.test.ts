// Lesson 4's formulas, each with a worked example from docs/prices.md (§1.5, §2.1) or by hand; and
// every price's source with addresses a user can open, all listed in docs/prices.md.
import { describe, expect, it } from "vitest";


import { en, ko } from "../src/sections/learn/strings";
import {
  HOURS_PER_MONTH,
  PRICE_DEFAULTS,
  PRICE_IDS,
  SOURCES,
  SOURCE_IDS,
  type Workload,
  checkClaim,
  compare,
  confluent,
  confluentUnits,
  crossAzReplicationGb,
  defaultPrices,
  defaultWorkload,
  gbPerMonth,
  instanceMonthly,
  isAboutHalf,
  msk,
  parsePrices,
  retainedGb,
  selfManaged,
  usd,
  warnings,
} from "../src/sections/learn/cost";

const P = defaultPrices();
const cents = (n: number | null | undefined) => Math.round((n ?? NaN) * 100) / 100;
/** The §1.5 shape: 3 brokers, no traffic, no separate controllers, single zone, no labour. */
const bare = (over: Partial<Workload> = {}): Workload => ({
  ...defaultWorkload(),
  ingressMBps: 0,
  egressMBps: 0,
  retentionDays: 0,
  controllers: 0,
  multiAz: false,
  labour: false,
  ...over,
});
const lineOf = (o: { lines: { id: string; amount: number | null }[] }, id: string) => o.lines.find((l) => l.id === id)?.amount;

describe("units", () => {
  it("a month is 730 h; 1 MB/s for a month is 2,628 GB (§1.5)", () => {
    expect(HOURS_PER_MONTH).toBe(730);
    expect(gbPerMonth(1)).toBe(2628);
    expect(gbPerMonth(0)).toBe(0);
  });
  it("retained GB = MB/s × 86,400 s × days / 1000", () => {
    expect(retainedGb(1, 7)).toBeCloseTo(604.8, 6);
    expect(retainedGb(10, 1)).toBeCloseTo(864, 6);
  });
  it("instance-months: count × $/h × 730", () => {
    expect(cents(instanceMonthly(3, 0.21))).toBe(459.9);
    expect(cents(instanceMonthly(1, 0.0208))).toBe(15.18);
  });
});

describe("self-managed on EC2 vs MSK, compute only (§1.5)", () => {
  it("3 × m5.large for 730 h: MSK $459.90 vs EC2 $210.24 = 46 %", () => {
    const w = bare({ instance: "m5.large" });
    expect(cents(lineOf(msk(w, P), "compute"))).toBe(459.9);
    expect(cents(lineOf(selfManaged(w, P), "compute"))).toBe(210.24);
    const c = checkClaim(w, P);
    expect(Math.round(c.compute! * 100)).toBe(46);
    expect(isAboutHalf(c.compute!)).toBe(true);
  });
  it("3 × t3.small: MSK $99.86 vs EC2 $45.55 = 46 %", () => {
    const w = bare({ instance: "t3.small" });
    expect(cents(lineOf(msk(w, P), "compute"))).toBe(99.86);
    expect(cents(lineOf(selfManaged(w, P), "compute"))).toBe(45.55);
    expect(Math.round(checkClaim(w, P).compute! * 100)).toBe(46);
  });
  it("3 × m7g.large: MSK $446.76 vs EC2 $178.70 = 40 %", () => {
    const w = bare({ instance: "m7g.large" });
    expect(cents(lineOf(msk(w, P), "compute"))).toBe(446.76);
    expect(cents(lineOf(selfManaged(w, P), "compute"))).toBe(178.7);
    expect(Math.round(checkClaim(w, P).compute! * 100)).toBe(40);
  });
  it("3 × m7g.xlarge: MSK $893.52 vs EC2 $357.41 (by hand: 3 × 0.408 × 730, 3 × 0.1632 × 730)", () => {
    const w = bare({ instance: "m7g.xlarge" });
    expect(cents(lineOf(msk(w, P), "compute"))).toBe(893.52);
    expect(cents(lineOf(selfManaged(w, P), "compute"))).toBe(357.41);
  });
});

describe("storage, controllers and cross-AZ replication (§1.5)", () => {
  it("3 × 100 GB: MSK $0.10 → $30, gp3 $0.08 → $24 (100 GB a broker = 33.3 GB × RF 3)", () => {
    // 100 GB per broker × 3 replicas' worth: ingress × days chosen so that retained × RF = 300 GB.
    const w = bare({ ingressMBps: 1, retentionDays: 100 / 86.4, replicationFactor: 3 });
    expect(cents(lineOf(msk(w, P), "storage"))).toBe(30);
    expect(cents(lineOf(selfManaged(w, P), "storage"))).toBe(24);
  });
  it("3 separate KRaft controllers on t3.small: +$45.55 self-managed, $0 on MSK", () => {
    const w = bare({ controllers: 3 });
    expect(cents(lineOf(selfManaged(w, P), "controllers"))).toBe(45.55);
    expect(lineOf(msk(w, P), "controllers")).toBeUndefined();
  });
  it("m7g case with controllers: EC2 $178.70 + $45.55 = $224.26 ≈ 50 % of MSK $446.76 (the file rounds to ~52 %)", () => {
    const w = bare({ instance: "m7g.large", controllers: 3 });
    const self = selfManaged(w, P);
    expect(cents(self.infra)).toBe(224.26);
    expect(Math.round(checkClaim(w, P).infra! * 100)).toBe(50);
  });
  it("RF 3 over 3 AZs at 1 MB/s: 2,628 GB × 2 copies × $0.02 = $105.12 self-managed, $0 on MSK", () => {
    expect(crossAzReplicationGb(1, 3, true)).toBe(5256);
    expect(crossAzReplicationGb(1, 3, false)).toBe(0);
    expect(crossAzReplicationGb(1, 1, true)).toBe(0);
    const w = bare({ ingressMBps: 1, multiAz: true });
    expect(cents(lineOf(selfManaged(w, P), "transfer"))).toBe(105.12);
    expect(lineOf(msk(w, P), "transfer")).toBe(0);
  });
});

describe("Confluent Cloud", () => {
  it("units: the most of throughput in, out, partitions and the type's minimum", () => {
    expect(confluentUnits("Standard", { ingressMBps: 1, egressMBps: 3, partitions: 100, multiAz: true })).toBe(1);
    expect(confluentUnits("Standard", { ingressMBps: 60, egressMBps: 10, partitions: 100, multiAz: false })).toBe(3); // 60 / 25
    expect(confluentUnits("Enterprise", { ingressMBps: 100, egressMBps: 10, partitions: 100, multiAz: true })).toBe(2); // 100 / 60
    expect(confluentUnits("Enterprise", { ingressMBps: 1, egressMBps: 400, partitions: 100, multiAz: true })).toBe(3); // 400 / 180
    expect(confluentUnits("Dedicated", { ingressMBps: 1, egressMBps: 1, partitions: 10_000, multiAz: false })).toBe(3); // 10,000 / 4,500
    expect(confluentUnits("Dedicated", { ingressMBps: 1, egressMBps: 1, partitions: 10, multiAz: true })).toBe(2); // multi-zone minimum
    expect(confluentUnits("Dedicated", { ingressMBps: 1, egressMBps: 1, partitions: 10, multiAz: false })).toBe(1);
  });
  it("Standard 1 eCKU around the clock: $547.50 a month (§2.1 note)", () => {
    const c = confluent(bare({ confluentType: "Standard" }), P);
    expect(cents(lineOf(c, "capacity"))).toBe(547.5);
    expect(c.complete).toBe(true);
  });
  it("Enterprise 1 eCKU at $1.75: $1,277.50 a month (§2.1 note)", () => {
    expect(cents(lineOf(confluent(bare({ confluentType: "Enterprise" }), P), "capacity"))).toBe(1277.5);
  });
  it("throughput: (in + out) GB × $0.05; storage: retained before replication × $0.08", () => {
    const c = confluent(bare({ ingressMBps: 1, egressMBps: 3, retentionDays: 7 }), P);
    expect(cents(lineOf(c, "throughput"))).toBe(525.6); // (2,628 + 7,884) × 0.05
    expect(cents(lineOf(c, "storage"))).toBe(48.38); // 604.8 GB × 0.08
  });
  it("Dedicated has no published CKU price: the line is unknown until the user enters one", () => {
    const w = bare({ confluentType: "Dedicated", multiAz: true });
    const c = confluent(w, P);
    expect(lineOf(c, "capacity")).toBeNull();
    expect(c.lines.find((l) => l.id === "capacity")?.missing).toEqual(["cc.dedicated.cku"]);
    expect(c.complete).toBe(false);
    const entered = confluent(w, { ...P, "cc.dedicated.cku": 1.5, "cc.dedicated.throughput": 0, "cc.dedicated.storage": 0 });
    expect(cents(lineOf(entered, "capacity"))).toBe(2190); // 2 CKU × $1.50 × 730
    expect(entered.complete).toBe(true);
    expect(cents(entered.total)).toBe(2190);
  });
});

describe("people's time and the claim", () => {
  it("labour = FTE × monthly cost, only when switched on", () => {
    const w = bare({ labour: true, fte: { self: 0.5, msk: 0.1, confluent: 0 } });
    expect(lineOf(selfManaged(w, P), "labour")).toBe(7500);
    expect(lineOf(msk(w, P), "labour")).toBe(1500);
    expect(lineOf(confluent(w, P), "labour")).toBe(0);
    expect(lineOf(selfManaged(bare(), P), "labour")).toBeUndefined();
  });
  it("the default workload: ≈ half on instance-hours, not all-in, far from it with people's time", () => {
    const w: Workload = { ...defaultWorkload(), labour: true };
    const all = compare(w, P);
    // Self-managed: 210.24 compute + 45.55 controllers + 1,814.4 GB × 0.08 + 5,256 GB × 0.02 + 0.5 × 15,000.
    expect(cents(all.self.infra)).toBe(cents(210.24 + 45.552 + 145.152 + 105.12));
    expect(cents(all.self.total)).toBe(cents(210.24 + 45.552 + 145.152 + 105.12 + 7500));
    // MSK: 459.90 + 1,814.4 GB × 0.10 + 0.1 × 15,000.
    expect(cents(all.msk.total)).toBe(cents(459.9 + 181.44 + 1500));
    const c = checkClaim(w, P);
    expect(isAboutHalf(c.compute!)).toBe(true);
    expect(c.infra!).toBeGreaterThan(0.6);
    expect(c.allIn!).toBeGreaterThan(1);
    expect(checkClaim({ ...w, labour: false }, P).allIn).toBeNull();
  });
  it("a missing price leaves the ratio unknown instead of wrong", () => {
    const c = checkClaim(bare(), { ...P, "ec2.m5.large": null });
    expect(c.compute).toBeNull();
    expect(c.infra).toBeNull();
  });
});

describe("warnings, stored edits, money", () => {
  it("warns about shapes the services refuse or cap", () => {
    expect(warnings(defaultWorkload())).toEqual([]);
    expect(warnings({ ...defaultWorkload(), brokers: 4 })).toContain("mskAzMultiple");
    expect(warnings({ ...defaultWorkload(), partitions: 3000 })).toContain("standardPartitions");
    expect(warnings({ ...defaultWorkload(), ingressMBps: 300 })).toContain("unitsOverMax");
    expect(warnings({ ...defaultWorkload(), brokers: 2, multiAz: false })).toContain("rfOverBrokers");
  });
  it("keeps only known, sane price edits", () => {
    expect(parsePrices(null)).toEqual({});
    expect(parsePrices("nope")).toEqual({});
    expect(parsePrices(JSON.stringify({ "ebs.gp3": 0.09, "cc.dedicated.cku": 2, bogus: 1, "msk.storage": -1, "ec2.m5.large": "x", "labour.fte": null }))).toEqual({
      "ebs.gp3": 0.09,
      "cc.dedicated.cku": 2,
      "labour.fte": null,
    });
  });
  it("formats dollars", () => {
    expect(usd(1234.5)).toBe("$1,234.50");
    expect(usd(0)).toBe("$0.00");
  });
});

describe("every default price names its source", () => {
  it.each(PRICE_IDS.map((id) => [id]))("%s has a source id, a date, a section and, if unsure, a note in both languages", (id) => {
    const p = PRICE_DEFAULTS[id];
    expect(p.source).toMatch(/^[A-Z]\w*/);
    expect(p.date).toMatch(/^\d{4}-\d{2}-\d{2}$|^undated$/);
    expect(p.section).toMatch(/^§/);
    if (p.value === null || p.markers.includes("?") || p.markers.includes("D") || p.markers.includes("S")) {
      expect(p.note, `${id} needs a note`).toBe(true);
    }
    if (p.note) {
      const key = `learn.cost.note.${id}` as keyof typeof en;
      expect(en[key], `en ${key}`).toBeTruthy();
      expect(ko[key], `ko ${key}`).toBeTruthy();
    }
    expect(en[`learn.cost.price.${id}` as keyof typeof en]).toBeTruthy();
  });
});

// docs/ is outside Vite's root, so read it from disk (Node's fs, untyped here: the UI has no Node types).
// A path, not a URL object (under jsdom `URL` is jsdom's, which fs refuses); `here` keeps Vite from
// rewriting `new URL(…, import.meta.url)` into an asset URL.
const fs = (await import("node:fs" as string)) as { readFileSync(path: string, encoding: "utf8"): string };
const here = import.meta.url;
const pricesDoc = fs.readFileSync(decodeURIComponent(new URL("../../docs/prices.md", here).pathname), "utf8");

describe("every source can be opened, and docs/prices.md lists it", () => {
  const addresses = (id: (typeof SOURCE_IDS)[number]) => [SOURCES[id].vendor, ...SOURCES[id].readIn];

  it.each(PRICE_IDS.map((id) => [id]))("%s's source is in the one table of addresses, with the same date", (id) => {
    const p = PRICE_DEFAULTS[id];
    expect(SOURCE_IDS).toContain(p.source);
    expect(SOURCES[p.source].vendor).toMatch(/^https?:\/\/\S+$/);
    expect(p.date).toBe(SOURCES[p.source].date);
  });

  it.each(SOURCE_IDS.map((id) => [id]))("%s: every address is a URL that docs/prices.md lists, described in both languages", (id) => {
    for (const url of addresses(id)) {
      expect(url).toMatch(/^https?:\/\/\S+$/);
      expect(pricesDoc, `docs/prices.md lacks ${url}`).toContain(url);
    }
    expect(pricesDoc).toMatch(new RegExp(`^\\| ${id} \\|`, "m"));
    const key = `learn.cost.src.${id}` as keyof typeof en;
    expect(en[key], `en ${key}`).toBeTruthy();
    expect(ko[key], `ko ${key}`).toBeTruthy();
  });

  it("each price's section of docs/prices.md exists", () => {
    for (const id of PRICE_IDS) {
      for (const [, major, minor] of PRICE_DEFAULTS[id].section.matchAll(/§(\d+)(?:\.(\d+))?/g)) {
        const heading = minor && major !== "6" ? `## ${major}.${minor} ` : `## ${major}.`;
        expect(pricesDoc, `${id}: ${heading}`).toContain(`\n${heading}`);
      }
    }
  });

  it("no string of the lesson points into a file the user doesn't have", () => {
    for (const dict of [en, ko]) {
      for (const [key, text] of Object.entries(dict)) {
        if (!key.startsWith("learn.cost.") && !key.startsWith("learn.l4.")) continue;
        expect(text, key).not.toMatch(/KAFKA-SAAS-FACTS|facts file|§/);
      }
    }
  });
});
