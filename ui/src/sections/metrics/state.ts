// What the Metrics section keeps while the window lives: each connection's metric descriptors
// (they don't change while the app runs). Each chart's range and answers belong to the dashboard
// on screen (dashboard.ts), not here. `resetMetrics` forgets the descriptors.
import type { MetricDescriptorView } from "../../bindings";

/** Descriptors per connection. */
export const descriptorCache = new Map<string, MetricDescriptorView[]>();

export function resetMetrics() {
  descriptorCache.clear();
}
