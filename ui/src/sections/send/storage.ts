// What the Send section keeps in localStorage: the last 50 records sent (with their result) and
// named templates of the form. A full or unavailable storage only loses the memory, never a send.
import { signal } from "@preact/signals";

import type { Draft, SendInput, SendPath, Target } from "./model";

export const HISTORY_KEY = "gureum.send.history";
export const TEMPLATES_KEY = "gureum.send.templates";
export const HISTORY_MAX = 50;
/** Values longer than this are kept as a preview only (and can't be re-sent from history). */
export const HISTORY_VALUE_MAX = 16 * 1024;

export interface HistoryEntry {
  id: string;
  /** When it was sent (ms since the epoch). */
  at: number;
  target: Target;
  via: SendPath;
  input: SendInput;
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

function read<T>(key: string): T[] {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function write(key: string, value: unknown) {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded or storage disabled: keep the in-memory copy only.
  }
}

export const history = signal<HistoryEntry[]>(read(HISTORY_KEY));
export const templates = signal<Template[]>(read(TEMPLATES_KEY));

/** Re-reads both lists (tests, or another window changed them). */
export function reloadStored() {
  history.value = read(HISTORY_KEY);
  templates.value = read(TEMPLATES_KEY);
}

export function remember(entry: Omit<HistoryEntry, "clipped">) {
  const clipped = entry.input.value.length > HISTORY_VALUE_MAX;
  const stored: HistoryEntry = { ...entry, clipped, input: clipped ? { ...entry.input, value: entry.input.value.slice(0, HISTORY_VALUE_MAX) } : entry.input };
  history.value = [stored, ...history.value].slice(0, HISTORY_MAX);
  write(HISTORY_KEY, history.value);
}

export function clearHistory(target?: Target) {
  history.value = target
    ? history.value.filter(
        (h) => h.target.connection_id !== target.connection_id || h.target.environment_id !== target.environment_id || h.target.cluster_id !== target.cluster_id,
      )
    : [];
  write(HISTORY_KEY, history.value);
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
