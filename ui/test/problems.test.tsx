// A form's per-field problems reach a Korean reader in Korean (issue 16): Rust sends each as a
// code with its values (gureum_forms::Problem); ui/src/problems.ts words every code. The codes are
// read from the generated bindings.ts, so a code added in Rust without Korean words fails here
// (and the typecheck fails first: PROBLEM_KO is a Record<ProblemCode, string>).
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { backend } from "./backend";
import type { BridgeError } from "../src/api";
import type { Problem, ProblemCode } from "../src/bindings";
import bindingsSource from "../src/bindings.ts?raw";
import { lang } from "../src/i18n";
import { PROBLEM_KO, localized, problemText } from "../src/problems";
import { Settings } from "../src/sections/Settings";

const HANGUL = /[\uac00-\ud7a3]/;

function codesOfBindings(): string[] {
  const source = bindingsSource.replace(/\/\*[\s\S]*?\*\//g, "");
  const decl = /export type ProblemCode =([^;]*);/.exec(source);
  expect(decl, "bindings.ts declares ProblemCode").not.toBeNull();
  return [...decl![1]!.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]!);
}

const problem = (code: ProblemCode, message: string, params: Record<string, string> = {}): Problem => ({ code, message, params });

afterEach(() => {
  lang.value = "en";
  cleanup();
  clearMocks();
});

describe("form problems", () => {
  it("words every code Rust has in Korean, with its values filled in", () => {
    const codes = codesOfBindings();
    expect(codes.length).toBeGreaterThan(50);
    expect(Object.keys(PROBLEM_KO).sort()).toEqual([...codes].sort());
    for (const code of codes as ProblemCode[]) {
      const names = [...PROBLEM_KO[code].matchAll(/\{(\w+)\}(?!\})/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n) => [n, `<${n}>`]));
      if (code === "topic_name_char") params.char = "/";
      const ko = problemText(problem(code, "English.", params), "ko");
      expect(ko, code).toMatch(HANGUL);
      expect(ko.replace(/\{\{[^}]*\}\}/g, ""), code).not.toMatch(/\{\w+\}/);
      expect(problemText(problem(code, "English.", params), "en")).toBe("English.");
    }
  });

  it("says Kafka's values the Korean way", () => {
    expect(problemText(problem("topic_name_char", "The name contains a space; …", { char: " " }), "ko")).toContain("공백");
    expect(problemText(problem("config_not_whole", "retention.ms must be a whole number (-1 (keep forever) or more).", { name: "retention.ms", min: "-1" }), "ko")).toBe(
      "retention.ms은(는) 정수여야 합니다(-1(영구 보관) 이상).",
    );
    expect(problemText(problem("config_choice", "…", { name: "cleanup.policy", choices: "delete | compact | compact,delete" }), "ko")).toBe(
      "cleanup.policy은(는) delete, compact, compact,delete 중 하나입니다.",
    );
    expect(problemText(problem("placeholder_two_bounds", "…", { placeholder: "{{int 1}}", at: "3" }), "ko")).toBe("3번째 글자의 {{int 1}}: 범위를 두 개 주세요. 예: {{int 1 100}}");
  });

  it("rewords a validation error's fields, and leaves a server's own words and English alone", () => {
    const e: BridgeError = {
      code: "VALIDATION",
      message: "Some fields need attention.",
      fields: { headers: "Header 2 needs a name. Header 3 needs a name.", region: "Unknown region 'mars-1'." },
      problems: { headers: [problem("header_unnamed", "Header 2 needs a name.", { n: "2" }), problem("header_unnamed", "Header 3 needs a name.", { n: "3" })] },
    };
    expect(localized(e, "ko").fields).toEqual({ headers: "헤더 2에 이름이 필요합니다. 헤더 3에 이름이 필요합니다.", region: "Unknown region 'mars-1'." });
    expect(localized(e, "en")).toBe(e);
  });

  it("shows a Korean reader the connection form's problems in Korean, next to each field", async () => {
    lang.value = "ko";
    backend({
      list_connections: () => [{ id: "sandbox", name: "Sandbox cloud", endpoint: { kind: "sandbox" } }],
      app_info: () => ({ version: "0.1.0", config_dir: "/cfg", secret_store: "Secret Service" }),
      save_connection: () => {
        throw {
          code: "VALIDATION",
          message: "Some fields need attention.",
          fields: { name: "Keep the name to 64 characters or fewer.", secret: "Enter the Cloud API secret; it is stored only in the OS keyring." },
          problems: {
            name: [problem("name_too_long", "Keep the name to 64 characters or fewer.", { max: "64" })],
            secret: [problem("cloud_secret_required", "Enter the Cloud API secret; it is stored only in the OS keyring.")],
          },
        };
      },
    });
    render(<Settings />);
    fireEvent.click(await screen.findByTestId("add-connection"));
    fireEvent.click(screen.getByTestId("save-connection"));
    expect((await screen.findByTestId("error-name")).textContent).toBe("이름은 64자 이내로 적어 주세요.");
    expect(screen.getByTestId("error-secret").textContent).toBe("Cloud API 시크릿을 입력하세요. OS 키링에만 저장됩니다.");
  });
});
