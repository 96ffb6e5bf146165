// The one reset of what the window keeps while it lives: each section's session state, in its
// section's state.ts. What is stored on disk (history, templates, lesson progress, prices, theme,
// language, the last connection) is not touched.
import { resetAccess } from "./sections/access/state";
import { resetClusters } from "./sections/clusters/state";
import { resetLearn } from "./sections/learn/state";
import { resetMetrics } from "./sections/metrics/state";
import { resetSend } from "./sections/send/state";
import { resetWelcome } from "./sections/welcome/state";

export function resetSession() {
  resetClusters();
  resetAccess();
  resetSend();
  resetMetrics();
  resetLearn();
  resetWelcome();
}
