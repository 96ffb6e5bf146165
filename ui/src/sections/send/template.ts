// A preview of the bulk templates, rendered here for record #0 the way the backend renders every
// record (src-tauri/kafka/src/template.rs). The backend parses them again and has the last word.

export const PLACEHOLDERS = ["{{seq}}", "{{uuid}}", "{{now}}", "{{now_iso}}", "{{int 1 100}}", "{{float 0 1}}", "{{pick a|b|c}}", "{{string 8}}", "{{bool}}"] as const;

export type Rendered = { ok: true; text: string } | { ok: false; error: string };

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function uuid(): string {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
    const r = Math.floor(Math.random() * 16);
    return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function one(body: string, at: number, seq: number, now: number): string {
  const trimmed = body.trim();
  const [name = "", ...args] = trimmed.split(/\s+/);
  const wrong = (how: string) => new Error(`{{${trimmed}}} at character ${at}: ${how}`);
  const bounds = (): [number, number] => {
    if (args.length !== 2) throw wrong(`give two bounds, e.g. {{${name} 1 100}}`);
    const [a, b] = args.map(Number) as [number, number];
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw wrong("the bounds must be numbers");
    if (a > b) throw wrong("the first bound must not be larger than the second");
    return [a, b];
  };
  const none = (v: string) => {
    if (args.length) throw wrong("takes no arguments");
    return v;
  };
  switch (name) {
    case "seq":
      return none(String(seq));
    case "uuid":
      return none(uuid());
    case "now":
      return none(String(now));
    case "now_iso":
      return none(new Date(now).toISOString());
    case "bool":
      return none(Math.random() < 0.5 ? "true" : "false");
    case "int": {
      const [a, b] = bounds();
      if (!Number.isInteger(a) || !Number.isInteger(b)) throw wrong("int bounds must be whole numbers");
      return String(a + Math.floor(Math.random() * (b - a + 1)));
    }
    case "float": {
      const [a, b] = bounds();
      return (a + Math.random() * (b - a)).toFixed(2);
    }
    case "pick": {
      const rest = trimmed.slice(4).trim();
      const words = rest.split("|").map((w) => w.trim());
      if (!rest || words.some((w) => !w)) throw wrong("list the choices, e.g. {{pick red|green|blue}}");
      return words[Math.floor(Math.random() * words.length)]!;
    }
    case "string": {
      const n = args.length === 1 ? Number(args[0]) : Number.NaN;
      if (args.length !== 1) throw wrong("give a length, e.g. {{string 8}}");
      if (!Number.isInteger(n) || n < 1 || n > 10000) throw wrong("the length must be from 1 to 10000");
      let s = "";
      for (let i = 0; i < n; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
      return s;
    }
    default:
      throw new Error(`Unknown placeholder {{${trimmed}}} at character ${at}.`);
  }
}

/** Renders `text` as record number `seq` would be. */
export function renderTemplate(text: string, seq = 0, now = Date.now()): Rendered {
  let out = "";
  let rest = text;
  let offset = 0;
  try {
    for (;;) {
      const open = rest.indexOf("{{");
      if (open < 0) break;
      out += rest.slice(0, open);
      const after = rest.slice(open + 2);
      const close = after.indexOf("}}");
      if (close < 0) throw new Error(`The placeholder opened at character ${offset + open + 1} is not closed with }}.`);
      out += one(after.slice(0, close), offset + open + 1, seq, now);
      const consumed = open + 2 + close + 2;
      offset += consumed;
      rest = rest.slice(consumed);
    }
    return { ok: true, text: out + rest };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
