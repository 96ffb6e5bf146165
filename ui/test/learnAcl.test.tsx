// Lesson 3's ACL step against a fake Rust side: a service account's key with no ACLs is refused
// sending and reading, each refusal naming what it lacks; Producer fixes sending (reading still
// refused), Consumer fixes reading; the steps tick as the cluster answers.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { backend, calls } from "./backend";
import { freshLearn, labReady, target, tidyLearn } from "./learnFixtures";
import { lang } from "../src/i18n";
import { Lesson3 } from "../src/sections/learn/Lesson3";

beforeEach(freshLearn);
afterEach(tidyLearn);

const sa = { id: "sa-9", name: "learn-acl-app", kind: "ServiceAccount" };
const acl = (operation: string, resource_type = "TOPIC", resource_name = "lesson-orders") => ({ resource_type, resource_name, pattern_type: "LITERAL", principal: "User:sa-9", host: "*", operation, permission: "ALLOW" });
const PRESET_ACLS: Record<string, ReturnType<typeof acl>[]> = {
  Producer: [acl("WRITE"), acl("DESCRIBE"), acl("IDEMPOTENT_WRITE", "CLUSTER", "kafka-cluster")],
  Consumer: [acl("READ"), acl("DESCRIBE"), acl("READ", "GROUP", "learn-acl-readers")],
};

describe("Lesson 3: the ACL step", () => {
  it("no ACLs: refused; Producer: sends but can't read; Consumer: reads", async () => {
    const granted = new Set<string>();
    const refusal = (operation: string, resource_type: string, resource_name: string) => ({
      code: "NOT_AUTHORIZED" as const,
      message: "Not authorized",
      refused: { operation, resource_type, resource_name, topic: "lesson-orders", group: resource_type === "GROUP" ? resource_name : null, key_id: "SAKEY" },
    });
    backend({
      ...labReady,
      acl_lesson_key: () => ({ account: sa, key_id: "SAKEY", removed: 2 }),
      acl_lesson_try: (a) => {
        const base = { action: a.action, partition: null, offset: null, records: null, group: "learn-acl-readers", error: null };
        if (a.action === "send")
          return granted.has("Producer") ? { ...base, allowed: true, partition: 3, offset: 0 } : { ...base, allowed: false, error: refusal("WRITE", "TOPIC", "lesson-orders") };
        return granted.has("Consumer") ? { ...base, allowed: true, records: 1 } : { ...base, allowed: false, error: refusal("READ", "GROUP", "learn-acl-readers") };
      },
      fix_for_refusal: (a) => {
        const preset = a.refused.operation === "WRITE" ? "Producer" : "Consumer";
        return {
          key_id: "SAKEY",
          rest_endpoint: "https://127.0.0.1:8443",
          account: sa,
          fix: { preset, target: { topic: "lesson-orders", prefixed: false, group: preset === "Consumer" ? "learn-acl-readers" : "", group_prefixed: false }, acls: PRESET_ACLS[preset], exact: acl(a.refused.operation) },
        };
      },
      preview_preset: (a) => PRESET_ACLS[a.preset],
      acl_equivalent: () => ({ method: "POST", url: "https://127.0.0.1:8443/kafka/v3/clusters/lkc-l/acls:batch", body: "{}", cli: [] }),
      add_acls: (a) => {
        granted.add(a.acls.some((x: any) => x.operation === "WRITE") ? "Producer" : "Consumer");
        return { key_id: "KEY1", created: false };
      },
    });
    render(<Lesson3 />);
    fireEvent.click(await screen.findByTestId("acl-key"));
    expect((await screen.findByTestId("acl-key-ready")).textContent).toContain("learn-acl-app (sa-9)");
    expect(calls.find((c) => c.cmd === "acl_lesson_key")?.args).toEqual({ target });

    // No ACLs: both refused, each saying what it lacks.
    fireEvent.click(screen.getByTestId("acl-try-send"));
    expect((await screen.findByTestId("acl-result-send")).dataset.allowed).toBe("false");
    expect(screen.getByTestId("acl-refusal-send-sentence").textContent).toContain("may not WRITE topic “lesson-orders”");
    fireEvent.click(screen.getByTestId("acl-try-read"));
    expect((await screen.findByTestId("acl-result-read")).dataset.allowed).toBe("false");
    expect(screen.getByTestId("acl-refusal-read-sentence").textContent).toContain("may not READ consumer group “learn-acl-readers”");
    await waitFor(() => expect(screen.getByTestId("step-l3-acl_refused").dataset.done).toBe("true"));

    // Producer, from the send's fix: sending works (tried again by itself), reading is still refused.
    fireEvent.click(await screen.findByText("Fix: add the Producer preset…"));
    await screen.findByTestId("fix-dialog");
    fireEvent.click(screen.getByTestId("fix-add"));
    await waitFor(() => expect(screen.getByTestId("acl-result-send").dataset.allowed).toBe("true"));
    expect(screen.getByTestId("acl-result-send").textContent).toContain("partition 3, offset 0");
    expect(calls.find((c) => c.cmd === "add_acls")?.args.acls).toEqual(PRESET_ACLS.Producer);
    fireEvent.click(screen.getByTestId("acl-try-read"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "acl_lesson_try" && c.args.action === "read")).toHaveLength(2));
    expect((await screen.findByTestId("acl-result-read")).dataset.allowed).toBe("false");
    expect(screen.getByTestId("step-l3-acl_producer").dataset.done).toBe("true");

    // Consumer: reading works.
    fireEvent.click(await screen.findByText("Fix: add the Consumer preset…"));
    await screen.findByTestId("fix-dialog");
    fireEvent.click(screen.getByTestId("fix-add"));
    await waitFor(() => expect(screen.getByTestId("acl-result-read").dataset.allowed).toBe("true"));
    expect(screen.getByTestId("step-l3-acl_consumer").dataset.done).toBe("true");
    expect(calls.filter((c) => c.cmd === "acl_lesson_try").every((c) => c.args.keyId === "SAKEY" && c.args.topic === "lesson-orders")).toBe(true);
  });

  it("speaks Korean", async () => {
    lang.value = "ko";
    backend({ ...labReady });
    render(<Lesson3 />);
    expect((await screen.findByTestId("acl-key")).textContent).toBe("ACL 없는 서비스 계정 키 만들기");
    expect(screen.getByTestId("l3-acl").textContent).toContain("ACL: 들어왔다고 허용된 것은 아니다");
  });
});
