import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { backend, calls } from "./backend";
import type { SendResult_Serialize } from "../src/bindings";
import { base, freshState, sendResult, target, tidy } from "./sendFixtures";
import { keyFor } from "../src/sections/access/state";
import { Send } from "../src/sections/Send";
import { jsonProblem, toInput, emptyDraft } from "../src/sections/send/model";
import { HISTORY_KEY, TEMPLATES_KEY } from "../src/sections/send/storage";
import { activeConnectionId, connections, section, shownError } from "../src/state";

beforeEach(freshState);
afterEach(tidy);

const sends = () => calls.filter((c) => c.cmd === "send_record" || c.cmd === "send_record_rest");

async function openOrders() {
  render(<Send />);
  const select = (await screen.findByTestId("field-send-topic")) as HTMLSelectElement;
  fireEvent.change(select, { target: { value: "orders" } });
  await waitFor(() => expect((screen.getByTestId("field-send-topic") as HTMLSelectElement).value).toBe("orders"));
}

const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe("Send: one record", () => {
  it("builds the input (key, JSON, headers, automatic partition) and shows the metadata and why the key went there", async () => {
    backend({ ...base, send_record: () => sendResult() });
    await openOrders();
    expect(screen.getByTestId("field-send-topic").textContent).toContain("orders (6 partitions)");
    type("field-send-key", "user-42");
    fireEvent.click(screen.getByTestId("send-format-json"));
    type("field-send-value", '{"id": 1}');
    expect(screen.getByTestId("send-json-status").dataset.valid).toBe("true");
    fireEvent.click(screen.getByTestId("send-header-add"));
    type("send-header-name-0", "source");
    type("send-header-value-0", "test");
    // The live hint asks the backend where the key lands.
    await waitFor(() => expect(screen.getByTestId("send-key-hint").dataset.partition).toBe("3"));
    expect(calls.find((c) => c.cmd === "key_partition")?.args).toEqual({ key: "user-42", partitions: 6 });

    fireEvent.click(screen.getByTestId("send-submit"));
    const result = await screen.findByTestId("send-result");
    expect(sends()[0]).toEqual({
      cmd: "send_record",
      args: {
        target,
        input: {
          topic: "orders",
          partition: null,
          key: "user-42",
          value: '{"id": 1}',
          value_format: "json",
          headers: [{ name: "source", value: "test" }],
          timestamp_ms: null,
          acks: "all",
          compression: "none",
        },
      },
    });
    expect(screen.getByTestId("result-topic").textContent).toBe("orders");
    expect(screen.getByTestId("result-partition").textContent).toBe("3");
    expect(screen.getByTestId("result-offset").textContent).toBe("41");
    expect(screen.getByTestId("result-timestamp").dataset.ms).toBe("1767225600000");
    expect(screen.getByTestId("result-timestamp-type").textContent).toContain("CreateTime");
    expect(screen.getByTestId("result-latency").textContent).toBe("2.50 ms");
    const why = screen.getByTestId("result-why").textContent!;
    expect(why).toContain('murmur2("user-42") = -1234567890');
    expect(why).toContain(`& 0x7fffffff = ${-1234567890 & 0x7fffffff}`);
    expect(why).toContain("mod 6 = 3");
    const cells = within(result).getAllByTestId("partition-cell");
    expect(cells).toHaveLength(6);
    expect(cells.filter((c) => c.classList.contains("chosen")).map((c) => c.dataset.partition)).toEqual(["3"]);
    expect(screen.getAllByTestId("history-row")).toHaveLength(1);
    expect(shownError.value).toBeNull();
  });

  it("sends text to an explicit partition with a timestamp, acks and compression, by Ctrl+Enter, once at a time", async () => {
    let answer: (v: SendResult_Serialize) => void = () => undefined;
    backend({ ...base, send_record: () => new Promise((res) => (answer = res)) });
    await openOrders();
    type("field-send-value", "hello");
    fireEvent.click(screen.getByTestId("send-partition-explicit"));
    type("field-send-partition", "2");
    expect(screen.getByTestId("send-partition-hint").textContent).toContain("0 to 5");
    type("field-send-timestamp", "2026-01-02T03:04:05");
    fireEvent.change(screen.getByTestId("field-send-acks"), { target: { value: "leader" } });
    fireEvent.change(screen.getByTestId("field-send-compression"), { target: { value: "zstd" } });
    fireEvent.keyDown(screen.getByTestId("field-send-value"), { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(sends()).toHaveLength(1));
    // While it is on its way the button is disabled and a second Ctrl+Enter does nothing.
    expect((screen.getByTestId("send-submit") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("send-status").dataset.state).toBe("sending");
    fireEvent.keyDown(screen.getByTestId("field-send-value"), { key: "Enter", ctrlKey: true });
    expect(sends()).toHaveLength(1);
    expect(sends()[0]!.args.input).toEqual({
      topic: "orders",
      partition: 2,
      key: null,
      value: "hello",
      value_format: "text",
      headers: [],
      timestamp_ms: new Date("2026-01-02T03:04:05").getTime(),
      acks: "leader",
      compression: "zstd",
    });
    answer(sendResult({ partition: 2, offset: 7, key_hash: null, key_partition: null }));
    expect((await screen.findByTestId("result-partition")).textContent).toBe("2");
    expect(screen.getByTestId("result-why").textContent).toContain("Partition 2 was chosen");
    expect((screen.getByTestId("send-submit") as HTMLButtonElement).disabled).toBe(false);
  });

  it("shows acks=0's missing offset and a LogAppendTime timestamp for what they are", async () => {
    backend({ ...base, send_record: () => sendResult({ offset: -1, timestamp_type: "LogAppendTime", key_hash: null, key_partition: null }) });
    await openOrders();
    type("field-send-value", "x");
    fireEvent.change(screen.getByTestId("field-send-acks"), { target: { value: "none" } });
    fireEvent.click(screen.getByTestId("send-submit"));
    expect((await screen.findByTestId("result-offset")).textContent).toBe("—");
    expect(screen.getByTestId("send-result").textContent).toContain("acks=0");
    expect(screen.getByTestId("result-timestamp-type").textContent).toContain("LogAppendTime (set by the broker)");
    expect(screen.getByTestId("result-why").textContent).toContain("No key");
  });

  it("checks JSON as it is typed, pretty-prints it, and shows the backend's field errors next to the fields", async () => {
    let attempt = 0;
    backend({
      ...base,
      send_record: () => {
        attempt++;
        if (attempt === 1)
          throw {
            code: "VALIDATION",
            message: "Some fields need attention.",
            fields: { value: "Not valid JSON: trailing comma at line 1 column 9.", partition: "A partition is a whole number, 0 or more.", headers: "Header 1 needs a name." },
          };
        throw { code: "KAFKA_PARTITION_INVALID", message: "Partition 9 does not exist: “orders” has 6 partitions." };
      },
    });
    await openOrders();
    fireEvent.click(screen.getByTestId("send-format-json"));
    type("field-send-value", '{"a": 1,}');
    expect(screen.getByTestId("send-json-status").dataset.valid).toBe("false");
    expect(screen.getByTestId("send-json-status").textContent).toContain("Not valid JSON: trailing comma at line 1 column 9");
    expect((screen.getByTestId("send-pretty") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("send-partition-explicit"));
    type("field-send-partition", "-1");
    fireEvent.click(screen.getByTestId("send-header-add"));
    type("send-header-value-0", "v");
    fireEvent.click(screen.getByTestId("send-submit"));
    expect((await screen.findByTestId("error-send-value")).textContent).toBe("Not valid JSON: trailing comma at line 1 column 9.");
    expect(screen.getByTestId("error-send-partition").textContent).toContain("whole number");
    expect(screen.getByTestId("error-send-headers").textContent).toBe("Header 1 needs a name.");
    expect(screen.getByTestId("field-send-value").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("send-status").dataset.state).toBe("invalid");
    expect(screen.queryByTestId("send-result")).toBeNull();
    expect(shownError.value).toBeNull();

    // Typing clears the value's error; valid JSON can be pretty-printed.
    type("field-send-value", '{"a":1,"b":[1,2]}');
    expect(screen.queryByTestId("error-send-value")).toBeNull();
    fireEvent.click(screen.getByTestId("send-pretty"));
    expect((screen.getByTestId("field-send-value") as HTMLTextAreaElement).value).toBe('{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');

    // The cluster's own refusal of the partition lands at the partition too.
    type("field-send-partition", "9");
    fireEvent.click(screen.getByTestId("send-submit"));
    await waitFor(() => expect(screen.getByTestId("error-send-partition").textContent).toContain("has 6 partitions"));
  });

  it("refuses an explicit partition left empty without asking the backend", async () => {
    backend({ ...base, send_record: () => sendResult() });
    await openOrders();
    fireEvent.click(screen.getByTestId("send-partition-explicit"));
    type("field-send-partition", "");
    fireEvent.click(screen.getByTestId("send-submit"));
    expect((await screen.findByTestId("error-send-partition")).textContent).toContain("Type a partition number");
    expect(sends()).toHaveLength(0);
  });

  it("says clearly, at the topic, that the topic is gone", async () => {
    backend({ ...base, send_record: () => Promise.reject({ code: "KAFKA_TOPIC_MISSING", message: "The topic “orders” does not exist on this cluster." }) });
    await openOrders();
    type("field-send-value", "x");
    fireEvent.click(screen.getByTestId("send-submit"));
    // The code's words in the UI's language, then the backend's own.
    expect((await screen.findByTestId("error-send-topic")).textContent).toBe("The topic “orders” isn't on the cluster. (The topic “orders” does not exist on this cluster.)");
    expect(screen.getByTestId("send-status").dataset.state).toBe("invalid");
    expect(shownError.value).toBeNull();
  });

  it("shows other Kafka failures inline with advice", async () => {
    backend({ ...base, send_record: () => Promise.reject({ code: "KAFKA_TIMEOUT", message: "The cluster did not answer within 15 s.", detail: "Local: Message timed out" }) });
    await openOrders();
    fireEvent.click(screen.getByTestId("send-submit"));
    const f = await screen.findByTestId("send-failure");
    expect(f.dataset.code).toBe("KAFKA_TIMEOUT");
    expect(f.textContent).toContain("did not answer within 15 s");
    expect(f.textContent).toContain("Local: Message timed out");
    expect(f.textContent).toContain("Try again");
  });

  it("leads to API keys when the cluster has no stored key (listing topics or sending)", async () => {
    backend({ ...base, list_topics: () => Promise.reject({ code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders-cluster”." }) });
    render(<Send />);
    const card = await screen.findByTestId("send-topics-error");
    expect(card.dataset.code).toBe("CLUSTER_KEY_MISSING");
    expect(card.textContent).toContain("no API key");
    fireEvent.click(screen.getByTestId("send-topics-error-create-key"));
    expect(section.value).toBe("api-keys");
    expect(keyFor.value).toEqual({ conn: "sandbox", envId: "env-1", clusterId: "lkc-1" });
  });

  it("offers the API key form when a send finds no key", async () => {
    backend({ ...base, send_record: () => Promise.reject({ code: "CLUSTER_KEY_MISSING", message: "Gureum has no API key for “orders-cluster”." }) });
    await openOrders();
    fireEvent.click(screen.getByTestId("send-submit"));
    fireEvent.click(await screen.findByTestId("send-failure-create-key"));
    expect(section.value).toBe("api-keys");
    expect(keyFor.value).toEqual({ conn: "sandbox", envId: "env-1", clusterId: "lkc-1" });
  });

  it("sends through Kafka REST v3 on request and compares the two latencies", async () => {
    backend({
      ...base,
      send_record: () => sendResult({ latency_ms: 1.5 }),
      send_record_rest: () => sendResult({ latency_ms: 48, via: "rest", offset: 42 }),
    });
    await openOrders();
    type("field-send-value", "x");
    fireEvent.click(screen.getByTestId("send-path-rest"));
    fireEvent.click(screen.getByTestId("send-submit"));
    await waitFor(() => expect(screen.getByTestId("send-result").dataset.via).toBe("rest"));
    expect(sends().map((c) => c.cmd)).toEqual(["send_record_rest"]);
    expect(screen.queryByTestId("latency-compare")).toBeNull();
    fireEvent.click(screen.getByTestId("send-path-kafka"));
    fireEvent.click(screen.getByTestId("send-submit"));
    await waitFor(() => expect(screen.getByTestId("send-result").dataset.via).toBe("kafka"));
    const compare = screen.getByTestId("latency-compare");
    expect(within(compare).getByTestId("compare-kafka").textContent).toContain("1.50 ms");
    expect(within(compare).getByTestId("compare-rest").textContent).toContain("48.0 ms");
  });
});

describe("Send: history and templates", () => {
  it("keeps what was sent (also in localStorage) and re-sends it as it was", async () => {
    let offset = 40;
    backend({ ...base, send_record: () => sendResult({ offset: ++offset }) });
    await openOrders();
    type("field-send-key", "k1");
    type("field-send-value", "first");
    fireEvent.click(screen.getByTestId("send-submit"));
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(1));
    const stored = JSON.parse(localStorage.getItem(HISTORY_KEY)!);
    expect(stored).toHaveLength(1);
    expect(stored[0].input).toMatchObject({ topic: "orders", key: "k1", value: "first" });
    expect(stored[0].result.offset).toBe(41);

    type("field-send-value", "changed since");
    fireEvent.click(screen.getAllByTestId("history-resend")[0]!);
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(2));
    expect(sends()[1]!.args.input).toEqual(sends()[0]!.args.input);
    expect(screen.getAllByTestId("history-row").map((r) => r.dataset.offset)).toEqual(["42", "41"]);
    expect(screen.getByTestId("result-offset").textContent).toBe("42");

    // Edit puts it back into the form.
    fireEvent.click(screen.getAllByTestId("history-edit")[1]!);
    expect((screen.getByTestId("field-send-value") as HTMLTextAreaElement).value).toBe("first");
    fireEvent.click(screen.getByTestId("history-clear"));
    expect(screen.queryAllByTestId("history-row")).toHaveLength(0);
    expect(JSON.parse(localStorage.getItem(HISTORY_KEY)!)).toEqual([]);
  });

  it("saves the form as a named template, loads it back and deletes it after confirmation", async () => {
    backend({ ...base });
    await openOrders();
    type("field-send-key", "user-1");
    fireEvent.click(screen.getByTestId("send-format-json"));
    type("field-send-value", '{"kind": "created"}');
    fireEvent.click(screen.getByTestId("template-save"));
    expect(screen.getByTestId("error-template-name").textContent).toContain("name");
    type("template-name", "order created");
    fireEvent.click(screen.getByTestId("template-save"));
    expect(screen.getAllByTestId("template-row").map((r) => r.dataset.name)).toEqual(["order created"]);
    expect(JSON.parse(localStorage.getItem(TEMPLATES_KEY)!)[0]).toMatchObject({ name: "order created", topic: "orders", draft: { key: "user-1", format: "json" } });

    // Somewhere else, with other values…
    fireEvent.change(screen.getByTestId("field-send-topic"), { target: { value: "audit" } });
    fireEvent.click(screen.getByTestId("send-format-text"));
    type("field-send-key", "");
    type("field-send-value", "other");
    fireEvent.click(screen.getByTestId("template-load"));
    expect((screen.getByTestId("field-send-key") as HTMLInputElement).value).toBe("user-1");
    expect((screen.getByTestId("field-send-value") as HTMLTextAreaElement).value).toBe('{"kind": "created"}');
    expect(screen.getByTestId("send-format-json").getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByTestId("field-send-topic") as HTMLSelectElement).value).toBe("orders");

    fireEvent.click(screen.getByTestId("template-delete"));
    expect(screen.getByTestId("confirm-dialog").textContent).toContain("order created");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.getAllByTestId("template-row")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("template-delete"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    expect(screen.queryAllByTestId("template-row")).toHaveLength(0);
    expect(JSON.parse(localStorage.getItem(TEMPLATES_KEY)!)).toEqual([]);
  });
});

describe("Send: a plain Kafka connection", () => {
  it("lists topics from the cluster's metadata, without environments, and sends over the Kafka protocol only", async () => {
    connections.value = [
      { id: "k1", name: "local", endpoint: { kind: "kafka", bootstrap_servers: "localhost:9092", security_protocol: "PLAINTEXT", sasl_mechanism: "PLAIN", sasl_username: "", ssl_ca_location: "" } },
    ];
    activeConnectionId.value = "k1";
    const kafkaTarget = { connection_id: "k1", environment_id: "", cluster_id: "" };
    backend({
      list_kafka_topics: () => [{ name: "events", partitions: 3 }],
      start_tail: () => null,
      stop_tail: () => null,
      send_record: () => sendResult({ topic: "events", partitions: 3, partition: 1, key_hash: null, key_partition: null }),
    });
    render(<Send />);
    expect((await screen.findByTestId("field-send-topic")).textContent).toContain("events (3 partitions)");
    expect(calls.find((c) => c.cmd === "list_kafka_topics")?.args).toEqual({ target: kafkaTarget });
    expect(calls.some((c) => c.cmd === "list_environments" || c.cmd === "list_topics")).toBe(false);
    expect(screen.queryByTestId("cluster-picker")).toBeNull();
    expect(screen.queryByTestId("send-path-rest")).toBeNull();
    type("field-send-value", "hi");
    fireEvent.click(screen.getByTestId("send-submit"));
    expect((await screen.findByTestId("result-partition")).textContent).toBe("1");
    expect(sends()[0]!.args.target).toEqual(kafkaTarget);
    expect(within(screen.getByTestId("result-partitions")).getAllByTestId("partition-cell")).toHaveLength(3);
  });
});

describe("Send: helpers", () => {
  it("turns a draft into the backend's input and explains bad JSON with a line and column", () => {
    const d = { ...emptyDraft(), key: "", value: "v", headers: [{ name: "", value: "" }, { name: "a", value: "" }] };
    expect(toInput("t", d)).toMatchObject({ key: null, partition: null, headers: [{ name: "a", value: "" }], timestamp_ms: null });
    expect(toInput("t", { ...d, partitionMode: "explicit", partition: "4" }).partition).toBe(4);
    expect(jsonProblem('{"a": 1}')).toBeNull();
    expect(jsonProblem("  ")).toBe("");
    expect(jsonProblem('{\n  "a": 1,\n}')).toBe("trailing comma at line 3 column 1");
    expect(jsonProblem("{'a': 1}")).toBe("expected a property name in double quotes at line 1 column 2");
    expect(jsonProblem("[1 2]")).toBe("expected `,` or `]` at line 1 column 4");
    expect(jsonProblem('{"a": }')).toBe("expected value at line 1 column 7");
    expect(jsonProblem('{"a": 1')).toBe("EOF while parsing an object at line 1 column 8");
    expect(jsonProblem('"tab\there"')).toMatch(/^control character in a string .* at line 1 column 5$/);
    expect(jsonProblem("01")).toBe("trailing characters at line 1 column 2");
    expect(jsonProblem('{"a": [1, {"b": "\\u00e9"}], "c": -1.5e3, "d": null}')).toBeNull();
  });
});
