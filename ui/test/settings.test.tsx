import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";

import { freshWindow } from "./window";
import { backend, calls } from "./backend";
import type { Connection } from "../src/bindings";
import { Settings } from "../src/sections/Settings";
import { sandboxStatus, shownError } from "../src/state";

const sandbox: Connection = { id: "sandbox", name: "Sandbox cloud", endpoint: { kind: "sandbox" } };
const org: Connection = {
  id: "c-1",
  name: "Prod org",
  endpoint: { kind: "confluent_cloud", cloud_api_key: "K1", cloud_api_url: "https://api.confluent.cloud", metrics_api_url: "https://m" },
};

const info = () => ({ version: "0.1.0", config_dir: "/cfg", secret_store: "Secret Service" });

freshWindow();

describe("Settings → connections", () => {
  it("shows the backend's per-field messages next to each field", async () => {
    backend({
      list_connections: () => [sandbox],
      app_info: info,
      save_connection: () => {
        throw {
          code: "VALIDATION",
          message: "Some fields need attention.",
          fields: { name: "Give the connection a name.", secret: "Enter the Cloud API secret." },
        };
      },
    });
    render(<Settings />);
    fireEvent.click(await screen.findByTestId("add-connection"));
    fireEvent.click(screen.getByTestId("save-connection"));
    expect((await screen.findByTestId("error-name")).textContent).toBe("Give the connection a name.");
    expect(screen.getByTestId("error-secret").textContent).toBe("Enter the Cloud API secret.");
    // Field errors stay in the form, not in the global banner.
    expect(shownError.value).toBeNull();
    // Typing into a field clears its error.
    fireEvent.input(screen.getByTestId("field-name"), { target: { value: "x" } });
    await waitFor(() => expect(screen.queryByTestId("error-name")).toBeNull());
  });

  it("sends what the form holds, secret included only when typed", async () => {
    backend({ list_connections: () => [sandbox], app_info: info, save_connection: (a) => ({ ...org, name: a.input.name }) });
    render(<Settings />);
    fireEvent.click(await screen.findByTestId("add-connection"));
    fireEvent.input(screen.getByTestId("field-name"), { target: { value: "Prod org" } });
    fireEvent.input(screen.getByTestId("field-cloud_api_key"), { target: { value: "K1" } });
    fireEvent.input(screen.getByTestId("field-secret"), { target: { value: "s3cret" } });
    fireEvent.click(screen.getByTestId("save-connection"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_connection")).toBe(true));
    const sent = calls.find((c) => c.cmd === "save_connection")!.args as any;
    expect(sent.input).toMatchObject({ id: null, name: "Prod org", secret: "s3cret", endpoint: { kind: "confluent_cloud", cloud_api_key: "K1" } });
  });

  it("asks before removing, and Cancel removes nothing", async () => {
    backend({ list_connections: () => [sandbox, org], app_info: info, remove_connection: () => null });
    render(<Settings />);
    const removeButtons = await screen.findAllByTestId("remove");
    expect(removeButtons).toHaveLength(1); // the sandbox has none
    fireEvent.click(removeButtons[0]!);
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("Remove “Prod org”?");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(calls.some((c) => c.cmd === "remove_connection")).toBe(false);

    fireEvent.click(screen.getByTestId("remove"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "remove_connection")?.args).toEqual({ id: "c-1" }));
  });

  it("puts non-field errors in the one error banner, keyring advice included", async () => {
    backend({
      list_connections: () => {
        throw { code: "KEYRING_LOCKED", message: "the OS keyring is locked. Unlock it and try again" };
      },
      app_info: info,
    });
    render(<Settings />);
    await waitFor(() => expect(shownError.value?.code).toBe("KEYRING_LOCKED"));
  });
});

describe("Settings → the sandbox cloud", () => {
  const status = (state: "starting" | "running" | "failed" | "stopped") =>
    (sandboxStatus.value = { state, rest_url: state === "running" ? "https://127.0.0.1:7777" : null, ca_file: null, message: state === "failed" ? "port in use" : null });
  const sandboxRow = async () => (await screen.findAllByTestId("connection-row")).find((r) => r.dataset.id === "sandbox")!;

  it("stops a running sandbox", async () => {
    status("running");
    backend({ list_connections: () => [sandbox], app_info: info, set_sandbox_running: () => null });
    render(<Settings />);
    const row = await sandboxRow();
    expect(row.textContent).toContain("running at https://127.0.0.1:7777");
    const toggle = screen.getByTestId("sandbox-toggle") as HTMLButtonElement;
    expect(toggle.textContent).toBe("Stop");
    expect(toggle.dataset.action).toBe("stop");
    fireEvent.click(toggle);
    await waitFor(() => expect(calls.find((c) => c.cmd === "set_sandbox_running")?.args).toEqual({ running: false }));
    // The new state arrives as an event.
    status("stopped");
    await waitFor(() => expect(screen.getByTestId("sandbox-toggle").textContent).toBe("Start"));
  });

  it("says a stopped sandbox is stopped and starts it", async () => {
    status("stopped");
    backend({ list_connections: () => [sandbox], app_info: info, set_sandbox_running: () => null });
    render(<Settings />);
    const row = await sandboxRow();
    expect(row.querySelector('[data-testid="connection-desc"]')!.textContent).toBe("built in · stopped");
    expect(row.textContent).not.toContain("starting");
    const toggle = screen.getByTestId("sandbox-toggle") as HTMLButtonElement;
    expect(toggle.textContent).toBe("Start");
    expect(toggle.disabled).toBe(false);
    fireEvent.click(toggle);
    await waitFor(() => expect(calls.find((c) => c.cmd === "set_sandbox_running")?.args).toEqual({ running: true }));
  });

  it("offers Start after a failure, nothing while starting, and shows a refusal in the banner", async () => {
    status("failed");
    backend({
      list_connections: () => [sandbox],
      app_info: info,
      set_sandbox_running: () => {
        throw { code: "INTERNAL", message: "Could not start the sandbox." };
      },
    });
    render(<Settings />);
    await sandboxRow();
    expect(screen.getByTestId("sandbox-toggle").textContent).toBe("Start");
    fireEvent.click(screen.getByTestId("sandbox-toggle"));
    await waitFor(() => expect(shownError.value?.message).toBe("Could not start the sandbox."));
    status("starting");
    await waitFor(() => expect((screen.getByTestId("sandbox-toggle") as HTMLButtonElement).disabled).toBe(true));
  });
});
