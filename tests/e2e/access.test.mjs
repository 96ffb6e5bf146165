// Issue 13 in the real window, on the sandbox cloud (which authorizes as Confluent Cloud does):
// - a service account's key made with the Producer preset sends the moment it is ready;
// - its read (the live tail) is refused, the refusal names the operation it lacks, and the fix
//   (the Consumer preset, previewed, one click) makes the tail work;
// - the ACLs tab lists what was added, principals by name and id;
// - an existing key, pasted in, works for Topics and Send.
// Screenshots: access-1-key-form, access-2-key-ready, access-3-refused-read, access-4-fix,
// access-5-acls, access-6-pasted-key, access-7-held-keys.
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

/** Waits for `fn`; a timeout says what the window showed (and keeps a screenshot). */
async function until(what, fn, timeout = 30_000) {
  try {
    await app.browser.waitUntil(fn, { timeout, interval: 250, timeoutMsg: what });
  } catch (e) {
    e.message += `\n${await app.pageState(what.replace(/\W+/g, "-"))}`;
    throw e;
  }
}
const attr = async (testid, name) => (await app.$(testid)).getAttribute(name);

test("a service account's key with the Producer preset sends at once; a refused read is fixed in one click", async () => {
  // The cluster and its topic, made with a key of my account (as a user starts).
  const { cluster } = await app.clusterWithKey("e2e-access", "shop", [{ name: "orders", partitions: 3 }]);

  // A service account, then its key with the Producer preset on "orders", picked in the key form.
  await app.click("nav-api-keys");
  await app.click("new-sa");
  await app.type("field-sa-name", "orders-app");
  await app.click("sa-save");
  await app.browser.waitUntil(async () => (await app.browser.$$('[data-testid="sas-row"]')).length === 1, { timeout: 10_000 });
  await app.click("new-key");
  await app.waitFor("key-form");
  await app.select("picker-cluster", cluster.id);
  await app.click("key-owner-sa");
  await app.click("preset-Producer");
  await app.type("preset-topic", "orders");
  await until("no preview of the Producer preset", async () => (await attr("preset-preview", "data-count")) === "3", 10_000);
  const ops = [];
  for (const r of await app.browser.$$('[data-testid="preset-acl-row"]')) ops.push(await r.getAttribute("data-operation"));
  assert.deepEqual(ops, ["WRITE", "DESCRIBE", "IDEMPOTENT_WRITE"]);
  await (await app.$("key-owner-kind")).scrollIntoView({ block: "start" });
  await app.screenshot("access-1-key-form");
  await app.click("key-save");
  await app.waitFor("secret-dialog", 60_000);
  const keyId = (await app.content("secret-key")).trim();
  // Authenticated and authorized, said apart.
  await until("the new key never became usable", async () => /Authenticated/.test(await app.content("secret-status")), 60_000);
  assert.match(await app.content("secret-authorized"), /Authorized for .*WRITE.* on topic “orders”/);
  assert.equal((await app.browser.$$('[data-testid="secret-acl-row"]')).length, 3);
  await app.browser.execute(() => {
    document.querySelector('[data-testid="secret-value"]').textContent = "•".repeat(64);
  });
  await app.screenshot("access-2-key-ready");
  await app.click("secret-ack");
  await app.click("secret-done");
  await app.waitGone("secret-dialog");

  // It sends at once (the key is now the one Gureum uses for this cluster).
  await app.click("nav-send");
  await app.waitFor("send-workspace", 30_000);
  await until("the topic picker never offered orders", async () => (await (await app.$("field-send-topic")).getValue()) === "orders", 15_000);
  await app.type("field-send-value", "first order");
  await app.click("send-submit");
  await app.waitFor("send-result", 30_000);
  assert.equal(await app.exists("send-failure"), false);

  // Reading is not what a producer may do: the tail is refused, and says what is missing.
  const refusal = await app.waitFor("tail-error-refusal", 30_000);
  assert.equal(await refusal.getAttribute("data-operation"), "READ");
  assert.equal(await refusal.getAttribute("data-resource"), "TOPIC:orders");
  assert.match(await app.content("tail-error-refusal-sentence"), /may not READ topic “orders”/);
  await until("no owner named", async () => /orders-app \(sa-/.test(await app.content("tail-error-refusal-owner")), 15_000);
  await refusal.scrollIntoView({ block: "center" });
  await app.screenshot("access-3-refused-read");

  // One click: the Consumer preset, previewed exactly, then added; the tail starts again and works.
  await app.click("tail-error-refusal-fix");
  await app.waitFor("fix-dialog");
  await until("no preview of the fix", async () => (await attr("preset-preview", "data-count")) === "3", 10_000);
  const fixOps = [];
  for (const r of await app.browser.$$('[data-testid="preset-acl-row"]')) fixOps.push(`${await r.getAttribute("data-operation")} ${await r.getAttribute("data-resource")}`);
  assert.deepEqual(fixOps, ["READ TOPIC:orders", "DESCRIBE TOPIC:orders", "READ GROUP:orders-readers"]);
  await app.screenshot("access-4-fix");
  await app.click("fix-add");
  await app.waitGone("fix-dialog", 60_000);
  await until("the tail never came back", async () => (await attr("tail-panel", "data-state")) === "live", 30_000);
  const row = await app.browser.$('[data-testid="tail-row"]');
  await row.waitForExist({ timeout: 20_000, timeoutMsg: "the sent record never reached the tail" });
  assert.match(await row.getProperty("textContent"), /first order/);
  assert.equal(await app.exists("tail-error"), false);

  // The ACLs tab: what was added, for whom (name and id); read with a key of my account.
  await app.click("nav-api-keys");
  await app.click("keys-tab-acls");
  await app.select("picker-cluster", cluster.id);
  // Producer's 3 and Consumer's 3, DESCRIBE on the topic being in both (an ACL is added once).
  await until("the ACLs were not listed", async () => (await app.browser.$$('[data-testid="acls-row"]')).length === 5, 30_000);
  const text = await app.content("acls");
  assert.match(text, /orders-app/);
  assert.match(text, /sa-/);
  assert.match(text, /IDEMPOTENT_WRITE/);
  assert.match(await app.content("acls-admin-key"), /your account/);
  await app.screenshot("access-5-acls");

  // Which keys Gureum holds: the service account's, in use.
  await app.click("keys-tab-held");
  const inUse = await app.browser.$(`[data-testid="held-row"][data-key="${keyId}"]`);
  await inUse.waitForExist({ timeout: 20_000 });
  assert.equal(await inUse.getAttribute("data-in-use"), "true");
  assert.equal(await app.exists("error-banner"), false);
});

test("an existing key, pasted in, works for Topics and Send", async () => {
  // A key that exists in the cloud but that Gureum doesn't hold: made here, then forgotten.
  await app.click("nav-api-keys");
  await app.click("keys-tab-keys");
  await app.click("new-key");
  await app.waitFor("key-form");
  const cluster = await (await app.$("field-key-resource")).getValue();
  await app.click("key-owner-me");
  await app.click("key-save");
  await app.waitFor("secret-dialog", 60_000);
  const keyId = (await app.content("secret-key")).trim();
  const secret = (await app.content("secret-value")).trim();
  await until("the key never became usable", async () => /Authenticated/.test(await app.content("secret-status")), 60_000);
  await app.click("secret-ack");
  await app.click("secret-done");
  await app.click("keys-tab-held");
  await app.select("picker-cluster", cluster);
  const held = await app.browser.$(`[data-testid="held-row"][data-key="${keyId}"]`);
  await held.waitForExist({ timeout: 20_000 });
  await (await app.browser.$(`[data-testid="held-row"][data-key="${keyId}"] [data-testid="held-forget"]`)).click();
  await app.click("confirm-ok");
  await held.waitForExist({ timeout: 20_000, reverse: true });
  assert.equal(keyringLookup(`cluster-key/sandbox/${keyId}`), null, "forgotten means gone from the keyring");

  // Pasted back: checked against the cluster (a wrong secret is refused and nothing kept), then kept.
  const replace = await app.browser.$(`[data-testid="held-row"][data-cluster="${cluster}"] [data-testid="held-paste"]`);
  await replace.click();
  await app.type("field-paste-key", keyId);
  await app.type("field-paste-secret", "not-the-secret");
  await app.click("paste-save");
  assert.equal(await attr("paste-error", "data-code"), "CLUSTER_KEY_REFUSED");
  await app.type("field-paste-secret", secret);
  await app.click("paste-save");
  await app.waitFor("paste-result", 30_000);
  assert.match(await app.content("paste-result"), /Authenticated/);
  assert.match(await app.content("paste-owner"), /Owner: .*\(u-/);
  assert.match(await app.content("paste-topics"), /orders — .*READ/);
  await app.screenshot("access-6-pasted-key");
  await app.click("paste-done");
  assert.equal(keyringLookup(`cluster-key/sandbox/${keyId}`), secret);
  const back = await app.browser.$(`[data-testid="held-row"][data-key="${keyId}"]`);
  await back.waitForExist({ timeout: 20_000 });
  assert.equal(await back.getAttribute("data-in-use"), "true");
  await app.screenshot("access-7-held-keys");

  // Topics and Send use it.
  await app.click("nav-topics");
  await (await app.browser.$('[data-testid="topics-row"][data-key="orders"]')).waitForExist({ timeout: 20_000 });
  await app.click("nav-send");
  await app.waitFor("send-workspace", 30_000);
  await until("the topic picker never offered orders", async () => (await (await app.$("field-send-topic")).getValue()) === "orders", 15_000);
  await app.type("field-send-value", "sent with a pasted key");
  await app.click("send-submit");
  await app.waitFor("send-result", 30_000);
  assert.equal(await app.exists("error-banner"), false);
});
