// Run by tests/package-test.sh against the installed package (GUREUM_APP=/usr/bin/gureum): the
// window opens, the sandbox cloud comes up, and a cluster runs on the broker the package carries
// (/usr/bin/gureum-broker). After quitting, none of the package's processes is left.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

import { APP_BINARY, App } from "../e2e/harness.mjs";

const processes = (exe) => {
  try {
    return execFileSync("pgrep", ["-af", `^${exe}`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

let app;
before(async () => {
  assert.equal(APP_BINARY, "/usr/bin/gureum", "run through tests/package-test.sh");
  app = await App.start();
});
after(async () => {
  await app?.stop();
});

test("the installed app starts the sandbox cloud and runs a cluster on the packaged broker", async () => {
  await app.waitFor("welcome");
  await app.browser.waitUntil(async () => (await app.$("sample-create")).isEnabled(), {
    timeout: 60_000,
    timeoutMsg: "the installed app's sandbox cloud did not come up",
  });
  const status = await app.invoke("sandbox_status");
  assert.equal(status.ok.state, "running");
  assert.match(status.ok.rest_url, /^http:\/\/127\.0\.0\.1:\d+$/);
  await app.click("sample-create");
  await app.waitFor("sample-ready", 120_000);
  const brokers = processes("/usr/bin/gureum-broker sandbox-broker");
  assert.ok(brokers.length >= 1, "no broker runs from /usr/bin/gureum-broker");
});

test("quitting leaves none of the package's processes running", async () => {
  await app.stop();
  app = null;
  const deadline = Date.now() + 15_000;
  while (processes("/usr/bin/gureum").length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(processes("/usr/bin/gureum"), []);
});
