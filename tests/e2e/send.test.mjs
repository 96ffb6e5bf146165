// Issue 6 in the real window: a record sent from the Send form comes back with the broker's
// RecordMetadata, the key-hash explanation matches the partition the broker used, the live tail
// shows the record, and the same record through Kafka REST v3 lands in the same place.
// Bad input (invalid JSON, a partition that doesn't exist) is refused at its field.
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

test("send a record from the form, read its metadata and see it in the tail", async () => {
  await app.clusterWithKey("e2e-send", "orders", [{ name: "orders", partitions: 6 }]);
  await app.click("nav-send");
  await app.waitFor("send-workspace", 30_000);
  await app.browser.waitUntil(async () => (await (await app.$("field-send-topic")).getValue()) === "orders", {
    timeout: 15_000,
    timeoutMsg: "the topic picker never offered orders",
  });
  // The tail is live before anything is sent.
  await app.browser.waitUntil(async () => (await (await app.$("tail-panel")).getAttribute("data-state")) === "live", {
    timeout: 30_000,
    timeoutMsg: "the tail never started",
  });

  await app.type("field-send-key", "customer-42");
  await app.click("send-format-json");
  await app.type("field-send-value", '{"total": 12.5, "items": 3}');
  await app.click("send-submit");
  await app.waitFor("send-result", 30_000);
  const partition = Number(await app.content("result-partition"));
  const offset = Number(await app.content("result-offset"));
  assert.ok(partition >= 0 && partition < 6, `partition ${partition}`);
  assert.equal(offset, 0, "the first record of its partition");
  assert.equal(Number(await app.content("why-partition")), partition, "murmur2(key) mod 6 is where the broker put it");
  assert.match(await app.content("result-timestamp"), /\d/);
  assert.match(await app.content("result-latency"), /ms/);

  const row = await app.browser.$(`[data-testid="tail-row"][data-partition="${partition}"][data-offset="${offset}"]`);
  await row.waitForExist({ timeout: 20_000, timeoutMsg: "the sent record never reached the tail" });
  assert.match(await row.getProperty("textContent"), /customer-42/);
  await app.screenshot("send-1-form");
  await (await app.$("tail-panel")).scrollIntoView({ block: "start" });
  await app.screenshot("send-2-metadata-and-tail");

  // The same key through Kafka REST v3: the same partition, the next offset.
  await app.click("send-path-rest");
  await app.click("send-submit");
  await app.browser.waitUntil(async () => Number(await app.content("result-offset")) === offset + 1, {
    timeout: 30_000,
    timeoutMsg: "the REST send did not come back with the next offset",
  });
  assert.equal(Number(await app.content("result-partition")), partition);
  await app.click("send-path-kafka");

  // Bad input stays at its field and nothing is sent.
  await app.type("field-send-value", '{"total": 12.5,}');
  await app.click("send-submit");
  const err = await app.waitFor("error-send-value");
  assert.match(await err.getProperty("textContent"), /JSON/);
  await err.scrollIntoView({ block: "center" });
  await app.screenshot("send-3-invalid-json");
  await app.click("send-format-text");
  await app.click("send-partition-explicit");
  await app.type("field-send-partition", "9");
  await app.click("send-submit");
  const perr = await app.waitFor("error-send-partition", 20_000);
  assert.match(await perr.getProperty("textContent"), /0–5|partition/);
  assert.equal(await app.exists("error-banner"), false);
});
