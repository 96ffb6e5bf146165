// A fake Rust side for component tests: each command answers through a handler, every call is
// recorded, and a missing handler fails the way the bridge does. Event (un)listen calls succeed,
// and `emitEvent` delivers an event to whatever listens to it (as the Rust side's `emit` would).
import { mockIPC } from "@tauri-apps/api/mocks";

import type { commands } from "../src/bindings";

/** "listEnvironments" → "list_environments": the name the bridge invokes a command by. */
type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}` : S;
type Commands = typeof commands;
/** What a command's Rust side answers with when it succeeds. */
type DataOf<K extends keyof Commands> = Awaited<ReturnType<Commands[K]>> extends infer R ? (R extends { status: "ok"; data: infer D } ? D : R extends { status: "error" } ? never : R) : never;
/** A handler per generated command, by the name it is invoked with; it answers with the command's
 * own result type (or throws a BridgeError), so a misspelt command or a fixture of the wrong shape
 * fails the type check. Plugin calls (events) are answered below. */
/** A command without a result answers null over the bridge. */
type Answer<D> = [D] extends [void] ? D | null : D;
export type Handlers = { [K in keyof Commands as Snake<K & string>]?: (args: any) => Answer<DataOf<K>> | Promise<Answer<DataOf<K>>> };

export let calls: { cmd: string; args: any }[] = [];
let listeners: { event: string; handler: number }[] = [];

export function backend(handlers: Handlers) {
  calls = [];
  listeners = [];
  mockIPC((cmd, args: any) => {
    calls.push({ cmd, args });
    if (cmd === "plugin:event|listen") {
      listeners.push({ event: args.event, handler: args.handler });
      return args.handler;
    }
    if (cmd === "plugin:event|unlisten") {
      listeners = listeners.filter((l) => !(l.event === args.event && l.handler === args.eventId));
      return null;
    }
    if (cmd.startsWith("plugin:event|")) return 1;
    const h = (handlers as Record<string, ((args: any) => unknown) | undefined>)[cmd];
    if (!h) throw { code: "INTERNAL", message: `unmocked ${cmd}` };
    return h(args);
  });
}

/** Sends `payload` to every current listener of `event`; returns how many got it. */
export function emitEvent(event: string, payload: unknown): number {
  const internals = (window as any).__TAURI_INTERNALS__;
  const now = listeners.filter((l) => l.event === event);
  for (const l of now) internals.runCallback(l.handler, { event, id: l.handler, payload });
  return now.length;
}

/** How many listeners `event` has right now. */
export function listenerCount(event: string): number {
  return listeners.filter((l) => l.event === event).length;
}
