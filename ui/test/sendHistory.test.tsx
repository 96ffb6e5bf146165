// Send history keeps less than what was sent (issue 15): no header values, an age limit, and
// "clear history when Gureum quits" (history in this run's memory only, never on disk).
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend, calls } from "./backend";
import { base, freshState, sendResult, target, tidy } from "./sendFixtures";
import { Send } from "../src/sections/Send";
import { Settings } from "../src/sections/Settings";
import {
  CLEAR_ON_QUIT_KEY,
  HISTORY_DAYS_KEY,
  HISTORY_KEY,
  type HistoryEntry,
  clearOnQuit,
  history,
  historyDays,
  keepable,
  reloadStored,
  remember,
  setClearOnQuit,
  setHistoryDays,
} from "../src/sections/send/storage";
import { lang } from "../src/i18n";
import { sendDraft } from "../src/sections/send/state";

beforeEach(freshState);
afterEach(() => {
  tidy();
  vi.useRealTimers();
});

const DAY = 24 * 60 * 60 * 1000;
const sends = () => calls.filter((c) => c.cmd === "send_record");
const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });
const input = (over: Partial<HistoryEntry["input"]> = {}): HistoryEntry["input"] => ({
  topic: "orders",
  partition: null,
  key: "k",
  value: "v",
  value_format: "text",
  headers: [],
  timestamp_ms: null,
  acks: "all",
  compression: "none",
  ...over,
});
const entry = (id: string, at: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id,
  at,
  target,
  via: "kafka",
  input: input(),
  header_names: [],
  clipped: false,
  result: { partition: 0, offset: 1, timestamp_ms: at, latency_ms: 1 },
  ...over,
});
const onDisk = () => localStorage.getItem(HISTORY_KEY) ?? "";

async function openOrders() {
  render(<Send />);
  const select = (await screen.findByTestId("field-send-topic")) as HTMLSelectElement;
  fireEvent.change(select, { target: { value: "orders" } });
  await waitFor(() => expect(select.value).toBe("orders"));
}

describe("Send history: header values", () => {
  it("keeps header names only; Re-send says it sends without them and does; Edit asks for the values", async () => {
    let offset = 10;
    backend({ ...base, send_record: () => sendResult({ offset: ++offset }) });
    await openOrders();
    type("field-send-value", "order 1");
    fireEvent.click(screen.getByTestId("send-header-add"));
    type("send-header-name-0", "authorization");
    type("send-header-value-0", "Bearer tok-123");
    fireEvent.click(screen.getByTestId("send-submit"));
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(1));
    // The send itself carried the header value…
    expect(sends()[0]!.args.input.headers).toEqual([{ name: "authorization", value: "Bearer tok-123" }]);
    // …history did not keep it.
    expect(onDisk()).not.toContain("tok-123");
    expect(JSON.parse(onDisk())[0]).toMatchObject({ header_names: ["authorization"], input: { headers: [], value: "order 1" } });
    expect(screen.getByTestId("history-headers").textContent).toBe("Headers authorization: values not kept");
    const resend = screen.getByTestId("history-resend");
    expect(resend.textContent).toBe("Re-send without headers");
    expect(resend.getAttribute("title")).toContain("without its headers");

    fireEvent.click(resend);
    await waitFor(() => expect(sends()).toHaveLength(2));
    expect(sends()[1]!.args.input).toMatchObject({ value: "order 1", headers: [] });
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(2));

    fireEvent.click(screen.getAllByTestId("history-edit")[1]!);
    expect(sendDraft.value.headers).toEqual([{ name: "authorization", value: "" }]);
    expect((screen.getByTestId("send-header-name-0") as HTMLInputElement).value).toBe("authorization");
    expect((screen.getByTestId("send-header-value-0") as HTMLInputElement).value).toBe("");
  });

  it("a record without headers re-sends as before", async () => {
    backend({ ...base, send_record: () => sendResult() });
    await openOrders();
    type("field-send-value", "plain");
    fireEvent.click(screen.getByTestId("send-submit"));
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(1));
    expect(screen.queryByTestId("history-headers")).toBeNull();
    expect(screen.getByTestId("history-resend").textContent).toBe("Re-send");
  });

  it("entries written before values were dropped lose them at the next load, on disk too", () => {
    const old = { ...entry("old", Date.now() - DAY), header_names: undefined, input: input({ headers: [{ name: "trace", value: "secret-ish" }] }) };
    localStorage.setItem(HISTORY_KEY, JSON.stringify([old]));
    reloadStored();
    expect(history.value[0]).toMatchObject({ header_names: ["trace"], input: { headers: [] } });
    expect(onDisk()).not.toContain("secret-ish");
  });
});

describe("Send history: age limit", () => {
  it("drops entries older than the limit on load and on save (30 days by default)", () => {
    const now = Date.now();
    localStorage.setItem(HISTORY_KEY, JSON.stringify([entry("new", now - 1000), entry("29d", now - 29 * DAY), entry("31d", now - 31 * DAY)]));
    reloadStored();
    expect(historyDays.value).toBe(30);
    expect(history.value.map((h) => h.id)).toEqual(["new", "29d"]);
    expect(JSON.parse(onDisk()).map((h: HistoryEntry) => h.id)).toEqual(["new", "29d"]);

    // Time passes: the next save drops what has become too old.
    vi.useFakeTimers({ now: now + 2 * DAY, toFake: ["Date"] });
    remember({ id: "later", at: Date.now(), target, via: "kafka", input: input(), result: { partition: 0, offset: 2, timestamp_ms: null, latency_ms: 1 } });
    expect(history.value.map((h) => h.id)).toEqual(["later", "new"]);
  });

  it("the limit is a setting: a shorter one drops older entries at once and is kept", () => {
    const now = Date.now();
    localStorage.setItem(HISTORY_KEY, JSON.stringify([entry("today", now - 1000), entry("3d", now - 3 * DAY)]));
    reloadStored();
    setHistoryDays(1);
    expect(history.value.map((h) => h.id)).toEqual(["today"]);
    expect(localStorage.getItem(HISTORY_DAYS_KEY)).toBe("1");
    reloadStored();
    expect(historyDays.value).toBe(1);
    // Anything but the offered choices falls back to the default.
    localStorage.setItem(HISTORY_DAYS_KEY, "100000");
    reloadStored();
    expect(historyDays.value).toBe(30);
  });

  it("keepable() keeps at most 50, newest first, and drops malformed entries", () => {
    const now = Date.now();
    const many = Array.from({ length: 60 }, (_, i) => entry(`e${i}`, now - i * 1000));
    expect(keepable(many, now, 30).map((h) => h.id)).toEqual(many.slice(0, 50).map((h) => h.id));
    expect(keepable([null as unknown as HistoryEntry, { ...entry("x", now), at: "yesterday" as unknown as number }], now, 30)).toEqual([]);
  });
});

describe("Send history: clear when Gureum quits", () => {
  it("is off by default; on, history lives in this run's memory only and a new run starts empty", () => {
    expect(clearOnQuit.value).toBe(false);
    remember({ id: "a", at: Date.now(), target, via: "kafka", input: input({ value: "before" }), result: { partition: 0, offset: 1, timestamp_ms: null, latency_ms: 1 } });
    expect(onDisk()).toContain("before");

    setClearOnQuit(true);
    // What was on disk leaves it at once; the list stays for this run.
    expect(localStorage.getItem(HISTORY_KEY)).toBeNull();
    expect(localStorage.getItem(CLEAR_ON_QUIT_KEY)).toBe("on");
    expect(history.value.map((h) => h.id)).toEqual(["a"]);
    remember({ id: "b", at: Date.now(), target, via: "kafka", input: input({ value: "during" }), result: { partition: 0, offset: 2, timestamp_ms: null, latency_ms: 1 } });
    expect(localStorage.getItem(HISTORY_KEY)).toBeNull();
    expect(sessionStorage.getItem(HISTORY_KEY)).toContain("during");
    // A reload of the window within the run keeps it…
    reloadStored();
    expect(history.value.map((h) => h.id)).toEqual(["b", "a"]);
    // …quitting ends the run's memory (what WebKit does with sessionStorage), and the next run starts empty.
    sessionStorage.clear();
    reloadStored();
    expect(clearOnQuit.value).toBe(true);
    expect(history.value).toEqual([]);

    // Off again: from now on history is written to disk.
    setClearOnQuit(false);
    remember({ id: "c", at: Date.now(), target, via: "kafka", input: input({ value: "after" }), result: { partition: 0, offset: 3, timestamp_ms: null, latency_ms: 1 } });
    expect(onDisk()).toContain("after");
    expect(sessionStorage.getItem(HISTORY_KEY)).toBeNull();
    expect(localStorage.getItem(CLEAR_ON_QUIT_KEY)).toBeNull();
  });

  it("history left on disk from before the setting was on is removed at load", () => {
    localStorage.setItem(CLEAR_ON_QUIT_KEY, "on");
    localStorage.setItem(HISTORY_KEY, JSON.stringify([entry("leftover", Date.now())]));
    reloadStored();
    expect(localStorage.getItem(HISTORY_KEY)).toBeNull();
    expect(history.value).toEqual([]);
  });
});

describe("Settings → Send history", () => {
  const info = () => ({ version: "0.1.0", config_dir: "/cfg", secret_store: "Secret Service" });

  it("offers the age limit and clear-on-quit (off by default), in both languages, and the history panel says which applies", async () => {
    backend({ list_connections: () => [], app_info: info });
    render(<Settings />);
    const days = (await screen.findByTestId("history-days")) as HTMLSelectElement;
    expect(days.value).toBe("30");
    expect([...days.options].map((o) => o.textContent)).toEqual(["1 day", "7 days", "30 days", "90 days"]);
    const box = screen.getByTestId("history-clear-on-quit") as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByTestId("history-settings").textContent).toContain("Header values are never kept");

    fireEvent.change(days, { target: { value: "7" } });
    expect(historyDays.value).toBe(7);
    fireEvent.click(box);
    expect(clearOnQuit.value).toBe(true);
    expect(localStorage.getItem(CLEAR_ON_QUIT_KEY)).toBe("on");

    lang.value = "ko";
    await waitFor(() => expect(screen.getByTestId("history-settings").textContent).toContain("구름을 종료하면 기록 지우기"));
    expect([...days.options].map((o) => o.textContent)).toEqual(["1일", "7일", "30일", "90일"]);
  });

  it("the history panel names the rule in force", async () => {
    backend({ ...base });
    setHistoryDays(7);
    await openOrders();
    expect(screen.getByTestId("history-kept").textContent).toBe("Kept for 7 days, without header values (Settings).");
    setClearOnQuit(true);
    await waitFor(() => expect(screen.getByTestId("history-kept").textContent).toBe("Kept until Gureum quits, without header values (Settings)."));
  });
});
