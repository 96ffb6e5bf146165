// The one hook for loading a command's result: loading, data, error, reload, and answers for
// old inputs dropped.
import { act, cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";

import { BridgeFailure } from "../src/api";
import { useCommand } from "../src/useCommand";

afterEach(cleanup);

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

let api: ReturnType<typeof useCommand<string>> | null = null;
function Probe({ load, deps }: { load: (() => Promise<string>) | null; deps: unknown[] }) {
  api = useCommand(load, deps);
  return <p data-testid="state">{JSON.stringify({ data: api.data, error: api.error?.code ?? null, loading: api.loading })}</p>;
}
const state = () => JSON.parse(screen.getByTestId("state").textContent!) as { data: string | null; error: string | null; loading: boolean };

describe("useCommand", () => {
  it("loads, then shows the answer; reload asks again and keeps the old answer meanwhile", async () => {
    let d = deferred<string>();
    render(<Probe load={() => d.promise} deps={["a"]} />);
    expect(state()).toEqual({ data: null, error: null, loading: true });
    await act(async () => d.resolve("one"));
    expect(state()).toEqual({ data: "one", error: null, loading: false });
    d = deferred<string>();
    act(() => api!.reload());
    expect(state()).toEqual({ data: "one", error: null, loading: true });
    await act(async () => d.resolve("two"));
    expect(state().data).toBe("two");
  });

  it("gives a failure as a bridge error", async () => {
    const d = deferred<string>();
    render(<Probe load={() => d.promise} deps={[1]} />);
    await act(async () => d.reject(new BridgeFailure({ code: "CLOUD_TIMEOUT", message: "late" })));
    expect(state()).toEqual({ data: null, error: "CLOUD_TIMEOUT", loading: false });
  });

  it("drops an answer for inputs that changed meanwhile, and asks nothing without a load", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const { rerender } = render(<Probe load={() => first.promise} deps={["a"]} />);
    rerender(<Probe load={() => second.promise} deps={["b"]} />);
    await act(async () => second.resolve("for b"));
    await act(async () => first.resolve("for a"));
    expect(state().data).toBe("for b");
    rerender(<Probe load={null} deps={["b"]} />);
    await act(async () => {});
    expect(state()).toEqual({ data: null, error: null, loading: false });
  });
});
