// A fake Rust side for component tests: each command answers through a handler, every call is
// recorded, and a missing handler fails the way the bridge does. Event (un)listen calls succeed.
import { mockIPC } from "@tauri-apps/api/mocks";

export let calls: { cmd: string; args: any }[] = [];

export function backend(handlers: Record<string, (args: any) => unknown>) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd.startsWith("plugin:event|")) return 1;
    const h = handlers[cmd];
    if (!h) throw { code: "INTERNAL", message: `unmocked ${cmd}` };
    return h(args);
  });
}
