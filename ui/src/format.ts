// Numbers, sizes, durations and times for people: the one module every screen formats with.
// Missing or non-finite values read "—".
import { lang } from "./i18n";

const DASH = "—";
const ok = (n: number | null | undefined): n is number => n != null && Number.isFinite(n);

/** 12345 → "12,345" (whole numbers, grouped). */
export function fmtCount(n: number | null | undefined): string {
  return ok(n) ? Math.round(n).toLocaleString("en-US") : DASH;
}

/** A record or payload size in powers of 1024: 1536 → "1.5 KB". */
export function fmtBytes(n: number | null | undefined): string {
  if (!ok(n)) return DASH;
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A measured latency or elapsed time: "4.20 ms", "120.5 ms", "1.25 s". */
export function fmtMs(ms: number | null | undefined): string {
  if (!ok(ms)) return DASH;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A configured duration (retention.ms, as a string as Kafka gives it): "-1" is forever (∞),
 * otherwise the largest whole unit ("7 d", "1.5 h"). */
export function fmtDuration(ms: string | number | null | undefined): string {
  if (ms == null || ms === "") return DASH;
  const n = Number(ms);
  if (!Number.isFinite(n)) return String(ms);
  if (n < 0) return "∞";
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(1)} ${unit}`;
  return `${n} ms`;
}

/** A record's timestamp, local time to the millisecond: "2026-05-01 10:00:00.123". */
export function fmtTime(ms: number | null | undefined): string {
  if (!ok(ms)) return DASH;
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A time of day in the UI's language ("10:00:00 AM", "오전 10:00:00"). */
export function fmtClock(at: number | string | null | undefined): string {
  if (at == null || at === "") return DASH;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? DASH : d.toLocaleTimeString(lang.value);
}

/** A date and time in the UI's language, e.g. when a key was created. */
export function fmtDateTime(at: number | string | null | undefined): string {
  if (at == null || at === "") return DASH;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? DASH : d.toLocaleString(lang.value);
}

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];
const COUNT_UNITS = ["", "k", "M", "G", "T", "P"];

function compact(n: number): string {
  if (n === 0) return "0";
  if (n < 1) return String(Number(n.toPrecision(2)));
  if (n < 10) return String(Math.round(n * 10) / 10);
  return String(Math.round(n));
}

/**
 * A metric value in human units: bytes in B/KB/MB/GB (decimal, 1 KB = 1000 B, as Confluent bills
 * them), counts as 1.2k / 3.4M; `perSecond` appends the rate suffix (e.g. "/s").
 */
export function human(v: number | null | undefined, bytes: boolean, perSecond = ""): string {
  if (!ok(v)) return DASH;
  const units = bytes ? BYTE_UNITS : COUNT_UNITS;
  let n = Math.abs(v);
  let i = 0;
  while (n >= 999.5 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  const sign = v < 0 ? "-" : "";
  const unit = units[i]!;
  return `${sign}${compact(n)}${bytes ? ` ${unit}` : unit}${perSecond}`;
}
