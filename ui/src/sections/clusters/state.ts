// Which environment and cluster are picked, per connection, kept while the user visits other
// sections; `resetClusters` forgets them.
import { signal } from "@preact/signals";

/** The environment picked per connection on the Clusters screen. */
export const pickedEnv = signal<Record<string, string>>({});
/** The environment and cluster picked per connection in the ClusterPicker, shared by Topics, API keys, Send and Metrics. */
export const picked = signal<Record<string, { env?: string; cluster?: string }>>({});

export function resetClusters() {
  pickedEnv.value = {};
  picked.value = {};
}
