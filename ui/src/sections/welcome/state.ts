// The welcome's one-click sample run, kept while the user visits other sections; `resetWelcome`
// forgets it.
import { signal } from "@preact/signals";

import type { Sample, SampleStep } from "../../bindings";

export interface SampleRun {
  busy: boolean;
  steps: Record<SampleStep, "waiting" | "running" | "done">;
  result: Sample | null;
}

const notStarted = (): SampleRun => ({ busy: false, steps: { environment: "waiting", cluster: "waiting", key: "waiting", topic: "waiting" }, result: null });

export const sampleRun = signal<SampleRun>(notStarted());

export function resetWelcome() {
  sampleRun.value = notStarted();
}
