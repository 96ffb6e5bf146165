import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { backend, calls, emitEvent, listenerCount } from "./backend";
import { base, freshState, later, sendResult, target, tidy } from "./sendFixtures";
import type { BulkSummary_Serialize as BulkSummary, TailRecordView_Serialize as TailRecord } from "../src/bindings";
import { Send } from "../src/sections/Send";
import { shownError } from "../src/state";

beforeEach(freshState);
afterEach(tidy);

const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });
const shown = (text: string, size = text.length, truncated = false) => ({ text, size, truncated });
const rec = (partition: number, offset: number, over: Partial<TailRecord> = {}): TailRecord => ({
  partition,
  offset,
  timestamp_ms: 1767225600000 + offset,
  key: shown(`k${offset}`),
  value: shown(`v${offset}`),
  headers: [],
  ...over,
});

/** The id of the tail the panel started last. */
async function startedTail(topic = "audit", partition: number | null = null, last = 20) {
  await waitFor(() => expect(calls.filter((c) => c.cmd === "start_tail").at(-1)?.args).toMatchObject({ target, topic, partition, last }));
  await waitFor(() => expect(listenerCount("tail-batch")).toBeGreaterThan(0));
  return calls.filter((c) => c.cmd === "start_tail").at(-1)!.args.tailId as string;
}

describe("Live tail", () => {
  it("starts on the last 20 per partition, shows batches newest first and highlights the record just sent", async () => {
    backend({ ...base, send_record: () => sendResult({ topic: "audit", partition: 1, offset: 12, partitions: 3, key_hash: null, key_partition: null }) });
    render(<Send />);
    const id = await startedTail();
    expect(emitEvent("tail-batch", { tail_id: id, records: [rec(0, 10), rec(1, 11)], error: null })).toBe(1);
    await waitFor(() => expect(screen.getAllByTestId("tail-row").map((r) => r.dataset.offset)).toEqual(["11", "10"]));
    // Another tail's batch is not ours.
    emitEvent("tail-batch", { tail_id: "someone-else", records: [rec(2, 99)], error: null });
    type("field-send-value", "hello");
    fireEvent.click(screen.getByTestId("send-submit"));
    await screen.findByTestId("send-result");
    emitEvent("tail-batch", { tail_id: id, records: [rec(1, 12, { value: shown("hello") })], error: null });
    await waitFor(() => expect(screen.getAllByTestId("tail-row")).toHaveLength(3));
    const first = screen.getAllByTestId("tail-row")[0]!;
    expect([first.dataset.partition, first.dataset.offset]).toEqual(["1", "12"]);
    expect(first.classList.contains("hot")).toBe(true);
    expect(within(first).getByTestId("tail-value").textContent).toBe("hello");
    expect(screen.getByTestId("tail-status").textContent).toContain("3 records shown");
  });

  it("keeps a 5 MB value a preview and shows all of a record on request in a read-only textarea", async () => {
    const big = "x".repeat(2048);
    const full = "y".repeat(200_000);
    backend({
      ...base,
      fetch_record: (a) => ({ ...rec(a.partition, a.offset), value: shown(full, 5 * 1024 * 1024, false), headers: [["trace", shown("abc")]] }),
    });
    render(<Send />);
    const id = await startedTail();
    emitEvent("tail-batch", {
      tail_id: id,
      records: [rec(2, 7, { value: shown(big, 5 * 1024 * 1024, true), headers: [["trace", shown("abc")]] }), rec(0, 3, { key: null, value: { text: null, size: 16, truncated: false } })],
      error: null,
    });
    const rows = await screen.findAllByTestId("tail-row");
    const bigRow = rows.find((r) => r.dataset.offset === "7")!;
    const value = within(bigRow).getByTestId("tail-value");
    expect(value.dataset.truncated).toBe("true");
    expect(value.textContent).toContain("5.0 MB");
    expect(value.textContent!.length).toBeLessThan(400);
    expect(within(bigRow).getByTestId("tail-headers").textContent).toContain("trace=abc");
    const binRow = rows.find((r) => r.dataset.offset === "3")!;
    expect(within(binRow).getByTestId("tail-value").textContent).toBe("binary · 16 B");
    expect(within(binRow).getByTestId("tail-key").textContent).toBe("null");
    expect(within(binRow).queryByTestId("tail-show-all")).toBeNull();

    fireEvent.click(within(bigRow).getByTestId("tail-show-all"));
    const area = (await screen.findByTestId("tail-full-value")) as HTMLTextAreaElement;
    expect(area.tagName).toBe("TEXTAREA");
    expect(area.readOnly).toBe(true);
    expect(area.value).toHaveLength(200_000);
    expect(calls.find((c) => c.cmd === "fetch_record")?.args).toEqual({ target, topic: "audit", partition: 2, offset: 7 });
    expect(screen.getByTestId("tail-full").textContent).toContain("partition 2 · offset 7");
    fireEvent.click(screen.getByTestId("tail-full-close"));
    expect(screen.queryByTestId("tail-full")).toBeNull();
  });

  it("pauses and resumes, keeps at most 1000 rows, and stops when leaving or changing topic", async () => {
    backend({ ...base });
    const view = render(<Send />);
    const id = await startedTail();
    await waitFor(() => expect((screen.getByTestId("tail-pause") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("tail-pause"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "set_tail_paused")?.args).toEqual({ tailId: id, paused: true }));
    expect(screen.getByTestId("tail-pause").textContent).toBe("Resume");
    expect(screen.getByTestId("tail-panel").dataset.state).toBe("paused");
    fireEvent.click(screen.getByTestId("tail-pause"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "set_tail_paused").at(-1)?.args).toEqual({ tailId: id, paused: false }));

    emitEvent("tail-batch", { tail_id: id, records: Array.from({ length: 1200 }, (_, i) => rec(i % 3, i)), error: null });
    await waitFor(() => expect(screen.getAllByTestId("tail-row")).toHaveLength(1000));
    expect(screen.getAllByTestId("tail-row")[0]!.dataset.offset).toBe("1199");

    // One partition: the tail restarts on it.
    fireEvent.change(screen.getByTestId("tail-partition"), { target: { value: "1" } });
    const second = await startedTail("audit", 1);
    expect(second).not.toBe(id);
    expect(calls.some((c) => c.cmd === "stop_tail" && c.args.tailId === id)).toBe(true);
    // Another topic: the same.
    fireEvent.change(screen.getByTestId("field-send-topic"), { target: { value: "orders" } });
    const third = await startedTail("orders", 1);
    await waitFor(() => expect(calls.some((c) => c.cmd === "stop_tail" && c.args.tailId === second)).toBe(true));
    view.unmount();
    expect(calls.some((c) => c.cmd === "stop_tail" && c.args.tailId === third)).toBe(true);
    expect(listenerCount("tail-batch")).toBe(0);
  });

  it("shows a tail failure in the tail panel and restarts on Retry", async () => {
    backend({ ...base });
    render(<Send />);
    const id = await startedTail();
    emitEvent("tail-batch", { tail_id: id, records: [], error: { code: "KAFKA_UNREACHABLE", message: "No broker of the cluster answered." } });
    const err = await screen.findByTestId("tail-error");
    expect(err.dataset.code).toBe("KAFKA_UNREACHABLE");
    expect(err.textContent).toContain("No broker of the cluster answered.");
    expect(shownError.value).toBeNull();
    fireEvent.click(screen.getByTestId("tail-error-retry"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "start_tail")).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId("tail-error")).toBeNull());
  });
});

describe("Bulk send", () => {
  it("sends from templates, follows the progress events, cancels with the job id and sums up the failures by cause", async () => {
    const run = later<BulkSummary>();
    backend({ ...base, bulk_send: () => run.promise, cancel_bulk: () => null });
    render(<Send />);
    fireEvent.click(await screen.findByTestId("send-tab-bulk"));
    type("field-bulk-count", "100");
    type("field-bulk-key", "user-{{seq}}");
    type("field-bulk-value", '{"n": {{seq}}}');
    await waitFor(() => expect(screen.getByTestId("bulk-preview-key").textContent).toBe("user-0"));
    expect(screen.getByTestId("bulk-preview-value").textContent).toBe('{"n": 0}');
    expect(calls.filter((c) => c.cmd === "preview_templates").at(-1)?.args).toEqual({ texts: ["user-{{seq}}", '{"n": {{seq}}}'], seq: 0 });
    fireEvent.click(screen.getByTestId("bulk-header-add"));
    type("bulk-header-name-0", "trace");
    type("bulk-header-value-0", "{{uuid}}");
    fireEvent.change(screen.getByTestId("field-bulk-acks"), { target: { value: "leader" } });
    fireEvent.click(screen.getByTestId("bulk-start"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "bulk_send")).toBe(true));
    const input = calls.find((c) => c.cmd === "bulk_send")!.args.input;
    expect(calls.find((c) => c.cmd === "bulk_send")!.args.target).toEqual(target);
    expect(input).toEqual({
      job_id: expect.any(String),
      topic: "audit",
      partition: null,
      source: "template",
      count: 100,
      key_template: "user-{{seq}}",
      value_template: '{"n": {{seq}}}',
      headers: [{ name: "trace", value: "{{uuid}}" }],
      text: null,
      acks: "leader",
      compression: "none",
    });
    const job = input.job_id as string;
    expect((screen.getByTestId("bulk-start") as HTMLButtonElement).disabled).toBe(true);

    expect(listenerCount("bulk-progress")).toBe(1);
    emitEvent("bulk-progress", { job_id: "another-job", total: 5, queued: 5, acked: 5, failed: 0, elapsed_ms: 1, records_per_sec: 1, mb_per_sec: 1 });
    emitEvent("bulk-progress", { job_id: job, total: 100, queued: 60, acked: 40, failed: 2, elapsed_ms: 500, records_per_sec: 8000, mb_per_sec: 1.25 });
    await waitFor(() => expect(screen.getByTestId("bulk-progress").dataset.acked).toBe("40"));
    expect(screen.getByTestId("bulk-progress").dataset.total).toBe("100");
    expect(screen.getByTestId("bulk-bar").style.width).toBe("40%");
    expect(screen.getByTestId("bulk-counts").textContent).toContain("40 of 100 acknowledged (40%)");
    expect(screen.getByTestId("bulk-counts").textContent).toContain("2 failed");
    expect(screen.getByTestId("bulk-rate").textContent).toContain("8,000 records/s");
    expect(screen.getByTestId("bulk-rate").textContent).toContain("1.25 MB/s");

    fireEvent.click(screen.getByTestId("bulk-cancel"));
    await waitFor(() => expect(calls.find((c) => c.cmd === "cancel_bulk")?.args).toEqual({ jobId: job }));
    expect(screen.getByTestId("bulk-cancel").textContent).toBe("Cancelling…");

    run.resolve({
      progress: { job_id: job, total: 100, queued: 65, acked: 60, failed: 5, elapsed_ms: 800, records_per_sec: 7500, mb_per_sec: 1.1 },
      cancelled: true,
      not_sent: 35,
      errors: [
        { code: "KAFKA_TIMEOUT", message: "Not acknowledged in time.", cause: "MSG_TIMED_OUT", count: 3, refused: null },
        { code: "KAFKA_RECORD_TOO_LARGE", message: "Larger than the topic accepts.", cause: "MSG_SIZE_TOO_LARGE", count: 2, refused: null },
      ],
    });
    const summary = await screen.findByTestId("bulk-summary");
    expect(summary.dataset.cancelled).toBe("true");
    expect(screen.getByTestId("summary-acked").textContent).toBe("60");
    expect(screen.getByTestId("summary-failed").textContent).toBe("5");
    expect(screen.getByTestId("summary-not-sent").textContent).toBe("35");
    expect(screen.getByTestId("summary-elapsed").textContent).toBe("800.0 ms");
    const groups = screen.getAllByTestId("bulk-error-group");
    expect(groups.map((g) => [g.dataset.code, within(g).getByTestId("bulk-error-count").textContent])).toEqual([
      ["KAFKA_TIMEOUT", "3"],
      ["KAFKA_RECORD_TOO_LARGE", "2"],
    ]);
    expect(groups[0]!.textContent).toContain("Not acknowledged in time.");
    expect(groups[0]!.textContent).toContain("MSG_TIMED_OUT");
    expect(screen.queryByTestId("bulk-cancel")).toBeNull();
    expect((screen.getByTestId("bulk-start") as HTMLButtonElement).disabled).toBe(false);
    await waitFor(() => expect(listenerCount("bulk-progress")).toBe(0));
  });

  it("shows template and count errors at their fields", async () => {
    backend({
      ...base,
      bulk_send: () =>
        Promise.reject({
          code: "VALIDATION",
          message: "Some fields need attention.",
          fields: { value_template: "Unknown placeholder {{nope}} at character 1.", count: "Send from 1 to 10000000 records." },
        }),
    });
    render(<Send />);
    fireEvent.click(await screen.findByTestId("send-tab-bulk"));
    type("field-bulk-value", "{{nope}}");
    await waitFor(() => expect(screen.getByTestId("bulk-preview-value").textContent).toContain("Unknown placeholder {{nope}}"));
    type("field-bulk-count", "0");
    fireEvent.click(screen.getByTestId("bulk-start"));
    expect((await screen.findByTestId("error-bulk-value")).textContent).toBe("Unknown placeholder {{nope}} at character 1.");
    expect(screen.getByTestId("error-bulk-count").textContent).toContain("1 to 10000000");
    expect(screen.queryByTestId("bulk-failure")).toBeNull();
    // Fixing a field clears its error only.
    type("field-bulk-count", "10");
    expect(screen.queryByTestId("error-bulk-count")).toBeNull();
    expect(screen.getByTestId("error-bulk-value")).toBeTruthy();
    // An empty count never reaches the backend.
    type("field-bulk-count", "");
    fireEvent.click(screen.getByTestId("bulk-start"));
    expect((await screen.findByTestId("error-bulk-count")).textContent).toContain("how many");
    expect(calls.filter((c) => c.cmd === "bulk_send")).toHaveLength(1);
  });

  it("sends a file's lines (or JSON lines) and shows a bad line at the file", async () => {
    let answer: (a: any) => BulkSummary | Promise<BulkSummary> = () => ({ progress: { job_id: "", total: 3, queued: 3, acked: 3, failed: 0, elapsed_ms: 20, records_per_sec: 150, mb_per_sec: 0 }, cancelled: false, not_sent: 0, errors: [] });
    backend({ ...base, bulk_send: (a) => answer(a) });
    render(<Send />);
    fireEvent.click(await screen.findByTestId("send-tab-bulk"));
    fireEvent.click(screen.getByTestId("bulk-source-file"));
    fireEvent.click(screen.getByTestId("bulk-start"));
    expect((await screen.findByTestId("error-bulk-file")).textContent).toBe("Choose a file.");
    const input = screen.getByTestId("bulk-file") as HTMLInputElement;
    const file = new File(["a\nb\n\nc\n"], "records.txt", { type: "text/plain" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(screen.getByTestId("bulk-file-info").textContent).toContain("records.txt · 3 records"));
    fireEvent.click(screen.getByTestId("bulk-start"));
    const summary = await screen.findByTestId("bulk-summary");
    expect(summary.textContent).toContain("every record was acknowledged");
    expect(calls.find((c) => c.cmd === "bulk_send")!.args.input).toMatchObject({ source: "lines", text: "a\nb\n\nc\n", count: 0, key_template: null, value_template: "", headers: [] });

    answer = () => Promise.reject({ code: "VALIDATION", message: "Some fields need attention.", fields: { file: "Line 2 is not valid JSON: expected value at line 1 column 1." } });
    fireEvent.click(screen.getByTestId("bulk-kind-json"));
    fireEvent.click(screen.getByTestId("bulk-start"));
    expect((await screen.findByTestId("error-bulk-file")).textContent).toContain("Line 2 is not valid JSON");
    expect(calls.filter((c) => c.cmd === "bulk_send").at(-1)!.args.input.source).toBe("json_lines");
  });
});

describe("Client snippets", () => {
  const snippets = () =>
    ["properties", "java", "python", "rust", "kcat"].map((id) => ({ id, title: id === "kcat" ? "kcat" : id[0]!.toUpperCase() + id.slice(1), code: `${id}: sasl.password=********` }));

  it("only ever receives masked snippets; Copy asks the backend to copy the chosen one, and no secret reaches the window", async () => {
    // The webview's own clipboard must not be used: the backend writes the OS clipboard.
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    backend({ ...base, client_snippets: () => snippets(), copy_client_snippet: () => null });
    render(<Send />);
    await screen.findByTestId("field-send-topic");
    expect(calls.some((c) => c.cmd === "client_snippets")).toBe(false); // only once the tab is opened
    fireEvent.click(screen.getByTestId("send-tab-snippets"));
    await waitFor(() => expect(screen.getByTestId("snippet-code").textContent).toBe("properties: sasl.password=********"));
    expect(calls.find((c) => c.cmd === "client_snippets")?.args).toEqual({ target, topic: "audit" });
    // No way to ask for the secret: no reveal button, and no argument that could.
    expect(screen.queryByTestId("snippet-reveal")).toBeNull();
    expect(screen.getByTestId("snippet-secret-state").textContent).toContain("never receives");

    fireEvent.click(screen.getByTestId("snippet-tab-python"));
    expect(screen.getByTestId("snippet-code").dataset.id).toBe("python");
    fireEvent.click(screen.getByTestId("snippet-copy"));
    await waitFor(() => expect(screen.getByTestId("snippet-copy").dataset.state).toBe("copied"));
    expect(calls.filter((c) => c.cmd === "copy_client_snippet")).toEqual([{ cmd: "copy_client_snippet", args: { target, topic: "audit", id: "python" } }]);
    expect(writeText).not.toHaveBeenCalled();
    expect(screen.getByTestId("snippet-code").textContent).toBe("python: sasl.password=********");
    expect(calls.filter((c) => c.cmd === "client_snippets")).toHaveLength(1);
  });

  it("a clipboard that did not answer shows on the button; a missing key is said in the panel", async () => {
    let answer: () => Promise<null> = () => Promise.reject({ code: "INTERNAL", message: "The snippet could not be copied: the system clipboard did not answer." });
    backend({ ...base, client_snippets: () => snippets(), copy_client_snippet: () => answer() });
    render(<Send />);
    fireEvent.click(await screen.findByTestId("send-tab-snippets"));
    fireEvent.click(await screen.findByTestId("snippet-copy"));
    await waitFor(() => expect(screen.getByTestId("snippet-copy").dataset.state).toBe("failed"));
    expect(screen.getByTestId("snippet-copy").textContent).toBe("Couldn't copy");
    expect(screen.queryByTestId("snippets-error")).toBeNull();

    answer = () => Promise.reject({ code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders-cluster”." });
    fireEvent.click(screen.getByTestId("snippet-copy"));
    expect((await screen.findByTestId("snippets-error")).dataset.code).toBe("CLUSTER_KEY_MISSING");
  });

  it("shows why snippets can't be made (no key for the cluster) with the way to API keys", async () => {
    backend({ ...base, client_snippets: () => Promise.reject({ code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders-cluster”." }) });
    render(<Send />);
    fireEvent.click(await screen.findByTestId("send-tab-snippets"));
    const err = await screen.findByTestId("snippets-error");
    expect(err.dataset.code).toBe("CLUSTER_KEY_MISSING");
    expect(screen.getByTestId("snippets-error-create-key")).toBeTruthy();
  });
});
