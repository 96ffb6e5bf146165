import { describe, expect, it } from "vitest";

import { lang, t } from "../src/i18n";
import { en, ko } from "../src/sections/metrics/strings";
import {
  PRESETS,
  agoParts,
  backoffDelay,
  granularityMs,
  parseLocalInput,
  refreshInterval,
  resolveRange,
  toLocalInput,
  validateCustom,
  wholeUnit,
} from "../src/sections/metrics/range";

const NOW = Date.UTC(2025, 0, 15, 12, 0, 30);
const MIN = 60_000;

describe("ranges", () => {
  it("turns each preset into [now - span, now) and slides with time", () => {
    const spans = { "15m": 15 * MIN, "1h": 60 * MIN, "6h": 360 * MIN, "24h": 1440 * MIN, "7d": 7 * 1440 * MIN };
    for (const p of PRESETS) {
      expect(resolveRange({ kind: "preset", id: p.id }, NOW)).toEqual({ start_ms: NOW - spans[p.id], end_ms: NOW });
    }
    expect(resolveRange({ kind: "preset", id: "1h" }, NOW + MIN).start_ms).toBe(NOW - 59 * MIN);
  });

  it("keeps a custom range fixed and never auto-refreshes it", () => {
    const choice = { kind: "custom", start: NOW - 5 * MIN, end: NOW - MIN } as const;
    expect(resolveRange(choice, NOW + 3_600_000)).toEqual({ start_ms: NOW - 5 * MIN, end_ms: NOW - MIN });
    expect(refreshInterval(choice)).toBeNull();
  });

  it("refreshes short ranges every minute and long ones less often", () => {
    expect(refreshInterval({ kind: "preset", id: "15m" })).toBe(MIN);
    expect(refreshInterval({ kind: "preset", id: "6h" })).toBe(MIN);
    expect(refreshInterval({ kind: "preset", id: "24h" })).toBe(5 * MIN);
    expect(refreshInterval({ kind: "preset", id: "7d" })).toBe(10 * MIN);
  });

  it("backs off 15 s, 30 s, then 60 s at most", () => {
    expect([0, 1, 2, 3, 9].map(backoffDelay)).toEqual([15_000, 30_000, 60_000, 60_000, 60_000]);
  });

  it("labels the granularities the backend picks, in both languages", () => {
    expect(["PT1M", "PT5M", "PT30M", "PT1H", "P1D"].map(granularityMs)).toEqual([MIN, 5 * MIN, 30 * MIN, 60 * MIN, 1440 * MIN]);
    expect(granularityMs("1 minute")).toBeNull();
    expect(granularityMs("P")).toBeNull();
    expect(wholeUnit(MIN)).toEqual({ n: 1, unit: "min" });
    expect(wholeUnit(30 * MIN)).toEqual({ n: 30, unit: "min" });
    expect(wholeUnit(60 * MIN)).toEqual({ n: 1, unit: "h" });
    expect(wholeUnit(1440 * MIN)).toEqual({ n: 1, unit: "d" });
    expect(wholeUnit(90_000)).toEqual({ n: 90, unit: "s" });
    lang.value = "en";
    expect(t("metrics.granularity", { step: t("metrics.dur.min", { n: "5" }), iso: "PT5M" })).toBe("One point every 5 min (PT5M)");
    lang.value = "ko";
    expect(t("metrics.granularity", { step: t("metrics.dur.min", { n: "5" }), iso: "PT5M" })).toBe("5분마다 한 점 (PT5M)");
    lang.value = "en";
  });

  it("says how long ago in seconds, then minutes, then hours", () => {
    expect(agoParts(0)).toEqual({ n: 0, unit: "s" });
    expect(agoParts(59_999)).toEqual({ n: 59, unit: "s" });
    expect(agoParts(125_000)).toEqual({ n: 2, unit: "min" });
    expect(agoParts(3 * 3_600_000 + 5)).toEqual({ n: 3, unit: "h" });
    expect(agoParts(-500)).toEqual({ n: 0, unit: "s" });
  });
});

describe("custom range", () => {
  const local = (offsetMin: number) => toLocalInput(NOW + offsetMin * MIN);

  it("round-trips datetime-local values (local time, minute precision)", () => {
    const text = local(-90);
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const back = parseLocalInput(text)!;
    expect(Math.abs(back - (NOW - 90 * MIN))).toBeLessThan(MIN);
    expect(parseLocalInput("")).toBeNull();
    expect(parseLocalInput("yesterday")).toBeNull();
  });

  it("accepts a past range and clamps an end in the current minute to now", () => {
    const ok = validateCustom(local(-120), local(-60), NOW);
    expect(ok.ok).toBe(true);
    const current = validateCustom(local(-60), local(0), NOW);
    expect(current).toMatchObject({ ok: true });
    if (current.ok) expect(current.end).toBeLessThanOrEqual(NOW);
  });

  it("refuses missing ends, an end before the start and the future", () => {
    expect(validateCustom("", local(-1), NOW)).toEqual({ ok: false, field: "start", error: "metrics.custom.missingStart" });
    expect(validateCustom(local(-10), "", NOW)).toEqual({ ok: false, field: "end", error: "metrics.custom.missingEnd" });
    expect(validateCustom(local(-10), local(-20), NOW)).toEqual({ ok: false, field: "end", error: "metrics.custom.order" });
    expect(validateCustom(local(-10), local(-10), NOW)).toEqual({ ok: false, field: "end", error: "metrics.custom.order" });
    expect(validateCustom(local(-10), local(120), NOW)).toEqual({ ok: false, field: "end", error: "metrics.custom.endFuture" });
    expect(validateCustom(local(30), local(60), NOW)).toEqual({ ok: false, field: "start", error: "metrics.custom.startFuture" });
  });
});

describe("metrics strings", () => {
  it("has a real Korean translation for every key", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    const untranslated = Object.entries(ko).filter(([, v]) => !/[가-힣]/.test(v));
    expect(untranslated.map(([k]) => k)).toEqual([]);
    // Placeholders survive translation.
    for (const [k, v] of Object.entries(en)) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(ko[k as keyof typeof en]), k).toEqual(vars(v));
    }
  });
});
