// The one formatting module: numbers, sizes, durations and times as every screen writes them.
import { afterEach, describe, expect, it } from "vitest";

import { fmtBytes, fmtClock, fmtCount, fmtDateTime, fmtDuration, fmtMs, fmtTime, human } from "../src/format";
import { lang } from "../src/i18n";

afterEach(() => {
  lang.value = "en";
});

describe("sizes and counts", () => {
  it("writes record sizes in powers of 1024", () => {
    expect([fmtBytes(0), fmtBytes(1023), fmtBytes(1536), fmtBytes(5 * 1024 * 1024), fmtBytes(200 * 1024), fmtBytes(3 * 1024 ** 4)]).toEqual(["0 B", "1023 B", "1.5 KB", "5.0 MB", "200 KB", "3072 GB"]);
    expect(fmtBytes(null)).toBe("—");
  });

  it("groups whole counts", () => {
    expect([fmtCount(0), fmtCount(1234567), fmtCount(2.6), fmtCount(undefined), fmtCount(Number.POSITIVE_INFINITY)]).toEqual(["0", "1,234,567", "3", "—", "—"]);
  });
});

describe("durations", () => {
  it("writes a latency with the precision it needs", () => {
    expect([fmtMs(4.2), fmtMs(120.54), fmtMs(1250), fmtMs(null)]).toEqual(["4.20 ms", "120.5 ms", "1.25 s", "—"]);
  });

  it("turns retention into units people read", () => {
    expect([fmtDuration("604800000"), fmtDuration("-1"), fmtDuration("90000"), fmtDuration(null), fmtDuration("500"), fmtDuration("90500"), fmtDuration(3_600_000), fmtDuration("x")]).toEqual([
      "7 d",
      "∞",
      "90 s",
      "—",
      "500 ms",
      "1.5 min",
      "1 h",
      "x",
    ]);
  });
});

describe("times", () => {
  it("writes a record's timestamp to the millisecond, in local time", () => {
    const at = new Date(2026, 4, 1, 9, 5, 7, 12).getTime();
    expect(fmtTime(at)).toBe("2026-05-01 09:05:07.012");
    expect(fmtTime(null)).toBe("—");
  });

  it("writes times of day and dates in the UI's language", () => {
    const at = new Date(2026, 4, 1, 15, 5, 7).getTime();
    lang.value = "en";
    expect(fmtClock(at)).toBe(new Date(at).toLocaleTimeString("en"));
    lang.value = "ko";
    expect(fmtClock(at)).toBe(new Date(at).toLocaleTimeString("ko"));
    expect(fmtDateTime(new Date(at).toISOString())).toBe(new Date(at).toLocaleString("ko"));
    expect([fmtClock(null), fmtDateTime(""), fmtDateTime("not a date")]).toEqual(["—", "—", "—"]);
  });
});

describe("metric values (human units)", () => {
  it("writes bytes in B/KB/MB/GB (decimal)", () => {
    expect(human(0, true)).toBe("0 B");
    expect(human(999, true)).toBe("999 B");
    expect(human(1234, true)).toBe("1.2 KB");
    expect(human(12_345, true)).toBe("12 KB");
    expect(human(1_500_000, true, "/s")).toBe("1.5 MB/s");
    expect(human(3.2e9, true)).toBe("3.2 GB");
    expect(human(999_999, true)).toBe("1 MB");
  });

  it("writes counts as 1.2k / 3.4M and small rates with two figures", () => {
    expect(human(7, false)).toBe("7");
    expect(human(1234, false)).toBe("1.2k");
    expect(human(3_400_000, false, "/s")).toBe("3.4M/s");
    expect(human(1 / 60, false, "/s")).toBe("0.017/s");
    expect(human(2.54, false)).toBe("2.5");
    expect(human(null, false)).toBe("—");
    expect(human(Number.NaN, true)).toBe("—");
  });

});
