// A desktop without an OS keyring: the app runs on a session D-Bus where no Secret Service is
// running or can be started (as on a plain X session, XFCE or i3 without gnome-keyring). The
// window opens with the sandbox cloud running and a notice of what won't be kept; secrets live in
// memory only — none reaches the disk — and after a restart the sandbox has a new CA (the notice
// says clients must trust it), saved secrets are gone, and the sample re-issues its cluster key.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { App } from "./harness.mjs";

/** A session bus with no service files: asking for org.freedesktop.secrets gets ServiceUnknown. */
async function busWithoutKeyring() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gureum-nokeyring-bus-"));
  const conf = path.join(dir, "session.conf");
  writeFileSync(
    conf,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const daemon = spawn("dbus-daemon", ["--config-file", conf, "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "inherit"] });
  // Never what keeps this test process alive, whatever happens to the test.
  process.once("exit", () => daemon.kill());
  const address = await new Promise((resolve, reject) => {
    let out = "";
    daemon.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.trim());
    });
    daemon.once("error", reject);
    daemon.once("exit", (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
  return { address, daemon };
}

/** Every file under `dir`, as latin1 text. */
function allFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return [];
    return st.isDirectory() ? allFiles(p) : st.isFile() ? [{ path: p, text: readFileSync(p, "latin1") }] : [];
  });
}

const SECRET = "nokeyring-cloud-secret-0123456789";
let bus;
let app;
before(async () => {
  bus = await busWithoutKeyring();
  app = await App.start({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
});
after(async () => {
  try {
    await app?.stop();
  } finally {
    bus?.daemon.kill();
  }
});

test("without a keyring the window opens with the sandbox running and a notice of what won't be kept", async () => {
  const notice = await app.waitFor("secrets-notice", 20_000);
  assert.equal(await notice.getAttribute("data-in-memory"), "yes");
  assert.match(await app.content("secrets-notice"), /No OS keyring/);
  assert.match(await app.content("secrets-notice"), /gnome-keyring/);
  // The sandbox cloud runs: the welcome's sample can start.
  await app.browser.waitUntil(async () => (await app.$("sample-create")).isEnabled(), {
    timeout: 60_000,
    timeoutMsg: `the sandbox cloud did not start without a keyring\n${await app.pageState("no-keyring")}`,
  });
  await app.screenshot("no-keyring-en");
  await app.browser.execute(() => localStorage.setItem("gureum.lang", "ko"));
  await app.browser.refresh();
  await app.waitFor("secrets-notice", 20_000);
  assert.match(await app.content("secrets-notice"), /OS 키링 없음/);
  await app.screenshot("no-keyring-ko");
  await app.browser.execute(() => localStorage.removeItem("gureum.lang"));
  await app.browser.refresh();
  await app.waitFor("secrets-notice", 20_000);
  const info = await app.invoke("app_info");
  assert.match(info.ok.secret_store, /memory/);
});

test("secrets work for the session and never reach the disk", async () => {
  await app.browser.waitUntil(async () => (await app.$("sample-create")).isEnabled(), { timeout: 60_000 });
  await app.click("sample-create");
  await app.waitFor("sample-ready", 180_000);
  const saved = await app.invoke("save_connection", {
    input: {
      id: null,
      name: "org without keyring",
      endpoint: { kind: "confluent_cloud", cloud_api_key: "KEYNOKEYRING", cloud_api_url: "https://api.confluent.cloud", metrics_api_url: "https://api.telemetry.confluent.cloud" },
      secret: SECRET,
    },
  });
  assert.ok(saved.ok, JSON.stringify(saved.err));
  assert.equal((await app.invoke("connection_secret_state", { id: saved.ok.id })).ok, "stored");
  const files = allFiles(app.profile);
  for (const f of files) {
    assert.ok(!f.text.includes(SECRET), `the connection's secret is in ${f.path}`);
    assert.ok(!/PRIVATE KEY/.test(f.text), `a private key is in ${f.path}`);
  }
});

test("after a restart: a new sandbox CA (clients told to re-trust), saved secrets gone, the sample's key re-issued", async () => {
  const first = await app.invoke("create_sample");
  assert.ok(first.ok, JSON.stringify(first.err));
  const conns = (await app.invoke("list_connections")).ok;
  const org = conns.find((c) => c.name === "org without keyring");
  const profile = app.profile;
  await app.stop();
  app = await App.start({ profile, env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
  await app.waitFor("secrets-ca-renewed", 60_000);
  assert.match(await app.content("secrets-ca-renewed"), /ca\.pem/);
  // Still without a keyring, and saying so.
  await app.waitFor("secrets-notice-title");
  await app.screenshot("no-keyring-restart");
  assert.equal((await app.invoke("connection_secret_state", { id: org.id })).ok, "missing");
  // The cluster survived; its key's secret did not: the sample makes a new key and it works.
  const again = await app.invoke("create_sample");
  assert.ok(again.ok, JSON.stringify(again.err));
  assert.equal(again.ok.cluster_id, first.ok.cluster_id);
  assert.notEqual(again.ok.key_id, first.ok.key_id);
});
