// Issue 4's bad-input catalogue for what isn't a topic form (those are in manage.test.mjs): cluster
// names, an unknown region, a wrong Cloud API secret, a cluster deleted meanwhile, the sandbox
// stopped (network down), and a server that never answers (timeout, window stays responsive).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";

import { App } from "./harness.mjs";

let app;
let silent;
before(async () => {
  app = await App.start();
  // Accepts connections and never answers: the "slow server".
  silent = net.createServer(() => {});
  await new Promise((r) => silent.listen(0, "127.0.0.1", r));
});
after(async () => {
  await app?.stop();
  silent?.close();
});

const banner = async (pattern, timeout = 20_000) => {
  const el = await app.waitFor("error-banner", timeout);
  await app.browser.waitUntil(async () => pattern.test(await el.getProperty("textContent")), { timeout, interval: 200, timeoutMsg: `banner never matched ${pattern}` });
  return el.getProperty("textContent");
};

async function addCloudConnection(name, url, secret) {
  await app.click("nav-settings");
  await app.click("add-connection");
  await app.type("field-name", name);
  await app.type("field-cloud_api_key", "WRONGKEY12345678");
  await app.type("field-secret", secret);
  await (await app.browser.$("details.advanced summary")).click();
  await app.type("field-cloud_api_url", url);
  await app.click("save-connection");
  await app.waitGone("save-connection");
}

test("cluster names and an unknown region are refused next to their fields", async () => {
  await app.newEnvironment("bad-input");
  await app.click("new-cluster");
  await app.click("cluster-save");
  assert.match(await app.content("error-cluster-name"), /Give the cluster a name/);
  // Confluent's limit is 64 characters; the field doesn't take more.
  await app.type("cluster-name", "n".repeat(80));
  assert.equal((await (await app.$("cluster-name")).getValue()).length, 64);

  await app.type("cluster-name", "somewhere");
  await app.select("cluster-region", "__other");
  await app.type("cluster-region-custom", "mars-north-1");
  await app.click("cluster-save");
  const err = await app.waitFor("error-cluster-region", 20_000);
  assert.match(await err.getProperty("textContent"), /mars-north-1/);
  await app.screenshot("bad-input-unknown-region");
});

test("a cluster deleted meanwhile is reported as gone, and the list refreshes", async () => {
  await app.select("cluster-region", "us-east-1");
  await app.type("cluster-name", "short-lived");
  await app.click("cluster-save");
  await app.waitGone("cluster-form", 30_000);
  const row = await app.browser.$('[data-testid="clusters-row"]');
  await row.waitForExist({ timeout: 10_000 });
  const id = await row.getAttribute("data-key");
  const envId = await (await app.$("env-select")).getValue();
  await row.click();
  await app.waitFor("cluster-details");
  // Someone else deletes it (the same command another window would use).
  const gone = await app.invoke("delete_cluster", { connectionId: "sandbox", environmentId: envId, clusterId: id });
  assert.ok(!gone.err, JSON.stringify(gone.err));
  await app.type("cluster-rename-input", "too-late");
  await app.click("cluster-rename-save");
  assert.match(await banner(/does not exist or was deleted/), /Refresh/);
  await app.browser.waitUntil(async () => !(await app.browser.$(`[data-testid="clusters-row"][data-key="${id}"]`).isExisting()), { timeout: 10_000 });
  await app.click("error-dismiss");
});

test("a wrong Cloud API secret says so, with the fix", async () => {
  const status = await app.invoke("sandbox_status");
  const url = status.ok.rest_url;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+/);
  await addCloudConnection("wrong secret", url, "definitely-not-the-secret");
  await app.select("active-connection", await lastOption());
  await app.click("nav-clusters");
  const text = await banner(/Cloud API key or secret is wrong/);
  assert.match(text, /Settings → Connections/);
  assert.match(text, /401/);
  await app.screenshot("bad-input-wrong-secret");
  await app.click("error-dismiss");
});

async function lastOption() {
  const options = await app.browser.$$('[data-testid="active-connection"] option');
  return options[options.length - 1].getAttribute("value");
}

test("a server that never answers times out with a message, and the window stays usable", async () => {
  await addCloudConnection("silent server", `http://127.0.0.1:${silent.address().port}`, "whatever");
  await app.select("active-connection", await lastOption());
  const started = Date.now();
  await app.click("nav-clusters");
  await app.waitFor("clusters-loading");
  // While the call hangs, the window answers at once.
  const t0 = Date.now();
  await app.click("nav-settings");
  assert.equal(await app.content("section-title"), "Settings");
  assert.ok(Date.now() - t0 < 2000, `navigation took ${Date.now() - t0} ms while a call was pending`);
  await app.click("nav-clusters");
  const text = await banner(/did not answer in time/, 40_000);
  assert.ok(Date.now() - started >= 14_000, "timed out before the client's 15 s timeout");
  assert.match(text, /try again/);
  await app.click("error-dismiss");
});

test("with the sandbox stopped (network down) the screens say so, and it comes back", async () => {
  await app.select("active-connection", "sandbox");
  await app.click("nav-settings");
  await app.click("sandbox-toggle");
  const toggle = await app.$("sandbox-toggle");
  await app.browser.waitUntil(async () => (await toggle.getAttribute("data-action")) === "start", { timeout: 30_000, interval: 200 });
  // Topics says it where the list would be (the one ErrorView), with the way to Settings.
  await app.click("nav-topics");
  const card = await app.waitFor("picker-error", 20_000);
  assert.equal(await card.getAttribute("data-code"), "SANDBOX_NOT_READY");
  assert.match(await card.getProperty("textContent"), /sandbox cloud is stopped/);
  assert.ok(await app.exists("picker-open-settings"));
  await app.screenshot("bad-input-sandbox-stopped");
  await app.click("nav-settings");
  await app.click("sandbox-toggle");
  // Running again: the button offers "stop" and is enabled (it is disabled while starting).
  await app.browser.waitUntil(async () => (await toggle.getAttribute("data-action")) === "stop" && (await toggle.isEnabled()), { timeout: 60_000, interval: 250 });
  await app.click("nav-clusters");
  // Same data after the restart: the environment made above is still there.
  await app.browser.waitUntil(async () => /bad-input/.test(await (await app.waitFor("env-select", 20_000)).getProperty("textContent")), { timeout: 20_000 });
});

test("in Korean, a form's problems from Rust are worded in Korean next to their fields", async () => {
  await app.click("nav-settings");
  await app.select("language", "ko");
  try {
    await app.click("add-connection");
    await app.type("field-name", "한국어 검사");
    await app.type("field-cloud_api_key", "has a space");
    await (await app.browser.$("details.advanced summary")).click();
    await app.type("field-cloud_api_url", "ftp://example.com");
    await app.click("save-connection");
    // Each text is Rust's problem code and values (connections::validate), worded by the window.
    const key = await app.waitFor("error-cloud_api_key", 20_000);
    assert.equal(await key.getProperty("textContent"), "Cloud API 키는 공백 없이 영문자와 숫자로 된 한 단어입니다.");
    assert.equal(await app.content("error-cloud_api_url"), "http:// 또는 https:// URL을 쓰세요(이 URL은 ftp://).");
    assert.equal(await app.content("error-secret"), "Cloud API 시크릿을 입력하세요. OS 키링에만 저장됩니다.");
    await app.screenshot("bad-input-korean-fields");
    await app.click("cancel-connection");
  } finally {
    await app.select("language", "en");
  }
});
