// The shell in a real window: navigation, and a connection added, read back and removed with its
// secret going through the real OS keyring (gnome-keyring) and never into the config dir.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { App, keyringSecret } from "./harness.mjs";

let app;
before(async () => {
  app = await App.start();
});
after(async () => {
  await app?.stop();
});

/** Opens Settings and waits until it has loaded all it loads (the About card comes last), so a
 * form opened next does not race the page's own first render. */
async function openSettings() {
  await app.click("nav-settings");
  await app.waitFor("config-dir");
}

test("every section is reachable from the navigation", async () => {
  const sections = [
    ["clusters", "Clusters"],
    ["topics", "Topics"],
    ["api-keys", "API keys"],
    ["send", "Send"],
    ["metrics", "Metrics"],
    ["learn", "Learn"],
    ["settings", "Settings"],
  ];
  for (const [id, title] of sections) {
    await app.click(`nav-${id}`);
    await app.waitFor(`section-${id}`);
    assert.equal(await app.text("section-title"), title);
  }
  await app.click("nav-clusters");
  await app.waitFor("new-env", 30_000); // the screen has loaded the sandbox's environments
  await app.screenshot("shell-clusters");
});

test("the sandbox cloud is always there, starts with the app and can't be removed", async () => {
  await app.click("nav-settings");
  const row = await app.browser.$('[data-testid="connection-row"][data-id="sandbox"]');
  await row.waitForDisplayed();
  assert.equal(await (await row.$('[data-testid="remove"]')).isExisting(), false);
  const desc = await row.$('[data-testid="connection-desc"]');
  await app.browser.waitUntil(async () => /running at http:\/\/127\.0\.0\.1:\d+/.test(await desc.getProperty("textContent")), {
    timeout: 20_000,
    timeoutMsg: "the sandbox cloud did not report running",
  });
});

test("bad input gets a message next to the field and saves nothing", async () => {
  await openSettings();
  await app.click("add-connection");

  // Empty name and no secret.
  await app.type("field-cloud_api_key", "E2EKEY123");
  await app.click("save-connection");
  assert.match(await app.text("error-name"), /Give the connection a name/);
  assert.match(await app.text("error-secret"), /Cloud API secret/);

  // A bad URL (the advanced section opens to show it).
  await app.type("field-name", "bad url org");
  await app.type("field-secret", "x");
  await (await app.browser.$("details.advanced summary")).click();
  await app.type("field-cloud_api_url", "api.confluent.cloud");
  await app.click("save-connection");
  assert.match(await app.text("error-cloud_api_url"), /not a valid URL/);

  // Duplicate of the built-in sandbox's name.
  await app.type("field-cloud_api_url", "https://api.confluent.cloud");
  await app.type("field-name", "Sandbox cloud");
  await app.click("save-connection");
  assert.match(await app.text("error-name"), /already exists/);
  await app.screenshot("settings-form-errors");

  // A Kafka cluster whose bootstrap server has no port.
  await app.select("field-kind", "kafka");
  await app.type("field-name", "no port");
  await app.type("field-bootstrap_servers", "broker1");
  await app.select("field-security_protocol", "PLAINTEXT");
  await app.click("save-connection");
  assert.match(await app.text("error-bootstrap_servers"), /has no port; write it as host:port/);

  await app.click("cancel-connection");
  const names = await app.browser.$$('[data-testid="connection-name"]').map((e) => e.getText());
  assert.deepEqual(names, ["Sandbox cloud"], "nothing was saved");
  assert.equal(existsSync(path.join(app.configDir, "config.json")), false, "no config file written");
});

test("a connection is added, read back and removed; its secret lives only in the keyring", async () => {
  const secret = `e2e-secret-${process.pid}-${Date.now()}`;
  await openSettings();
  await app.click("add-connection");
  await app.type("field-name", "E2E org");
  await app.type("field-cloud_api_key", "E2EKEY123456");
  await app.type("field-secret", secret);
  await app.click("save-connection");
  await app.waitGone("connection-form");
  assert.match(await app.text("notice"), /Saved “E2E org”/);

  const row = await app.browser.$('[data-testid="connection-row"][data-name="E2E org"]');
  await row.waitForDisplayed();
  const id = await row.getAttribute("data-id");
  // (textContent: WebKitWebDriver's getText returns "" for this ellipsised, single-line cell.)
  assert.match(await (await row.$('[data-testid="connection-desc"]')).getProperty("textContent"), /^E2EKEY123456 · https:\/\/api\.confluent\.cloud$/);

  // The secret is in the OS keyring, and nowhere in the config dir.
  assert.equal(keyringSecret(id), secret);
  const config = readFileSync(path.join(app.configDir, "config.json"), "utf8");
  assert.match(config, /"E2E org"/);
  assert.ok(!app.configText().includes(secret), "secret found in the config dir");

  // Read back in the edit form; the secret stays hidden, its presence is reported.
  await (await row.$('[data-testid="edit"]')).click();
  assert.equal(await (await app.$("field-name")).getValue(), "E2E org");
  assert.equal(await (await app.$("field-cloud_api_key")).getValue(), "E2EKEY123456");
  assert.equal(await (await app.$("field-secret")).getValue(), "");
  await (await app.$("secret-state")).waitForDisplayed();
  assert.equal(await (await app.$("secret-state")).getAttribute("data-state"), "stored");
  await app.screenshot("settings-edit");
  await app.click("cancel-connection");

  // It shows up in the connection picker too.
  const options = await app.browser.$$('[data-testid="active-connection"] option').map((o) => o.getText());
  assert.ok(options.includes("E2E org"));

  // Remove: asks first, then deletes the settings and the keyring entry.
  await (await row.$('[data-testid="remove"]')).click();
  await app.waitFor("confirm-dialog");
  await app.screenshot("settings-confirm-remove");
  await app.click("confirm-ok");
  await row.waitForExist({ reverse: true, timeout: 10_000 });
  assert.equal(keyringSecret(id), null, "secret left in the keyring");
  assert.ok(!readFileSync(path.join(app.configDir, "config.json"), "utf8").includes("E2E org"));
});

test("light and dark themes: the OS by default, or the choice in Settings", async () => {
  const background = () => app.browser.execute(() => getComputedStyle(document.body).backgroundColor);
  await app.click("nav-settings");
  await app.select("theme", "dark");
  assert.equal(await background(), "rgb(18, 21, 29)");
  await app.screenshot("settings-dark");
  await app.select("theme", "light");
  assert.equal(await background(), "rgb(246, 247, 251)");
  await app.select("theme", "system");
  assert.equal(await app.browser.execute(() => document.documentElement.dataset.theme ?? "none"), "none");
});
