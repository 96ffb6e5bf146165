// Issue 4's walk through the real window on the sandbox cloud, from a fresh profile:
// environment → cluster → (no key yet) → service account → its API key with the Topic owner preset
// on "orders" (the ACLs added first; the secret shown once, then found in the OS keyring) → topic
// with 6 partitions → the topic bad-input catalogue → delete the topic.
// Screenshots of each screen go to tests/e2e/screenshots/ (the README shows them).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { App, keyringLookup } from "./harness.mjs";

let app;
before(async () => {
  app = await App.start();
});
after(async () => {
  await app?.stop();
});

const row = (prefix, key) => app.browser.$(`[data-testid="${prefix}-row"][data-key="${key}"]`);

test("environment → cluster → service account → API key → topic → delete, all on the sandbox", async () => {
  // Environment and cluster.
  await app.newEnvironment("e2e-manage");
  await app.click("new-cluster");
  await app.type("cluster-name", "payments");
  await app.select("cluster-type", "Basic");
  await app.click("cluster-save");
  await app.waitGone("cluster-form", 30_000);
  await app.waitProvisioned();
  await app.screenshot("manage-1-clusters");

  // Topics: no key for this cluster yet, and the screen says what to do.
  await app.click("nav-topics");
  const need = await app.waitFor("topics-need-key", 20_000);
  assert.match(await need.getProperty("textContent"), /no API key for “payments”/);
  await app.screenshot("manage-2-topics-need-key");
  await app.click("topics-create-key");
  assert.equal(await app.content("section-title"), "API keys");

  // A service account to own the key.
  await app.click("new-sa");
  await app.type("field-sa-name", "payments-app");
  await app.type("field-sa-description", "e2e owner");
  await app.click("sa-save");
  await app.browser.waitUntil(async () => (await app.browser.$$('[data-testid="sas-row"]')).length === 1, { timeout: 10_000 });

  // The key form opened for the cluster that needed it. The service account owns the key, and the
  // Topic owner preset on "orders" gives it what this walk does (as on Confluent Cloud, a service
  // account with no ACLs could not even list a topic).
  await app.waitFor("key-form");
  const resource = await (await app.$("field-key-resource")).getValue();
  assert.match(resource, /^lkc-/);
  await app.click("key-owner-sa");
  await app.click("preset-TopicOwner");
  await app.type("preset-topic", "orders");
  await app.browser.waitUntil(async () => (await (await app.$("preset-preview")).getAttribute("data-count")) === "6", { timeout: 10_000, timeoutMsg: "no preview of the preset's 6 ACLs" });
  await app.type("field-key-name", "payments-app key");
  await app.click("key-save");
  await app.waitFor("secret-dialog", 20_000);
  const keyId = (await app.content("secret-key")).trim();
  const secret = (await app.content("secret-value")).trim();
  assert.match(keyId, /^[A-Z0-9]{16}$/);
  assert.ok(secret.length >= 32, "a Confluent-sized secret");
  await app.browser.waitUntil(async () => /Ready: Gureum uses this key for payments/.test(await app.content("secret-status")), {
    timeout: 60_000,
    interval: 250,
    timeoutMsg: "the new key never became usable",
  });
  // The app kept it where it said: the OS keyring, and nowhere on disk.
  assert.equal(keyringLookup(`cluster-key/sandbox/${keyId}`), secret);
  assert.ok(!app.configText().includes(secret), "the secret is on disk");
  assert.ok(app.configText().includes(keyId), "the key↔cluster link is in config.json");
  // The committed screenshot must not carry a secret, even a throwaway sandbox's: blank it in the
  // picture only (everything above checked the real one).
  await app.browser.execute(() => {
    document.querySelector('[data-testid="secret-value"]').textContent = "•".repeat(64);
  });
  await app.screenshot("manage-3-api-key-secret-once");
  await app.click("secret-ack");
  await app.click("secret-done");
  await app.waitGone("secret-dialog");
  await (await row("keys", keyId)).waitForExist({ timeout: 10_000 });
  assert.ok(!(await app.browser.getPageSource()).includes(secret), "the secret is still in the window");
  await app.screenshot("manage-4-api-keys");

  // Topics now work with the stored key.
  await app.click("nav-topics");
  await app.waitFor("new-topic", 20_000);
  await app.click("new-topic");

  // The bad-input catalogue, each refused next to its field, nothing sent for the syntax ones.
  const refuse = async (name, partitions, field, pattern) => {
    await app.type("field-topic-name", name);
    await app.type("field-topic-partitions", partitions);
    await app.click("topic-save");
    const el = await app.waitFor(`error-${field}`);
    assert.match(await el.getProperty("textContent"), pattern, `${name} / ${partitions}`);
  };
  await refuse("bad name", "6", "topic-name", /contains a space/);
  await refuse("..", "6", "topic-name", /reserved/);
  await refuse("x".repeat(250), "6", "topic-name", /250 characters long/);
  await refuse("orders", "0", "topic-partitions", /at least 1 partition \(got 0\)/);
  await refuse("orders", "-3", "topic-partitions", /at least 1 partition \(got -3\)/);
  await refuse("orders", "100000", "topic-partitions", /more than this cluster type can hold \(1500/);

  await app.type("field-topic-name", "orders");
  await app.type("field-topic-partitions", "6");
  await app.click("config-add");
  await app.type("config-name-0", "retention.ms");
  await app.type("config-value-0", "3600000");
  await app.screenshot("manage-5-new-topic");
  await app.click("topic-save");
  await app.waitGone("topic-form", 20_000);
  const created = await row("topics", "orders");
  await created.waitForExist({ timeout: 10_000 });
  const cells = await created.getProperty("textContent");
  assert.match(cells, /orders.*6/);
  assert.match(cells, /1 h/);
  // Defaults are the cluster's, read back after the create.
  assert.match(cells, /delete/);

  // A duplicate is the cluster's verdict, shown at the name.
  await app.click("new-topic");
  await app.type("field-topic-name", "orders");
  await app.click("topic-save");
  assert.match(await (await app.waitFor("error-topic-name", 20_000)).getProperty("textContent"), /already exists/);
  await app.click("topic-cancel");
  await app.screenshot("manage-6-topics");

  // Details, then delete with confirmation.
  await created.click();
  await app.waitFor("topic-config-table", 20_000);
  await app.screenshot("manage-7-topic-details");
  await app.click("topic-delete");
  await app.click("confirm-ok");
  await app.waitGone("topic-details", 20_000);
  await created.waitForExist({ timeout: 10_000, reverse: true });
  // Gone for real: a fresh list from the cluster doesn't have it.
  await app.click("topics-refresh");
  await app.waitFor("topics-empty", 20_000);
  assert.equal(await app.exists("error-banner"), false);
});
