// Every backend error code has English and Korean words (issue 16): the codes are read from the
// generated bindings.ts, so a code added in Rust without words here fails (and the typecheck
// fails first: ERROR_TEXT is a Record<ErrorCode, …>).
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";

import type { BridgeError } from "../src/api";
import type { ErrorCode } from "../src/bindings";
// The generated file's text, as written by tauri-specta.
import bindingsSource from "../src/bindings.ts?raw";
import { ErrorView } from "../src/components/ErrorView";
import { ERROR_TEXT, type ErrorLike, errorParams, errorText } from "../src/errors";
import { lang } from "../src/i18n";
import { section } from "../src/state";

/** The string literals of `export type ErrorCode = …;` in the generated bindings. */
function codesOfBindings(): string[] {
  const source = bindingsSource.replace(/\/\*[\s\S]*?\*\//g, "");
  const decl = /export type ErrorCode =([^;]*);/.exec(source);
  expect(decl, "bindings.ts declares ErrorCode").not.toBeNull();
  const body = decl![1]!;
  return [...body.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]!);
}

const HANGUL = /[\uac00-\ud7a3]/;

/** An error of `code` with every structured field filled, and one with none. */
function samples(code: string): ErrorLike[] {
  return [
    { code, message: "Something about “orders” happened.", detail: "HTTP 401: Unauthorized", fields: { name: "Give it a name.", region: "Unknown region." }, refused: { operation: "READ", resource_type: "TOPIC", resource_name: "orders", key_id: "KEY1" } },
    { code, message: "Plain English only." },
  ];
}

afterEach(() => {
  lang.value = "en";
  cleanup();
});

describe("error words", () => {
  const codes = codesOfBindings();

  it("cover exactly the codes of the generated bindings", () => {
    expect(codes.length).toBeGreaterThan(30);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...codes].sort());
  });

  it.each(codes)("%s reads in Korean, not in the backend's English", (code) => {
    for (const e of samples(code)) {
      lang.value = "en";
      const en = errorText(e);
      lang.value = "ko";
      const ko = errorText(e);
      expect(en.text.trim()).not.toBe("");
      expect(ko.text.trim()).not.toBe("");
      expect(ko.text).not.toBe(en.text);
      expect(ko.text).toMatch(HANGUL);
      expect(ko.text).not.toContain(e.message);
      expect(ko.text).not.toMatch(/undefined|\{\w+\}/);
      expect(en.text).not.toMatch(/undefined|\{\w+\}/);
      // A hint in one language is a hint in both.
      expect(ko.hint === null).toBe(en.hint === null);
      if (ko.hint) {
        expect(ko.hint).toMatch(HANGUL);
        expect(ko.hint).not.toBe(en.hint);
      }
    }
  });

  it("uses the error's structured fields as parameters", () => {
    const [full] = samples("NOT_AUTHORIZED");
    expect(errorParams(full!)).toEqual({ fields: "name, region", status: "401", name: "orders", key: "KEY1", op: "READ", what: "topic “orders”" });
    lang.value = "ko";
    expect(errorText(full!).text).toBe("키의 소유자는 토픽 “orders”에 READ 할 수 없습니다: 허용하는 ACL이 없습니다.");
    expect(errorText({ code: "VALIDATION", message: "Some fields need attention.", fields: { name: "x" } }).text).toBe("확인이 필요한 입력이 있습니다: name.");
    expect(errorText({ code: "CLOUD_UNAUTHORIZED", message: "…", detail: "HTTP 401: Unauthorized" }).text).toBe("Cloud API가 키 또는 시크릿을 거부했습니다 (HTTP 401).");
    expect(errorText({ code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders-cluster”." }).text).toBe("Gureum에 “orders-cluster”의 API 키가 없습니다.");
  });

  it("falls back to the backend's message for a code this UI doesn't know", () => {
    expect(errorText({ code: "SOMETHING_NEW", message: "A newer backend's words." })).toEqual({ text: "A newer backend's words.", hint: null });
  });
});

describe("ErrorView", () => {
  const stopped: BridgeError = { code: "SANDBOX_NOT_READY", message: "The sandbox cloud is stopped, so nothing answers there.", detail: "exit 1" };

  it("shows the code's words in Korean, the backend's words as detail, and the code's action", () => {
    lang.value = "ko";
    section.value = "topics";
    render(<ErrorView error={stopped} testid="x" variant="card" />);
    const el = screen.getByTestId("x");
    expect(el.dataset.code).toBe("SANDBOX_NOT_READY");
    expect(screen.getByTestId("x-text").textContent).toBe("샌드박스 클라우드가 실행 중이 아닙니다.");
    expect(screen.getByTestId("x-message").textContent).toContain("nothing answers there");
    expect(screen.getByTestId("x-message").textContent).toContain("exit 1");
    fireEvent.click(screen.getByTestId("x-open-settings"));
    expect(section.value).toBe("settings");
  });

  it("offers retry and dismiss under the ids asked for", () => {
    let retried = 0;
    let dismissed = 0;
    render(<ErrorView error={{ code: "CLOUD_TIMEOUT", message: "late" }} testid="error-banner" ids="error" variant="banner" onRetry={() => retried++} onDismiss={() => dismissed++} />);
    expect(screen.getByTestId("error-text").textContent).toBe("The Cloud API did not answer in time.");
    fireEvent.click(screen.getByTestId("error-retry"));
    fireEvent.click(screen.getByTestId("error-dismiss"));
    expect([retried, dismissed]).toEqual([1, 1]);
  });

  it("shows a refusal as what is missing", () => {
    const refused: BridgeError = { code: "NOT_AUTHORIZED", message: "may not", refused: { operation: "WRITE", resource_type: "TOPIC", resource_name: "orders", topic: "orders", group: null, key_id: null } };
    render(<ErrorView error={refused} testid="r" />);
    expect(screen.getByTestId("r-refusal-sentence").textContent).toBe("The key's owner may not WRITE topic “orders”: no ACL allows it.");
  });
});

// Keeps the Record honest for the typecheck too: every ErrorCode indexes it.
const _all: Record<ErrorCode, unknown> = ERROR_TEXT;
void _all;
