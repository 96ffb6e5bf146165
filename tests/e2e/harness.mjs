// Reusable real-window harness: starts the built Gureum under tauri-driver (WebKitWebDriver) with a
// fresh profile, and gives tests small helpers to click, type, read and take screenshots.
// Run inside Xvfb and a keyring session (see tests/run.sh).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../..");
export const APP_BINARY = process.env.GUREUM_APP ?? path.join(ROOT, "target/release/gureum");
export const SCREENSHOTS = path.join(here, "screenshots");
const IDENTIFIER = JSON.parse(readFileSync(path.join(ROOT, "tauri.conf.json"), "utf8")).identifier;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitForPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, "127.0.0.1", () => (c.end(), r(true)));
      c.on("error", () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

const sel = (testid) => `[data-testid="${testid}"]`;

export class App {
  /**
   * Starts the app with an empty profile (its own XDG config/data dirs), or with `profile` (a
   * previous run's, to see what a restart keeps). `env` is added to the app's environment.
   */
  static async start({ profile, env: extraEnv = {} } = {}) {
    if (!existsSync(APP_BINARY)) throw new Error(`no app at ${APP_BINARY}: build it first (tests/run.sh does)`);
    profile ??= mkdtempSync(path.join(os.tmpdir(), "gureum-e2e-"));
    const env = {
      ...process.env,
      ...extraEnv,
      XDG_CONFIG_HOME: path.join(profile, "config"),
      XDG_CACHE_HOME: path.join(profile, "cache"),
      XDG_DATA_HOME: path.join(profile, "data"),
      GUREUM_PROFILE: profile,
    };
    const port = await freePort();
    const nativePort = await freePort();
    const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    // A driver that can't start (not on PATH, crashed) says so, instead of a port timeout.
    const failed = new Promise((_, reject) => {
      driver.once("error", (e) => reject(new Error(`tauri-driver did not start: ${e.message} (tests/run.sh puts it on PATH)`)));
      driver.once("exit", (code, sig) => reject(new Error(`tauri-driver exited at start (${code ?? sig})`)));
    });
    await Promise.race([waitForPort(port, 10_000), failed]);
    driver.removeAllListeners("exit");
    failed.catch(() => {});
    const browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "warn",
      capabilities: {
        browserName: "wry",
        "tauri:options": { application: APP_BINARY },
        "wdio:enforceWebDriverClassic": true,
      },
    });
    const app = new App(browser, driver, profile);
    await app.waitFor("section-title");
    return app;
  }

  constructor(browser, driver, profile) {
    this.browser = browser;
    this.driver = driver;
    this.profile = profile;
    /** Where the app keeps its non-secret settings for this run. */
    this.configDir = path.join(profile, "config", IDENTIFIER);
  }

  $(testid) {
    return this.browser.$(sel(testid));
  }
  /** An element inside a list row, e.g. within("connection-row", {name: "x"}, "remove"). */
  async within(rowTestid, attrs, testid) {
    const a = Object.entries(attrs).map(([k, v]) => `[data-${k}="${v}"]`).join("");
    return this.browser.$(`${sel(rowTestid)}${a} ${sel(testid)}`);
  }
  async waitFor(testid, timeout = 10_000) {
    const el = await this.$(testid);
    try {
      await el.waitForDisplayed({ timeout });
    } catch (e) {
      // CI shows only the error: put what the window showed into it, and keep a screenshot.
      e.message += `\n${await this.pageState(`missing-${testid}`)}`;
      throw e;
    }
    return el;
  }
  /** What the window shows right now, in a few lines: for failure messages. */
  async pageState(shot) {
    try {
      if (shot) await this.screenshot(`failure-${shot}`).catch(() => {});
      const s = await this.browser.execute(() => {
        const text = (q) => document.querySelector(q)?.textContent?.trim().replace(/\s+/g, " ").slice(0, 300) ?? null;
        const ids = (q) => [...document.querySelectorAll(q)].map((e) => e.getAttribute("data-testid"));
        return {
          section: text('[data-testid="section-title"]'),
          error: text('[data-testid="error-banner"]'),
          notice: text('[data-testid="notice"]'),
          forms: ids("form[data-testid]"),
          disabled: ids("button[disabled][data-testid]"),
          dialogs: ids("dialog[open], [role=dialog]"),
          focus: document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null,
          main: text("main"),
        };
      });
      return `window: ${JSON.stringify(s)}`;
    } catch (e) {
      return `window state unavailable: ${e.message}`;
    }
  }
  async waitGone(testid, timeout = 10_000) {
    await (await this.$(testid)).waitForExist({ timeout, reverse: true });
  }
  async click(testid) {
    await (await this.waitFor(testid)).click();
  }
  async type(testid, text) {
    const el = await this.waitFor(testid);
    await el.clearValue();
    if (text !== "") await el.setValue(text);
  }
  async select(testid, value) {
    await (await this.waitFor(testid)).selectByAttribute("value", value);
  }
  async text(testid) {
    return (await this.waitFor(testid)).getText();
  }
  async exists(testid) {
    return (await this.$(testid)).isExisting();
  }
  /** Saves a PNG of the window into tests/e2e/screenshots/ (the README shows them). */
  async screenshot(name) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.browser.saveScreenshot(path.join(SCREENSHOTS, `${name}.png`));
  }
  /** On the Clusters screen, once the sandbox is up: creates an environment and picks it. */
  async newEnvironment(name) {
    await this.click("nav-clusters");
    await this.waitFor("new-env", 60_000);
    await this.click("new-env");
    await this.type("env-name", name);
    await this.click("env-save");
    await this.waitGone("env-form");
  }
  /** Waits until the (only) cluster row of the list says PROVISIONED. */
  async waitProvisioned(timeout = 90_000) {
    const phase = await this.browser.$('[data-testid="cluster-phase"]');
    await this.browser.waitUntil(async () => (await phase.getAttribute("data-phase")) === "PROVISIONED", {
      timeout,
      interval: 250,
      timeoutMsg: "the cluster did not become PROVISIONED",
    });
  }
  /**
   * Sets up, through the same commands the window uses, what a data-plane test needs on the
   * sandbox: an environment, a Standard cluster (provisioned), an API key of the cluster owned by
   * my account (full access, as Confluent's quick start makes one; a service account's key would
   * need ACLs) kept in the keyring and accepted by the cluster, and `topics`.
   * Returns {env, cluster, keyId, me}.
   */
  async clusterWithKey(envName, clusterName, topics = []) {
    await this.waitFor("section-title");
    const ok = async (cmd, args) => {
      const r = await this.invoke(cmd, args);
      if (r.err) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`);
      return r.ok;
    };
    const conn = { connectionId: "sandbox" };
    let env;
    for (let i = 0; ; i++) {
      const r = await this.invoke("create_environment", { ...conn, displayName: envName });
      if (r.ok) {
        env = r.ok;
        break;
      }
      // The sandbox may still be starting with the window.
      if (r.err?.code !== "SANDBOX_NOT_READY" || i > 120) throw new Error(`create_environment: ${JSON.stringify(r.err)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    let cluster = await ok("create_cluster", {
      ...conn,
      input: { environment_id: env.id, name: clusterName, type: "Standard", cku: null, cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE" },
    });
    const deadline = Date.now() + 90_000;
    while (cluster.phase !== "PROVISIONED") {
      if (Date.now() > deadline) throw new Error(`cluster ${cluster.id} not provisioned`);
      await new Promise((res) => setTimeout(res, 250));
      cluster = await ok("get_cluster", { ...conn, environmentId: env.id, clusterId: cluster.id });
    }
    const me = await ok("my_account", conn);
    const created = await ok("create_api_key", {
      ...conn,
      input: { owner_id: me.id, cluster_id: cluster.id, environment_id: env.id, name: `${clusterName} key`, description: "e2e", acls: [] },
    });
    const keyId = created.key.id;
    await ok("wait_for_api_key", { ...conn, environmentId: env.id, clusterId: cluster.id, keyId, probeTopic: null });
    for (const t of topics) {
      await ok("create_topic", { ...conn, environmentId: env.id, clusterId: cluster.id, input: { name: t.name, partitions: t.partitions, configs: t.configs ?? [] } });
    }
    return { env, cluster, keyId, me };
  }
  /** Calls a backend command the way the window does (for state the UI can't reach directly). */
  async invoke(cmd, args = {}) {
    return this.browser.executeAsync(
      (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ ok: v }), (e) => done({ err: e })),
      cmd,
      args,
    );
  }
  /** The textContent of an element (getText is "" for clipped text in WebKitWebDriver). */
  async content(testid) {
    return (await this.waitFor(testid)).getProperty("textContent");
  }
  /** Resolves once the window's localStorage, as WebKit keeps it under the profile's data folder,
   * holds `text` (WebKit writes it to disk in batches, so a restart right after a change can lose
   * it: await this instead of sleeping). Values are stored as UTF-16, so both spellings count. */
  async untilStoredLocally(text, timeout = 10_000) {
    const needles = [Buffer.from(text, "latin1"), Buffer.from(text, "utf16le")];
    const walk = (d) =>
      existsSync(d)
        ? readdirSync(d).flatMap((f) => {
            const p = path.join(d, f);
            return statSync(p).isDirectory() ? walk(p) : /localstorage/i.test(p) ? [p] : [];
          })
        : [];
    const stored = () =>
      walk(path.join(this.profile, "data")).some((p) => {
        const bytes = readFileSync(p);
        return needles.some((n) => bytes.includes(n));
      });
    const end = Date.now() + timeout;
    while (!stored()) {
      if (Date.now() > end) throw new Error(`localStorage never held ${JSON.stringify(text)} on disk within ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** Every file under the app's config dir, as text: for "no secret on disk" checks. */
  configText() {
    const walk = (d) =>
      existsSync(d)
        ? readdirSync(d).flatMap((f) => {
            const p = path.join(d, f);
            return statSync(p).isDirectory() ? walk(p) : [readFileSync(p, "latin1")];
          })
        : [];
    return walk(path.join(this.profile, "config")).join("\n");
  }
  async stop() {
    try {
      await this.browser.deleteSession();
    } finally {
      this.driver.kill("SIGTERM");
      // Ending the WebDriver session leaves the app's window open (measured: still running
      // minutes later, with its sandbox and brokers): end it, so runs don't pile up processes
      // and the same profile can start again at once.
      await this.exited();
    }
  }
  /** Ends what is left of this run (the app and its brokers: the processes started with this
   * profile) and resolves once they are gone: SIGTERM, then SIGKILL after `timeout` ms. */
  async exited(timeout = 10_000) {
    const mine = () =>
      readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/environ`, "latin1").split("\0").includes(`GUREUM_PROFILE=${this.profile}`);
          } catch {
            return false;
          }
        })
        .map(Number);
    const signal = (pids, sig) => pids.forEach((p) => { try { process.kill(p, sig); } catch {} });
    signal(mine(), "SIGTERM");
    const end = Date.now() + timeout;
    while (mine().length) {
      if (Date.now() > end) signal(mine(), "SIGKILL");
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** What the OS keyring holds for one of Gureum's accounts, or null (looked up as any app would). */
export function keyringLookup(account) {
  try {
    return execFileSync("secret-tool", ["lookup", "service", "gureum", "username", account], { encoding: "utf8" });
  } catch {
    return null;
  }
}

/** The secret the OS keyring holds for a connection, or null. */
export function keyringSecret(connectionId) {
  return keyringLookup(`connection/${connectionId}`);
}
