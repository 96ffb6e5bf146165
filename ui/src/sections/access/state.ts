// What the API keys section (keys, ACLs, held keys) keeps while the window lives: the open tab,
// and the requests other screens leave for it ("Create an API key", "Use an existing key",
// "Add ACLs for …"), plus the cluster on screen where a refusal would be fixed. `resetAccess`
// forgets them.
import { signal } from "@preact/signals";

/** Which tab of the API keys section is open, and a cluster a tab should open on. */
export type KeysTab = "keys" | "acls" | "held";
export const keysTab = signal<KeysTab>("keys");
/** Set by "Create an API key" on the Topics screen: open the form for that cluster. */
export const keyFor = signal<{ conn: string; envId: string; clusterId: string } | null>(null);
/** Set by "Use an existing key" elsewhere: open the paste form for that cluster. */
export const pasteFor = signal<{ conn: string; envId: string; clusterId: string } | null>(null);
/** Set by "Add ACLs for …" elsewhere: open the preset form for that principal. */
export const presetFor = signal<{ conn: string; envId: string; clusterId: string; principal: string } | null>(null);

/** The cluster whose screen is showing (Topics, Send): where a refusal in the banner is fixed. */
export const clusterOnScreen = signal<{ conn: string; envId: string; clusterId: string; restEndpoint: string } | null>(null);

export function resetAccess() {
  keysTab.value = "keys";
  keyFor.value = null;
  pasteFor.value = null;
  presetFor.value = null;
  clusterOnScreen.value = null;
}
