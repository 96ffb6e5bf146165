// What the lessons keep while the window lives, so leaving Learn and coming back shows the same
// runs, tries and answers; `resetLearn` forgets it. (Progress, the lesson on show, the cost
// lesson's prices and workload and whether the walkthrough is on are stored on disk: progress.ts,
// Lesson4.tsx, Lesson7.tsx.)
import { signal } from "@preact/signals";

import type { BridgeError } from "../../api";
import type { Lab } from "./lab";
import type { Run } from "./Lesson1";
import type { ProbeOutcomes } from "./Lesson3";
import type { AclState } from "./Lesson3Acl";
import type { Tries } from "./Lesson5";
import type { ExportState } from "./Lesson6";
import type { WalkFound } from "./Lesson7";

export const SETUP_STEPS = ["env", "cluster", "account", "key", "topic"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];
export type StepState = "pending" | "running" | "created" | "reused" | "failed";

export interface SetupView {
  running: boolean;
  steps: Record<SetupStep, { state: StepState; note?: string }>;
  error: BridgeError | null;
}

export const freshSetup = (): SetupView => ({
  running: false,
  steps: Object.fromEntries(SETUP_STEPS.map((s) => [s, { state: "pending" }])) as SetupView["steps"],
  error: null,
});

/** The lesson cluster (lab.ts), its set-up's progress, and whether it was looked for at least once
 * (so the window knows whether to offer set-up). */
export const lab = signal<Lab | null>(null);
export const labSetup = signal<SetupView>(freshSetup());
export const labLooked = signal(false);

/** Lesson 1: the run (leave Learn and come back: it is still there) and the promise of its end. */
export const l1Run = signal<Run | null>(null);
export const l1Job: { finished: Promise<void> | null } = { finished: null };
/** When a broker was failed from this lesson (ms), and which. */
export const l1Failure = signal<{ at: number; node: number; clusterId: string } | null>(null);
/** Since when the lesson's timeline shows the sandbox's events. */
export const l1Since = signal<number | null>(null);
/** Scale state kept across visits: the CKUs asked for and whether the cluster got there. */
export const l1Scale = signal<{ target: number; clusterId: string; state: "scaling" | "done" | "failed"; error?: BridgeError } | null>(null);

/** Lesson 3: outcomes per cluster and probe; the ACL step (per lesson cluster). */
export const probeOutcomes = signal<ProbeOutcomes>({});
export const aclStep = signal<AclState | null>(null);
/** Lesson 5: what each try answered. */
export const tries = signal<Tries>({});
/** Lesson 6: the export. */
export const exportState = signal<ExportState | null>(null);
/** Lesson 7: what the walkthrough found done so far. */
export const walkFound = signal<WalkFound>({});

export function resetLearn() {
  lab.value = null;
  labSetup.value = freshSetup();
  labLooked.value = false;
  l1Run.value = null;
  l1Job.finished = null;
  l1Failure.value = null;
  l1Since.value = null;
  l1Scale.value = null;
  probeOutcomes.value = {};
  aclStep.value = null;
  tries.value = {};
  exportState.value = null;
  walkFound.value = {};
}
