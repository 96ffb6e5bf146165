// What a SaaS does out of sight, done for real by the sandbox and shown in the window: a Dedicated
// cluster of 2 CKU runs 2 brokers; failing one (SIGKILL, like a dead machine) is noticed, the broker
// is taken out and replaced by a new one, and the timeline shows each step.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { App } from "./harness.mjs";

let app;
before(async () => {
  app = await App.start();
});
after(async () => {
  await app?.stop();
});

/** An attribute of every element matching a selector, in document order. */
async function attrs(selector, name) {
  const out = [];
  for (const el of await app.browser.$$(selector)) out.push(await el.getAttribute(name));
  return out;
}
const nodes = () => attrs('[data-testid="broker"]', "data-node");

test("a failed broker is replaced by the service, and the timeline shows how", async () => {
  await app.newEnvironment("saas");
  await app.click("new-cluster");
  await app.type("cluster-name", "dedicated");
  await app.select("cluster-type", "Dedicated");
  await app.type("cluster-cku", "2");
  await app.click("cluster-save");
  await app.waitGone("cluster-form", 30_000);
  const row = await app.browser.$('[data-testid="clusters-row"]');
  await row.waitForExist({ timeout: 10_000 });
  await app.waitProvisioned();
  await row.click();
  await app.waitFor("sandbox-brokers", 20_000);
  const before = await nodes();
  assert.equal(before.length, 2, `brokers: ${before}`);

  await app.browser.$('[data-testid="broker-fail"]').click();
  const healthy = await app.browser.$('[data-testid="broker-timeline"] li[data-kind="HEALTHY"]');
  await healthy.waitForExist({ timeout: 15_000, timeoutMsg: "the cluster never reported healthy again" });
  const kinds = await attrs('[data-testid="broker-timeline"] li', "data-kind");
  const order = ["BROKER_FAILED", "BROKER_REMOVED", "REPLACEMENT_STARTED", "HEALTHY"].map((k) => kinds.indexOf(k));
  assert.ok(order.every((i) => i >= 0) && order.join() === [...order].sort((a, b) => a - b).join(), `timeline: ${kinds}`);
  await app.browser.waitUntil(async () => (await nodes()).length === 2, { timeout: 10_000 });
  const after = await nodes();
  assert.equal(after.filter((n) => !before.includes(n)).length, 1, `a new broker id: ${before} → ${after}`);
  assert.ok(!after.includes(before[0]), "the failed broker is gone");
  await (await app.$("sandbox-brokers")).scrollIntoView();
  await app.screenshot("saas-broker-replaced");
  assert.equal(await app.exists("error-banner"), false);
});
