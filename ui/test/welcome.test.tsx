import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { backend, calls, emitEvent, listenerCount } from "./backend";
import type { Sample } from "../src/bindings";
import { picked } from "../src/sections/clusters/state";
import { SecretsNotice, secretsInMemory } from "../src/components/SecretsNotice";
import { lang } from "../src/i18n";
import { currentLesson } from "../src/sections/learn/progress";
import { Welcome } from "../src/sections/Welcome";
import { resetSession } from "../src/session";
import { activeConnectionId, sandboxStatus, section, shownError } from "../src/state";

const running = { state: "running" as const, rest_url: "http://127.0.0.1:7777", ca_file: "/data/sandbox/ca.pem", message: null };
const sample = { environment_id: "env-s", cluster_id: "lkc-s", cluster_name: "sample", key_id: "KEY1", topic: "hello" };

beforeEach(() => {
  lang.value = "en";
  shownError.value = null;
  sandboxStatus.value = running;
  section.value = "welcome";
  activeConnectionId.value = "sandbox";
  secretsInMemory.value = null;
  resetSession();
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Welcome", () => {
  it("says what Gureum is and offers three ways in", () => {
    backend({});
    render(<Welcome />);
    expect(screen.getByTestId("welcome-what").textContent).toMatch(/desktop console for cloud Kafka/);
    for (const id of ["welcome-walk", "welcome-sample", "welcome-connect"]) expect(screen.getByTestId(id)).toBeTruthy();
  });

  it("opens lesson 7 for the walkthrough", () => {
    backend({});
    render(<Welcome />);
    fireEvent.click(screen.getByTestId("welcome-walk-start"));
    expect(section.value).toBe("learn");
    expect(currentLesson.value).toBe("l7");
  });

  it("runs the sample with progress, then opens Send on its cluster", async () => {
    let finish!: (v: Sample) => void;
    backend({ create_sample: () => new Promise((r) => (finish = r)) });
    render(<Welcome />);
    fireEvent.click(screen.getByTestId("sample-create"));
    await waitFor(() => expect(listenerCount("sample-progress")).toBe(1));
    emitEvent("sample-progress", { step: "environment", done: true, detail: "env-s" });
    emitEvent("sample-progress", { step: "cluster", done: false, detail: null });
    await waitFor(() => expect(screen.getByTestId("sample-step-cluster").dataset.state).toBe("running"));
    expect(screen.getByTestId("sample-step-environment").dataset.state).toBe("done");
    expect(screen.getByTestId("sample-step-topic").dataset.state).toBe("waiting");
    expect((screen.getByTestId("sample-create") as HTMLButtonElement).disabled).toBe(true);
    finish(sample);
    const ready = await screen.findByTestId("sample-ready");
    expect(ready.textContent).toContain("lkc-s");
    expect(ready.dataset.key).toBe("KEY1");
    expect(picked.value.sandbox).toEqual({ env: "env-s", cluster: "lkc-s" });
    await waitFor(() => expect(listenerCount("sample-progress")).toBe(0));
    fireEvent.click(screen.getByTestId("sample-send"));
    expect(section.value).toBe("send");
    expect(calls.filter((c) => c.cmd === "create_sample")).toHaveLength(1);
  });

  it("waits for the sandbox, and a failed sample lands in the error banner", async () => {
    sandboxStatus.value = { ...running, state: "starting", rest_url: null };
    backend({
      create_sample: () => {
        throw { code: "SANDBOX_NOT_READY", message: "The sandbox cloud is not running." };
      },
    });
    render(<Welcome />);
    expect((screen.getByTestId("sample-create") as HTMLButtonElement).disabled).toBe(true);
    sandboxStatus.value = running;
    await waitFor(() => expect((screen.getByTestId("sample-create") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("sample-create"));
    await waitFor(() => expect(shownError.value?.code).toBe("SANDBOX_NOT_READY"));
  });

  it("opens Settings with the new-connection form of the chosen kind", () => {
    backend({});
    render(<Welcome />);
    fireEvent.click(screen.getByTestId("welcome-connect-kafka"));
    expect(section.value).toBe("settings");
  });
});

describe("SecretsNotice", () => {
  it("says nothing when secrets go to the keyring", async () => {
    backend({ app_info: () => ({ version: "0.1.0", config_dir: "/cfg", secret_store: "Secret Service" }) });
    render(<SecretsNotice />);
    await waitFor(() => expect(calls.some((c) => c.cmd === "app_info")).toBe(true));
    expect(screen.queryByTestId("secrets-notice")).toBeNull();
  });

  it("without a keyring: what won't be kept and how to get one, in both languages", async () => {
    backend({ app_info: () => ({ version: "0.1.0", config_dir: "/cfg", secret_store: "memory", secrets_in_memory: "no Secret Service" }) });
    render(<SecretsNotice />);
    const notice = await screen.findByTestId("secrets-notice");
    expect(notice.textContent).toContain("no Secret Service");
    expect(notice.textContent).toMatch(/never writes them to disk/);
    expect(notice.textContent).toMatch(/gnome-keyring/);
    lang.value = "ko";
    await waitFor(() => expect(screen.getByTestId("secrets-notice").textContent).toMatch(/키링/));
    fireEvent.click(screen.getByTestId("secrets-notice-hide"));
    expect(screen.queryByTestId("secrets-notice")).toBeNull();
  });

  it("tells outside clients to trust a renewed sandbox CA", async () => {
    sandboxStatus.value = { ...running, ca_renewed: true };
    backend({ app_info: () => ({ version: "0.1.0", config_dir: "/cfg", secret_store: "Secret Service" }) });
    render(<SecretsNotice />);
    expect((await screen.findByTestId("secrets-ca-renewed")).textContent).toContain("/data/sandbox/ca.pem");
  });
});
