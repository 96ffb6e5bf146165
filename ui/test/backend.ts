// A fake Rust side for component tests: each command answers through a handler, every call is
// recorded, and a missing handler fails the way the bridge does. Event (un)listen calls succeed,
// and `emitEvent` delivers an event to whatever listens to it (as the Rust side's `emit` would).
import { mockIPC } from "@tauri-apps/api/mocks";

export let calls: { cmd: string; args: any }[] = [];
let listeners: { event: string; handler: number }[] = [];

export function backend(handlers: Record<string, (args: any) => unknown>) {
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
    const h = handlers[cmd];
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
