// App-wide state as signals: the current section, the connections and the one error on show.
import { effect, signal } from "@preact/signals";

import type { BridgeError } from "./api";
import type { Connection, SandboxStatus } from "./bindings";
import type { Key } from "./i18n";

export const SECTIONS = [
  { id: "clusters", label: "nav.clusters", icon: "M4 4h16v5H4zM4 11h16v5H4zM7 6.5h.01M7 13.5h.01M4 18h16v2H4z" },
  { id: "topics", label: "nav.topics", icon: "M4 6h16M4 12h16M4 18h11" },
  { id: "api-keys", label: "nav.apiKeys", icon: "M10 14a4 4 0 1 1 0-8 4 4 0 0 1 0 8zM13 11l8 8M17 15l2-2M19 17l2-2" },
  { id: "send", label: "nav.send", icon: "M3 11l18-8-8 18-2-8-8-2zM11 13l10-10" },
  { id: "metrics", label: "nav.metrics", icon: "M3 20h18M6 17v-6M11 17V5M16 17v-9M21 17v-3" },
  { id: "learn", label: "nav.learn", icon: "M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3zM21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z" },
  { id: "settings", label: "nav.settings", icon: "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1" },
] as const satisfies readonly { id: string; label: Key; icon: string }[];

export type SectionId = (typeof SECTIONS)[number]["id"];
/** What the main area shows: a section, or the welcome (shown at first start; the brand opens it). */
export type Page = SectionId | "welcome";

const store = globalThis.localStorage;
/** Set once the welcome has been left: later starts open on Clusters. */
const WELCOMED = "gureum.welcomed";
/** The connection last used, picked again at the next start. */
const LAST_CONNECTION = "gureum.connection";

export const section = signal<Page>(store?.getItem(WELCOMED) ? "clusters" : "welcome");
export const connections = signal<Connection[]>([]);
export const activeConnectionId = signal<string>(store?.getItem(LAST_CONNECTION) || "sandbox");

effect(() => {
  store?.setItem(LAST_CONNECTION, activeConnectionId.value);
});
effect(() => {
  if (section.value !== "welcome") store?.setItem(WELCOMED, "1");
});
/** The built-in sandbox cloud: starting, running (where) or failed (why). */
export const sandboxStatus = signal<SandboxStatus | null>(null);
/** The error banner: one place, one look, for every failure that isn't a form field's. */
export const shownError = signal<BridgeError | null>(null);
/** A short confirmation ("Saved …"), cleared after a few seconds. */
export const notice = signal<string | null>(null);

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
export function flash(text: string) {
  notice.value = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.value = null), 4000);
}
