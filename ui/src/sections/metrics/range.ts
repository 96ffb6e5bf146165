// Time ranges and timing of the metrics dashboard, as plain functions: presets → [start, end),
// the custom range's validation, how often to refresh, how long to back off, "N s ago".
import type { Key } from "../../i18n";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type PresetId = "15m" | "1h" | "6h" | "24h" | "7d";

/** The quick ranges, each with how often it is re-read while on screen (about its step, at least 1 min). */
export const PRESETS: readonly { id: PresetId; ms: number; refreshMs: number; label: Key }[] = [
  { id: "15m", ms: 15 * MIN, refreshMs: MIN, label: "metrics.range.15m" },
  { id: "1h", ms: HOUR, refreshMs: MIN, label: "metrics.range.1h" },
  { id: "6h", ms: 6 * HOUR, refreshMs: MIN, label: "metrics.range.6h" },
  { id: "24h", ms: DAY, refreshMs: 5 * MIN, label: "metrics.range.24h" },
  { id: "7d", ms: 7 * DAY, refreshMs: 10 * MIN, label: "metrics.range.7d" },
];

export type RangeChoice = { kind: "preset"; id: PresetId } | { kind: "custom"; start: number; end: number };

/** The `[start_ms, end_ms)` a choice stands for at `now` (a preset slides with time; custom doesn't). */
export function resolveRange(choice: RangeChoice, now: number): { start_ms: number; end_ms: number } {
  if (choice.kind === "custom") return { start_ms: choice.start, end_ms: choice.end };
  const preset = PRESETS.find((p) => p.id === choice.id) ?? PRESETS[1]!;
  return { start_ms: now - preset.ms, end_ms: now };
}

/** How often the dashboard re-reads a range by itself; null: never (a fixed custom range). */
export function refreshInterval(choice: RangeChoice): number | null {
  if (choice.kind === "custom") return null;
  return PRESETS.find((p) => p.id === choice.id)?.refreshMs ?? MIN;
}

/** Wait before retry `attempt` (0-based) after the Metrics API said 429: 15 s, 30 s, 60 s, 60 s… */
export function backoffDelay(attempt: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempt), 60_000);
}

/** A `<input type="datetime-local">` value (local time, minute precision) for an instant. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The instant a datetime-local value names (local time), or null if it isn't one. */
export function parseLocalInput(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text)) return null;
  const ms = new Date(text).getTime(); // no offset: ECMAScript reads it as local time
  return Number.isFinite(ms) ? ms : null;
}

export type CustomCheck = { ok: true; start: number; end: number } | { ok: false; field: "start" | "end"; error: Key };

/** Slack for "now": the inputs have minute precision, so the current minute is not "the future". */
const NOW_SLACK = MIN;

/** A custom range must have both ends, end after start, and not reach past now. */
export function validateCustom(startText: string, endText: string, now: number): CustomCheck {
  const start = parseLocalInput(startText);
  const end = parseLocalInput(endText);
  if (start == null) return { ok: false, field: "start", error: "metrics.custom.missingStart" };
  if (end == null) return { ok: false, field: "end", error: "metrics.custom.missingEnd" };
  if (start >= now) return { ok: false, field: "start", error: "metrics.custom.startFuture" };
  if (end <= start) return { ok: false, field: "end", error: "metrics.custom.order" };
  if (end > now + NOW_SLACK) return { ok: false, field: "end", error: "metrics.custom.endFuture" };
  return { ok: true, start, end: Math.min(end, now) };
}

/** A duration as the largest whole unit: 60 000 → {n: 1, unit: "min"}, 90 000 → {n: 90, unit: "s"}. */
export function wholeUnit(ms: number): { n: number; unit: "s" | "min" | "h" | "d" } {
  const units = [
    [DAY, "d"],
    [HOUR, "h"],
    [MIN, "min"],
  ] as const;
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return { n: ms / size, unit };
  return { n: Math.round(ms / 1000), unit: "s" };
}

/** An ISO 8601 duration of the Metrics API's granularities (PT1M, PT30M, PT1H, P1D) in ms; null if not one. */
export function granularityMs(iso: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m || iso === "P" || iso.endsWith("T")) return null;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return ((d! * 24 + h!) * 60 + min!) * MIN + s! * 1000;
}

/** How long ago, coarsened for a label that ticks every second: seconds, then minutes, then hours. */
export function agoParts(ms: number): { n: number; unit: "s" | "min" | "h" } {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return { n: s, unit: "s" };
  if (s < 3600) return { n: Math.floor(s / 60), unit: "min" };
  return { n: Math.floor(s / 3600), unit: "h" };
}
