// The Send section's data: the form's draft and how it becomes the backend's SendInput, plus the
// small pure helpers (JSON check, times, sizes, ids) the panels share.
import type { Acks, Compression, HeaderInput, SendInput_Deserialize as SendInput, Target, ValueFormat } from "../../bindings";

export type { Acks, Compression, HeaderInput, SendInput, Target, ValueFormat };

/** A topic as the pickers show it. */
export interface TopicInfo {
  name: string;
  partitions: number;
}

/** "kafka": rdkafka over the Kafka protocol; "rest": Kafka REST v3 (sandbox / Confluent only). */
export type SendPath = "kafka" | "rest";

export const ACKS: readonly Acks[] = ["all", "leader", "none"];
export const COMPRESSIONS: readonly Compression[] = ["none", "gzip", "snappy", "lz4", "zstd"];

/** The Send form as typed (strings where the user types numbers and times). */
export interface Draft {
  partitionMode: "auto" | "explicit";
  partition: string;
  key: string;
  value: string;
  format: ValueFormat;
  headers: HeaderInput[];
  /** A datetime-local value; "" = now. */
  timestamp: string;
  acks: Acks;
  compression: Compression;
}

export function emptyDraft(): Draft {
  return { partitionMode: "auto", partition: "0", key: "", value: "", format: "text", headers: [], timestamp: "", acks: "all", compression: "none" };
}

export function targetKey(t: Target): string {
  return `${t.connection_id}/${t.environment_id}/${t.cluster_id}`;
}

export function sameTarget(a: Target, b: Target): boolean {
  return a.connection_id === b.connection_id && a.environment_id === b.environment_id && a.cluster_id === b.cluster_id;
}

/** Why the draft can't be sent as it stands (checked before asking the backend), by field. */
export function localProblems(d: Draft): Record<string, "partitionMissing" | "timestampInvalid"> {
  const out: Record<string, "partitionMissing" | "timestampInvalid"> = {};
  if (d.partitionMode === "explicit" && d.partition.trim() === "") out.partition = "partitionMissing";
  if (d.timestamp && !Number.isFinite(new Date(d.timestamp).getTime())) out.timestamp = "timestampInvalid";
  return out;
}

/** The backend's input for a draft (the backend checks it again and has the last word). */
export function toInput(topic: string, d: Draft): SendInput {
  return {
    topic,
    partition: d.partitionMode === "auto" ? null : Number(d.partition),
    key: d.key === "" ? null : d.key,
    value: d.value,
    value_format: d.format,
    headers: d.headers.filter((h) => h.name !== "" || h.value !== ""),
    timestamp_ms: d.timestamp ? new Date(d.timestamp).getTime() : null,
    acks: d.acks,
    compression: d.compression,
  };
}

/** Back from an input (history, templates) to a draft. */
export function fromInput(i: SendInput): Draft {
  return {
    partitionMode: i.partition == null ? "auto" : "explicit",
    partition: i.partition == null ? "0" : String(i.partition),
    key: i.key ?? "",
    value: i.value,
    format: i.value_format,
    headers: (i.headers ?? []).map((h) => ({ ...h })),
    timestamp: i.timestamp_ms == null ? "" : toLocalInput(i.timestamp_ms),
    acks: i.acks,
    compression: i.compression,
  };
}

/** ms since the epoch → a datetime-local value (local time, to the second). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Why `text` is not JSON, as "what at line L column C" (the backend's wording), "" for blank text,
 * or null if it parses. JSON.parse decides; a small strict scanner then finds the place and names
 * the problem, since engines differ (WebKit's message has no position at all).
 */
export function jsonProblem(text: string): string | null {
  if (text.trim() === "") return "";
  try {
    JSON.parse(text);
    return null;
  } catch {
    const at = locateJsonError(text);
    const before = text.slice(0, at.index);
    const line = before.split("\n").length;
    const column = at.index - before.lastIndexOf("\n");
    return `${at.what} at line ${line} column ${column}`;
  }
}

class JsonStop {
  constructor(
    readonly what: string,
    readonly index: number,
  ) {}
}

/** Scans JSON strictly (RFC 8259) and reports the first problem and where it is. */
function locateJsonError(text: string): JsonStop {
  let i = 0;
  const stop = (what: string, at = i): never => {
    throw new JsonStop(what, at);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else stop(`expected ${word}`);
  };
  const number = () => {
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const found = m.exec(text);
    if (!found || found[0] === "-" || found[0].length === 0) stop("invalid number");
    i += found![0].length;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) stop("unterminated string");
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop("invalid \\u escape");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else stop("invalid escape");
        continue;
      }
      if (c.charCodeAt(0) < 0x20) stop("control character in a string (write it as \\n, \\t, …)");
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) stop("EOF while parsing a value");
    else if (c === "{") container("}", true);
    else if (c === "[") container("]", false);
    else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else if (c === "-" || (c >= "0" && c <= "9")) number();
    else if (c === "'") stop("strings need double quotes");
    else stop("expected value");
  };
  const container = (close: string, object: boolean) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (object) {
        ws();
        if (text[i] !== '"') stop(text[i] === undefined ? "EOF while parsing an object" : "expected a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") stop("expected `:` after the property name");
        i++;
      }
      value();
      ws();
      const c = text[i];
      if (c === ",") {
        i++;
        ws();
        if (text[i] === close) stop("trailing comma");
        continue;
      }
      if (c === close) {
        i++;
        return;
      }
      stop(c === undefined ? `EOF while parsing ${object ? "an object" : "a list"}` : `expected \`,\` or \`${close}\``);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) stop("trailing characters");
    return new JsonStop("invalid JSON", 0);
  } catch (e) {
    if (e instanceof JsonStop) return e;
    throw e;
  }
}

export function prettyJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** A fresh id for tails and bulk jobs. */
export function newId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `id-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// Formatters live in ../../format; re-exported for History.tsx, which another change is editing.
export { fmtMs, fmtTime } from "../../format";

/** Cuts long text for a one-line preview. */
export function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
