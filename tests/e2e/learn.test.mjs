// The Learn section in the real window, on the sandbox cloud, from a fresh profile:
// lesson 1 sets up its Dedicated cluster, produces a long numbered stream, kills a broker, watches
// the sandbox replace it and finds no acknowledged record lost; lesson 3's four clients are refused
// or let in for real, then a service account's key is refused until its presets are added; lesson 7's checklist ticks as the cluster, key, topic and record are made on
// the app's own screens. Every lesson is photographed in English and Korean
// (tests/e2e/screenshots/learn-<n>-<en|ko>.png).
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

const attr = async (testid, name) => (await app.$(testid)).getAttribute(name);
const until = (what, fn, timeout, interval = 250) => app.browser.waitUntil(fn, { timeout, interval, timeoutMsg: what });
/** Opens lesson n from the list. */
async function lesson(n) {
  await app.click(`lesson-item-${n}`);
  await app.waitFor(`lesson-${n}`);
}
/** Brings an element to the middle of the window, for the photo. */
async function show(testid) {
  await (await app.$(testid)).scrollIntoView({ block: "center" });
}
async function setLanguage(l) {
  await app.click("nav-settings");
  await app.select("language", l);
  await app.click("nav-learn");
  await app.waitFor("learn");
}

test("lesson 1: a broker dies under load, the service heals, no acknowledged record is lost", async () => {
  await setLanguage("en");
  await lesson(1);
  await app.click("lab-setup");
  await app.waitFor("lab-ready", 120_000);
  assert.equal(await app.exists("lab-error"), false);
  await until("the lesson cluster has its 2 brokers", async () => (await app.browser.$$('[data-testid="l1-broker"]')).length === 2, 20_000);

  await app.click("l1-start");
  await until("no record was acknowledged", async () => Number(await attr("l1-acked", "data-acked")) > 0, 60_000);
  await app.click("l1-fail");
  await until("the cluster never healed", async () => (await attr("l1-heal", "data-state")) === "healed", 30_000);
  const kinds = [];
  for (const li of await app.browser.$$('[data-testid="l1-timeline"] li')) kinds.push(await li.getAttribute("data-kind"));
  const order = ["BROKER_FAILED", "BROKER_REMOVED", "REPLACEMENT_STARTED", "HEALTHY"].map((k) => kinds.indexOf(k));
  assert.ok(order.every((i) => i >= 0) && order.join() === [...order].sort((a, b) => a - b).join(), `timeline: ${kinds}`);
  const healed = Number(await attr("l1-heal", "data-seconds"));
  assert.ok(healed > 0 && healed < 30, `healed in ${healed} s`);

  await app.click("l1-stop");
  await app.waitFor("lost-count", 150_000);
  const acked = Number((await app.content("res-acked")).replace(/,/g, ""));
  const distinct = Number((await app.content("res-distinct")).replace(/,/g, ""));
  assert.ok(acked > 0, `acked ${acked}`);
  assert.ok(distinct >= acked, `acked ${acked}, found ${distinct}`);
  assert.equal(await attr("lost-count", "data-lost"), "0");
  assert.equal(await attr("step-l1-check", "data-done"), "true");
  await show("l1-result");
  await app.screenshot("learn-1-en");

  // Scale out: 2 → 3 CKU; a third broker joins and the capacity grows by 60 MB/s in.
  await app.type("l1-cku", "3");
  await app.click("l1-scale-apply");
  await until(
    "the cluster never reached 3 CKU with 3 brokers",
    async () => (await attr("l1-scale-state", "data-cku")) === "3" && (await attr("l1-scale-state", "data-brokers")) === "3",
    90_000,
  );
  assert.equal(await attr("l1-headroom", "data-capacity"), "180");
  assert.equal(await attr("step-l1-scale", "data-done"), "true");
  assert.equal(await app.content("lesson-progress-1"), "✓ 5/5 steps");
  await show("l1-scale");
  await app.screenshot("learn-1-scale-en");
  assert.equal(await app.exists("error-banner"), false);
});

test("lesson 3: plaintext, a wrong secret and a deleted key are refused; SASL_SSL gets in", async () => {
  await lesson(3);
  await app.waitFor("lab-ready", 20_000);
  for (const p of ["plaintext", "wrong_secret", "deleted_key", "sasl"]) {
    await app.click(`probe-${p}`);
    const result = await app.waitFor(`probe-result-${p}`, 30_000);
    const accepted = await result.getAttribute("data-accepted");
    assert.equal(accepted, p === "sasl" ? "true" : "false", `${p}: ${await result.getProperty("textContent")}`);
  }
  assert.match(await app.content("probe-reason-wrong_secret"), /KAFKA_AUTH_FAILED/);
  assert.match(await app.content("probe-reason-deleted_key"), /KAFKA_AUTH_FAILED/);
  assert.match(await app.content("probe-settings-sasl"), /SASL_SSL/);
  assert.match(await app.content("probe-settings-sasl"), /sasl\.password\*{8}/, "the secret is masked");
  await show("probe-result-deleted_key");
  await app.screenshot("learn-3-en");

  // ACLs: a service account's key gets in but may do nothing; each refusal names what it lacks
  // and its fix is the preset: Producer → sending works, reading still refused; Consumer → reading works.
  await app.click("acl-key");
  await app.waitFor("acl-key-ready", 60_000);
  const verdict = async (action) => {
    await app.click(`acl-try-${action}`);
    await until(`no answer to ${action}`, async () => (await app.exists(`acl-result-${action}`)) && !(await (await app.$(`acl-try-${action}`)).getAttribute("disabled")), 40_000);
    return attr(`acl-result-${action}`, "data-allowed");
  };
  assert.equal(await verdict("send"), "false");
  assert.match(await app.content("acl-refusal-send-sentence"), /may not WRITE topic “lesson-orders”/);
  assert.equal(await verdict("read"), "false");
  assert.match(await app.content("acl-refusal-read-sentence"), /may not READ /);
  assert.equal(await attr("step-l3-acl_refused", "data-done"), "true");
  await until("no fix offered", async () => /Producer/.test(await app.content("acl-refusal-send-fix")), 20_000);
  await show("l3-acl");
  await app.screenshot("learn-3-acl-refused-en");
  const fix = async (action, preset) => {
    await until(`no fix offered for ${action}`, async () => new RegExp(preset).test(await app.content(`acl-refusal-${action}-fix`)), 20_000);
    await app.click(`acl-refusal-${action}-fix`);
    await app.waitFor("fix-dialog");
    await until("no preview of the fix", async () => Number(await attr("preset-preview", "data-count")) > 0, 10_000);
    await app.click("fix-add");
    await app.waitGone("fix-dialog", 60_000);
    await until(`${action} was still refused after the fix`, async () => (await attr(`acl-result-${action}`, "data-allowed")) === "true", 40_000);
  };
  await fix("send", "Producer");
  assert.equal(await verdict("read"), "false", "a producer may not read");
  await fix("read", "Consumer");
  assert.equal(await attr("step-l3-acl_consumer", "data-done"), "true");
  assert.equal(await attr("step-l3-acl_producer", "data-done"), "true");
  await show("l3-acl");
  await app.screenshot("learn-3-acl-en");
});

test("lessons 2, 4, 5 and 6 on the lesson cluster", async () => {
  await lesson(2);
  await until("no figures", async () => (await attr("l2-received_records", "data-value")) !== "", 30_000);
  await show("l2-figures");
  await app.screenshot("learn-2-en");

  await lesson(4);
  await app.type("cost-ingress", "5");
  await until("the claim was not checked", async () => (await attr("claim-compute", "data-verdict")) === "holds", 5_000);
  await show("cost-claim");
  await app.screenshot("learn-4-en");

  await lesson(5);
  await app.click("limits-try-editable");
  assert.equal(await (await app.waitFor("limits-result-editable", 20_000)).getAttribute("data-state"), "ok");
  await app.click("limits-try-locked");
  assert.equal(await (await app.waitFor("limits-result-locked", 20_000)).getAttribute("data-state"), "refused");
  assert.match(await app.content("limits-words-locked"), /compression\.type.*POLICY_VIOLATION/);
  await show("limits-result-locked");
  await app.screenshot("learn-5-en");

  await lesson(6);
  await app.click("export-run");
  await app.waitFor("export-json", 20_000);
  const json = JSON.parse(await (await app.$("export-text-json")).getValue());
  const orders = json.topics.find((t) => t.name === "lesson-orders");
  assert.equal(orders.partitions, 6);
  assert.equal(orders.configs["retention.ms"], "86400000", "lesson 5's change is exported");
  assert.match(await (await app.$("export-text-properties")).getValue(), /security\.protocol=SASL_SSL/);
  await show("export-json");
  await app.screenshot("learn-6-en");
});

test("lesson 7: the checklist ticks as the cluster, key, topic and record are made on the real screens", async () => {
  await lesson(7);
  await app.click("walk-start");
  const done = (s) => attr(`walk-step-${s}`, "data-done");

  await app.click("walk-go-cluster");
  await app.waitFor("walk-dock");
  await app.waitFor("new-cluster", 30_000);
  await app.click("new-cluster");
  await app.type("cluster-name", "my-first-cluster");
  await app.select("cluster-type", "Basic");
  await app.click("cluster-save");
  await app.waitGone("cluster-form", 30_000);
  await until("the cluster step never ticked", async () => (await done("cluster")) === "true", 90_000);

  await app.click("walk-go-key");
  await app.waitFor("key-form", 20_000);
  await app.type("field-key-name", "my-first key");
  await app.click("key-save");
  await app.waitFor("secret-dialog", 20_000);
  await until("the key never became usable", async () => /Ready/.test(await app.content("secret-status")), 60_000);
  await app.click("secret-ack");
  await app.click("secret-done");
  await until("the key step never ticked", async () => (await done("key")) === "true", 30_000);

  await app.click("walk-go-topic");
  await app.waitFor("new-topic", 20_000);
  await app.click("new-topic");
  await app.type("field-topic-name", "my-first-topic");
  await app.type("field-topic-partitions", "3");
  await app.click("topic-save");
  await app.waitGone("topic-form", 20_000);
  await until("the topic step never ticked", async () => (await done("topic")) === "true", 30_000);

  await app.click("walk-go-send");
  await app.waitFor("send-workspace", 30_000);
  await until("Send did not pick the topic", async () => (await (await app.$("field-send-topic")).getValue()) === "my-first-topic", 15_000);
  await app.type("field-send-value", "hello, cloud");
  await app.click("send-submit");
  await app.waitFor("send-result", 30_000);
  await until("the send step never ticked", async () => (await done("send")) === "true", 30_000);
  assert.match(await app.content("walk-found-send"), /Partition \d, offset 0/);
  await app.screenshot("learn-7-dock-en");

  await app.click("walk-back");
  await app.waitFor("lesson-7");
  await app.waitFor("walk-all-done");
  assert.equal(await app.content("lesson-progress-7"), "✓ 4/4 steps");
  await app.screenshot("learn-7-en");
  assert.equal(await app.exists("error-banner"), false);
});

test("every lesson in Korean", async () => {
  await setLanguage("ko");
  assert.equal(await app.content("section-title"), "배우기");
  const focus = { 1: "l1-result", 2: "l2-figures", 3: "probe-result-deleted_key", 4: "cost-claim", 5: "limits-result-locked", 6: "export-json", 7: "walk-all-done" };
  for (let n = 1; n <= 7; n++) {
    await lesson(n);
    if (n === 2) await until("no figures", async () => (await attr("l2-received_records", "data-value")) !== "", 30_000);
    await app.waitFor(focus[n], 20_000);
    await show(focus[n]);
    await app.screenshot(`learn-${n}-ko`);
    if (n === 3) {
      await show("l3-acl");
      await app.screenshot("learn-3-acl-ko");
    }
  }
  assert.match(await app.content("lesson-item-1"), /인프라는 서비스 제공자가 운영한다/);
  await setLanguage("en");
});
