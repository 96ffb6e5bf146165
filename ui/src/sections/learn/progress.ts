// The lessons, their steps, and which steps the learner has done (kept in localStorage).
import { signal } from "@preact/signals";

import type { Key } from "../../i18n";

export const LESSONS = [
  { id: "l1", steps: ["setup", "produce", "fail", "check", "scale"] },
  { id: "l2", steps: ["figures", "dashboard"] },
  { id: "l3", steps: ["plaintext", "wrong_secret", "deleted_key", "sasl", "acl_refused", "acl_producer", "acl_consumer"] },
  { id: "l4", steps: ["workload", "prices", "labour"] },
  { id: "l5", steps: ["editable", "locked"] },
  { id: "l6", steps: ["export", "copy"] },
  { id: "l7", steps: ["cluster", "key", "topic", "send"] },
] as const;

export type LessonId = (typeof LESSONS)[number]["id"];
export type StepOf<L extends LessonId> = Extract<(typeof LESSONS)[number], { id: L }>["steps"][number];

export const PROGRESS_KEY = "gureum.learn.progress";
export const CURRENT_KEY = "gureum.learn.current";

function read(): Record<string, string[]> {
  try {
    const v: unknown = JSON.parse(globalThis.localStorage?.getItem(PROGRESS_KEY) ?? "{}");
    if (!v || typeof v !== "object") return {};
    return Object.fromEntries(Object.entries(v).filter(([, s]) => Array.isArray(s)).map(([k, s]) => [k, (s as unknown[]).filter((x): x is string => typeof x === "string")]));
  } catch {
    return {};
  }
}

function write(v: Record<string, string[]>) {
  try {
    globalThis.localStorage?.setItem(PROGRESS_KEY, JSON.stringify(v));
  } catch {
    // Storage full or off: progress lives for this session only.
  }
}

/** Done steps per lesson. */
export const progress = signal<Record<string, string[]>>(read());

function savedCurrent(): LessonId {
  const v = globalThis.localStorage?.getItem(CURRENT_KEY) ?? "";
  return LESSONS.some((l) => l.id === v) ? (v as LessonId) : "l1";
}
/** The lesson on show. */
export const currentLesson = signal<LessonId>(savedCurrent());

export function openLesson(id: LessonId) {
  currentLesson.value = id;
  try {
    globalThis.localStorage?.setItem(CURRENT_KEY, id);
  } catch {
    // as above
  }
}

/** Re-reads what is stored (tests; another window). */
export function reloadProgress() {
  progress.value = read();
  currentLesson.value = savedCurrent();
}

export function markDone<L extends LessonId>(lesson: L, step: StepOf<L>) {
  const done = progress.value[lesson] ?? [];
  if (done.includes(step)) return;
  progress.value = { ...progress.value, [lesson]: [...done, step] };
  write(progress.value);
}

export function isDone<L extends LessonId>(lesson: L, step: StepOf<L>): boolean {
  return (progress.value[lesson] ?? []).includes(step);
}

export function resetLesson(lesson: LessonId) {
  const { [lesson]: _, ...rest } = progress.value;
  progress.value = rest;
  write(rest);
}

/** Steps done / steps in all, counting only steps the lesson has. */
export function countDone(lesson: LessonId): { done: number; total: number } {
  const l = LESSONS.find((x) => x.id === lesson)!;
  const done = progress.value[lesson] ?? [];
  return { done: l.steps.filter((s) => done.includes(s)).length, total: l.steps.length };
}

export const titleKey = (l: LessonId) => `learn.${l}.title` as Key;
export const summaryKey = (l: LessonId) => `learn.${l}.summary` as Key;
export const stepKey = (l: LessonId, s: string) => `learn.step.${l}.${s}` as Key;
