// Clusters over the real client: on the built-in sandbox cloud (the same Confluent client and REST
// contract as Confluent Cloud), create an environment and a Basic cluster in the window and watch it
// go from PROVISIONING to PROVISIONED; then open its details, rename it, try an unknown region and delete it.
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

/** textContent, not getText: WebKitWebDriver's getText is "" for text it considers clipped. */
const textOf = async (testid) => (await app.waitFor(testid)).getProperty("textContent");

test("an environment and a Basic cluster are created on the sandbox and become PROVISIONED", async () => {
  await app.click("nav-clusters");
  assert.equal(await (await app.$("active-connection")).getValue(), "sandbox");
  // The sandbox starts with the app: the screen waits for it, then shows its (empty) organisation.
  await app.waitFor("new-env", 60_000);

  // An empty name is refused next to the field, and nothing is created.
  await app.click("new-env");
  await app.click("env-save");
  assert.match(await app.text("error-env-name"), /Give the environment a name/);

  const envName = `e2e-env-${process.pid}`;
  await app.type("env-name", envName);
  await app.click("env-save");
  await app.waitGone("env-form");
  const picked = await app.browser.execute(() => {
    const s = document.querySelector('[data-testid="env-select"]');
    return s.options[s.selectedIndex].textContent;
  });
  assert.match(picked, new RegExp(`^${envName} \\(env-`));
  await app.waitFor("clusters-empty");

  // A cluster without a name: the message sits under the field.
  await app.click("new-cluster");
  await app.click("cluster-save");
  assert.match(await app.text("error-cluster-name"), /Give the cluster a name/);

  await app.type("cluster-name", "e2e-orders");
  await app.select("cluster-type", "Basic");
  await app.select("cluster-cloud", "AWS");
  await app.select("cluster-region", "ap-northeast-2");
  await app.select("cluster-availability", "SINGLE_ZONE");
  await app.click("cluster-save");
  await app.waitGone("cluster-form", 30_000);

  // The list is a DataTable: rows are keyed by cluster id; the name cell carries the name.
  const nameCell = await app.browser.$('[data-testid="cluster-cell-name"][data-name="e2e-orders"]');
  await nameCell.waitForDisplayed({ timeout: 10_000 });
  const clusterId = await nameCell.getAttribute("data-id");
  assert.match(clusterId, /^lkc-/);
  const row = await app.browser.$(`[data-testid="clusters-row"][data-key="${clusterId}"]`);
  assert.match(await row.getProperty("textContent"), /AWS · ap-northeast-2/);
  const phase = await row.$('[data-testid="cluster-phase"]');
  await app.browser.waitUntil(async () => (await phase.getAttribute("data-phase")) === "PROVISIONED", {
    timeout: 90_000,
    interval: 250,
    timeoutMsg: "the cluster did not become PROVISIONED",
  });
  assert.equal(await phase.getProperty("textContent"), "Provisioned");
  // Once provisioned the cluster has its bootstrap address (the front door on 127.0.0.1), shown in its details.
  await row.click();
  await app.waitFor("cluster-details");
  assert.match(await textOf("cluster-bootstrap"), /127\.0\.0\.1:\d+/);
  assert.match(await textOf("cluster-rest"), /^https?:\/\//);
  await app.screenshot("clusters");

  // Rename: a blank name is refused under the field; a good one is taken.
  await app.type("cluster-rename-input", "   ");
  await app.click("cluster-rename-save");
  assert.match(await textOf("error-cluster-rename"), /Give the cluster a name/);
  await app.type("cluster-rename-input", "e2e-orders-renamed");
  await app.click("cluster-rename-save");
  await (await app.browser.$('[data-testid="cluster-cell-name"][data-name="e2e-orders-renamed"]')).waitForExist({ timeout: 10_000 });

  // A region the cloud doesn't know, typed under "Other region…": the server's verdict sits next to the region.
  await app.click("new-cluster");
  await app.type("cluster-name", "e2e-nowhere");
  await app.select("cluster-region", "__other");
  await app.type("cluster-region-custom", "mars-north-1");
  await app.click("cluster-save");
  assert.match(await textOf("error-cluster-region"), /Unknown region 'mars-north-1'/);
  await app.click("cluster-cancel");
  await app.waitGone("cluster-form");

  // Delete: the name must be typed first; then the cluster is gone from the list.
  await app.click("cluster-delete");
  await app.type("typeconfirm-input", "e2e-orders-renamed");
  await app.click("typeconfirm-ok");
  await app.waitGone("cluster-details", 30_000);
  await app.waitFor("clusters-empty", 30_000);
  assert.equal(await app.exists("error-banner"), false);
});
