// Every component test file starts each test from the same window: English, no error shown, no
// session state left by the previous test (and, on request, the sandbox running and chosen); each
// test ends with the DOM and the fake backend cleared.
import { cleanup } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach } from "vitest";

import { lang } from "../src/i18n";
import { resetSession } from "../src/session";
import { activeConnectionId, sandboxStatus, shownError } from "../src/state";

export function freshWindow({ onSandbox = false } = {}) {
  beforeEach(() => {
    lang.value = "en";
    shownError.value = null;
    resetSession();
    if (onSandbox) {
      activeConnectionId.value = "sandbox";
      sandboxStatus.value = { state: "running", rest_url: "http://127.0.0.1:1", ca_file: null, message: null };
    }
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });
}
