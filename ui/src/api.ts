// The one way the UI calls Rust: generated, typed commands whose errors all arrive as a
// BridgeError {code, message, detail?, fields?, problems?}; a form's fields arrive worded in the
// window's language (problems.ts).
import { commands, type BridgeError_Serialize } from "./bindings";
import { localized } from "./problems";

/** What every failing command returns (the Rust side's serialised BridgeError). */
export type BridgeError = BridgeError_Serialize;
export { commands };

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: BridgeError };

/** Thrown by `call` so callers can `try/catch`; carries the bridge error untouched. */
export class BridgeFailure extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
  }
}

/** Awaits a generated command and returns its data, or throws a BridgeFailure. Tauri's own
 * failures (unknown command, bad arguments) reject with a string or Error: they become INTERNAL. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await pending;
  } catch (e) {
    throw new BridgeFailure({ code: "INTERNAL", message: "The app's backend did not answer as expected.", detail: String(e) });
  }
  if (result.status === "error") throw new BridgeFailure(localized(result.error));
  return result.data;
}

/** Any thrown value as a BridgeError, for display. */
export function asBridgeError(e: unknown): BridgeError {
  if (e instanceof BridgeFailure) return e.error;
  return { code: "INTERNAL", message: "Unexpected error in the interface.", detail: String(e) };
}
