// The first window of a fresh profile: the welcome says what Gureum is and offers three ways in.
// The one-click sample ends with a cluster, a key and a topic that really take a record; the
// connection last used is picked again after a restart, which opens on Clusters.
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

test("a fresh profile opens on the welcome, in both languages", async () => {
  await app.waitFor("welcome");
  assert.equal(await app.text("section-title"), "Welcome");
  assert.match(await app.content("welcome-what"), /desktop console for cloud Kafka/);
  for (const way of ["welcome-walk-start", "sample-create", "welcome-connect-cloud", "welcome-connect-kafka"]) {
    assert.ok(await app.exists(way), way);
  }
  // The sample waits for the sandbox cloud.
  await app.browser.waitUntil(async () => (await app.$("sample-create")).isEnabled(), {
    timeout: 60_000,
    timeoutMsg: "the sample button never became usable (sandbox not running?)",
  });
  await app.screenshot("welcome-en");
  await app.browser.execute(() => localStorage.setItem("gureum.lang", "ko"));
  await app.browser.refresh();
  await app.waitFor("welcome");
  assert.equal(await app.text("section-title"), "시작하기");
  await app.screenshot("welcome-ko");
  await app.browser.execute(() => localStorage.removeItem("gureum.lang"));
  await app.browser.refresh();
  await app.waitFor("welcome");
});

test("the one-click sample ends with a cluster, a key and a topic that take a record", async () => {
  await app.browser.waitUntil(async () => (await app.$("sample-create")).isEnabled(), { timeout: 60_000 });
  await app.click("sample-create");
  // Progress: each step is shown while it runs.
  await app.waitFor("sample-steps");
  const ready = await app.waitFor("sample-ready", 180_000);
  for (const step of ["environment", "cluster", "key", "topic"]) {
    assert.equal(await (await app.$(`sample-step-${step}`)).getAttribute("data-state"), "done", step);
  }
  const cluster = await ready.getAttribute("data-cluster");
  const key = await ready.getAttribute("data-key");
  assert.match(cluster, /^lkc-/);
  assert.ok(key);
  assert.equal(await ready.getAttribute("data-topic"), "hello");
  await app.screenshot("welcome-sample-ready");

  // "Send a record" opens Send on the sample's cluster and topic; one record proves the key.
  await app.click("sample-send");
  await app.waitFor("send-workspace", 30_000);
  await app.browser.waitUntil(async () => (await (await app.$("field-send-topic")).getValue()) === "hello", {
    timeout: 15_000,
    timeoutMsg: "Send did not open on the sample's topic",
  });
  await app.type("field-send-key", "first");
  await app.type("field-send-value", "hello from the welcome");
  await app.click("send-submit");
  await app.waitFor("send-result", 30_000);
  assert.equal(Number(await app.content("result-offset")), 0);
  assert.equal(await app.exists("error-banner"), false);

  // Run again (as a second click would): everything is found and reused, nothing duplicated.
  const again = await app.invoke("create_sample");
  assert.deepEqual([again.ok?.cluster_id, again.ok?.key_id], [cluster, key], JSON.stringify(again.err));
  const envs = await app.invoke("list_environments", { connectionId: "sandbox" });
  assert.equal(envs.ok.filter((e) => e.name === "Sample").length, 1);
});

test("the connection last used is picked again after a restart, which opens on Clusters", async () => {
  const saved = await app.invoke("save_connection", {
    input: {
      id: null,
      name: "local kafka",
      endpoint: { kind: "kafka", bootstrap_servers: "127.0.0.1:9", security_protocol: "PLAINTEXT", sasl_mechanism: "PLAIN", sasl_username: "", ssl_ca_location: "" },
      secret: null,
    },
  });
  assert.ok(saved.ok, JSON.stringify(saved.err));
  const id = saved.ok.id;
  await app.browser.refresh(); // the picker reloads the connections
  await app.waitFor("active-connection");
  await app.select("active-connection", id);
  await app.untilStoredLocally(id);
  const profile = app.profile;
  await app.stop();
  app = await App.start({ profile });
  await app.browser.waitUntil(async () => (await (await app.$("active-connection")).getValue()) === id, {
    timeout: 15_000,
    timeoutMsg: "the connection used last was not picked again",
  });
  assert.equal(await app.text("section-title"), "Clusters");
  await app.select("active-connection", "sandbox");
});
