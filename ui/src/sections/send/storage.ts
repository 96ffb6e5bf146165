// What the Send section keeps in localStorage: the last 50 records sent (with their result) and
// named templates of the form. A full or unavailable storage only loses the memory, never a send.
//
// History keeps less than what was sent (issue 15): header values are never kept, only header
// names (a header often carries a token); entries older than the age limit (Settings, 30 days by
// default) are dropped whenever the list is read or written; and with "clear history when Gureum
// quits" on, the list lives in sessionStorage — this run's memory, which WebKit never writes to
// disk — so quitting clears it however the app ends (window closed, killed, crashed), and nothing
// has to run at quit for that to be true.
import { signal } from "@preact/signals";

import type { Draft, SendInput, SendPath, Target } from "./model";

export const HISTORY_KEY = "gureum.send.history";
export const TEMPLATES_KEY = "gureum.send.templates";
/** How many days history is kept ("1", "7", "30", "90"); absent: HISTORY_DAYS_DEFAULT. */
export const HISTORY_DAYS_KEY = "gureum.send.history.days";
/** "on": history is kept for this run only (cleared when Gureum quits). Absent: off. */
export const CLEAR_ON_QUIT_KEY = "gureum.send.history.clearOnQuit";
export const HISTORY_MAX = 50;
export const HISTORY_DAYS_DEFAULT = 30;
export const HISTORY_DAYS_CHOICES = [1, 7, 30, 90] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Values longer than this are kept as a preview only (and can't be re-sent from history). */
export const HISTORY_VALUE_MAX = 16 * 1024;

export interface HistoryEntry {
  id: string;
  /** When it was sent (ms since the epoch). */
  at: number;
  target: Target;
  via: SendPath;
  /** What was sent, without its headers (`headers` is always empty: see `header_names`). */
  input: SendInput;
  /** The names of the headers the record was sent with; their values were not kept. */
  header_names: string[];
  /** The value was cut to HISTORY_VALUE_MAX characters. */
  clipped: boolean;
  result: { partition: number; offset: number | null; timestamp_ms: number | null; latency_ms: number | null };
}

export interface Template {
  name: string;
  topic: string;
  draft: Draft;
  saved_at: number;
}

function read<T>(key: string, store: Storage | undefined = globalThis.localStorage): T[] {
  try {
    const raw = store?.getItem(key);
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function write(key: string, value: unknown, store: Storage | undefined = globalThis.localStorage) {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: keep the in-memory copy only.
  }
}

function forget(key: string, store: Storage | undefined) {
  try {
    store?.removeItem(key);
  } catch {
    // Storage disabled: there is nothing to forget.
  }
}

function readDays(): number {
  const v = Number(globalThis.localStorage?.getItem(HISTORY_DAYS_KEY));
  return (HISTORY_DAYS_CHOICES as readonly number[]).includes(v) ? v : HISTORY_DAYS_DEFAULT;
}

/** How many days history is kept (Settings). */
export const historyDays = signal<number>(readDays());
/** History is cleared when Gureum quits (Settings; off by default). */
export const clearOnQuit = signal<boolean>(globalThis.localStorage?.getItem(CLEAR_ON_QUIT_KEY) === "on");

/** Where history lives: on disk (localStorage), or in this run's memory (sessionStorage). */
function historyStore(): Storage | undefined {
  return clearOnQuit.value ? globalThis.sessionStorage : globalThis.localStorage;
}

/**
 * What of `list` may be kept at `now`: entries younger than `days`, newest first, at most
 * HISTORY_MAX, each without header values (entries written before they were dropped lose them
 * here).
 */
export function keepable(list: HistoryEntry[], now: number, days: number): HistoryEntry[] {
  const since = now - days * DAY_MS;
  return list
    .filter((h) => h && typeof h.at === "number" && h.at >= since && h.input)
    .map((h) => (Array.isArray(h.header_names) && h.input.headers.length === 0 ? h : withoutHeaderValues(h)))
    .slice(0, HISTORY_MAX);
}

function withoutHeaderValues(h: HistoryEntry): HistoryEntry {
  const names = (h.input.headers ?? []).map((x) => x.name);
  return { ...h, header_names: [...(h.header_names ?? []), ...names], input: { ...h.input, headers: [] } };
}

/** Reads history from where it lives, drops what may not be kept and writes back if that changed. */
function loadHistory(): HistoryEntry[] {
  const store = historyStore();
  const stored = read<HistoryEntry>(HISTORY_KEY, store);
  const kept = keepable(stored, Date.now(), historyDays.value);
  if (JSON.stringify(kept) !== JSON.stringify(stored)) write(HISTORY_KEY, kept, store);
  // With clear-on-quit on, nothing of history stays on disk (say, from before it was turned on).
  if (clearOnQuit.value) forget(HISTORY_KEY, globalThis.localStorage);
  return kept;
}

function saveHistory(list: HistoryEntry[]) {
  history.value = keepable(list, Date.now(), historyDays.value);
  write(HISTORY_KEY, history.value, historyStore());
}

export const history = signal<HistoryEntry[]>(loadHistory());
export const templates = signal<Template[]>(read(TEMPLATES_KEY));

/** Re-reads settings and both lists (tests, or another window changed them). */
export function reloadStored() {
  historyDays.value = readDays();
  clearOnQuit.value = globalThis.localStorage?.getItem(CLEAR_ON_QUIT_KEY) === "on";
  history.value = loadHistory();
  templates.value = read(TEMPLATES_KEY);
}

/** Keeps history for `days` days; older entries go at once. */
export function setHistoryDays(days: number) {
  historyDays.value = (HISTORY_DAYS_CHOICES as readonly number[]).includes(days) ? days : HISTORY_DAYS_DEFAULT;
  write(HISTORY_DAYS_KEY, historyDays.value);
  saveHistory(history.value);
}

/**
 * Turns "clear history when Gureum quits" on or off. On: the list moves to this run's memory and
 * leaves the disk at once. Off: it is written to disk again from now on.
 */
export function setClearOnQuit(on: boolean) {
  const list = history.value;
  clearOnQuit.value = on;
  if (on) {
    globalThis.localStorage?.setItem(CLEAR_ON_QUIT_KEY, "on");
    forget(HISTORY_KEY, globalThis.localStorage);
  } else {
    forget(CLEAR_ON_QUIT_KEY, globalThis.localStorage);
    forget(HISTORY_KEY, globalThis.sessionStorage);
  }
  saveHistory(list);
}

export function remember(entry: Omit<HistoryEntry, "clipped" | "header_names">) {
  const clipped = entry.input.value.length > HISTORY_VALUE_MAX;
  const header_names = entry.input.headers.map((h) => h.name);
  const input = { ...entry.input, headers: [], value: clipped ? entry.input.value.slice(0, HISTORY_VALUE_MAX) : entry.input.value };
  saveHistory([{ ...entry, clipped, header_names, input }, ...history.value]);
}

export function clearHistory(target?: Target) {
  saveHistory(
    target
      ? history.value.filter(
          (h) => h.target.connection_id !== target.connection_id || h.target.environment_id !== target.environment_id || h.target.cluster_id !== target.cluster_id,
        )
      : [],
  );
}

/** Saves (or replaces) the template called `name`. */
export function saveTemplate(tpl: Template) {
  templates.value = [...templates.value.filter((t) => t.name !== tpl.name), tpl].sort((a, b) => a.name.localeCompare(b.name));
  write(TEMPLATES_KEY, templates.value);
}

export function deleteTemplate(name: string) {
  templates.value = templates.value.filter((t) => t.name !== name);
  write(TEMPLATES_KEY, templates.value);
}
