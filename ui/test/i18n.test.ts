import { describe, expect, it } from "vitest";

import { lang, t } from "../src/i18n";

describe("t()", () => {
  it("fills placeholders and switches language", () => {
    lang.value = "en";
    expect(t("form.saved", { name: "prod" })).toBe("Saved “prod”.");
    lang.value = "ko";
    expect(t("form.saved", { name: "prod" })).toBe("“prod” 저장됨.");
    expect(t("nav.clusters")).toBe("클러스터");
    lang.value = "en";
  });

  it("keeps an unfilled placeholder visible rather than printing undefined", () => {
    expect(t("form.saved")).toBe("Saved “{name}”.");
  });
});
