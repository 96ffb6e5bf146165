// Issue 7 in the real window: known traffic to two topics of a sandbox cluster, read back through
// the command the dashboard calls (per topic, exactly the records sent), then drawn: the charts
// have their series and values, the per-topic view splits them, and a screenshot is taken while
// a bulk send keeps the cluster busy.
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

const bulk = (target, jobId, topic, count) => ({
  target,
  input: {
    job_id: jobId, topic, partition: null, source: "template", count,
    key_template: "user-{{int 1 50}}", value_template: '{"seq": {{seq}}, "pad": "{{string 200}}"}',
    headers: [], text: null, acks: "all", compression: "none",
  },
});

test("the dashboard shows per topic exactly the traffic that was sent", async () => {
  const { env, cluster } = await app.clusterWithKey("e2e-metrics", "metered", [
    { name: "clicks", partitions: 3 },
    { name: "views", partitions: 2 },
  ]);
  const target = { connection_id: "sandbox", environment_id: env.id, cluster_id: cluster.id };
  for (const [topic, n] of [["clicks", 3000], ["views", 1200]]) {
    const r = await app.invoke("bulk_send", bulk(target, `m-${topic}`, topic, n));
    assert.equal(r.ok?.progress.acked, n, JSON.stringify(r));
  }

  // Through the command the dashboard calls: records in, per topic, on one time grid.
  const now = Date.now();
  const q = await app.invoke("query_metric", {
    connectionId: "sandbox",
    clusterId: cluster.id,
    input: { metric: "received_records", start_ms: now - 15 * 60_000, end_ms: now + 60_000, by_topic: true, topics: [] },
  });
  assert.ok(q.ok, JSON.stringify(q.err));
  const sums = Object.fromEntries(q.ok.series.map((s) => [s.label, s.values.reduce((a, v) => a + (v ?? 0), 0)]));
  assert.deepEqual(sums, { clicks: 3000, views: 1200 });
  assert.equal(q.ok.granularity, "PT1M");
  assert.ok(q.ok.series.every((s) => s.values.length === q.ok.times_ms.length));
  // A 7-day range: the API's limits call for PT30M buckets (336 of them); the counts are the same.
  const week = await app.invoke("query_metric", {
    connectionId: "sandbox",
    clusterId: cluster.id,
    input: { metric: "received_records", start_ms: now - 7 * 86_400_000, end_ms: now, by_topic: true, topics: ["views"] },
  });
  assert.ok(week.ok, JSON.stringify(week.err));
  assert.equal(week.ok.granularity, "PT30M");
  assert.equal(week.ok.times_ms.length, 336);
  assert.deepEqual(week.ok.series.map((s) => [s.label, s.values.reduce((a, v) => a + (v ?? 0), 0)]), [["views", 1200]]);

  // The window draws it.
  await app.click("nav-metrics");
  await app.waitFor("metrics", 30_000);
  await app.click("range-15m");
  const chart = await app.$("chart-received_records");
  await app.browser.waitUntil(async () => Number(await chart.getAttribute("data-last")) > 0 || Number(await chart.getAttribute("data-points")) > 0, {
    timeout: 30_000,
    timeoutMsg: "the records chart never got data",
  });
  assert.equal(await chart.getAttribute("data-drawn"), "true");
  assert.equal(await chart.getAttribute("data-series-count"), "1");
  for (const m of ["received_bytes", "sent_bytes", "received_records", "sent_records", "retained_bytes", "active_connection_count", "request_count", "partition_count"]) {
    assert.ok(await app.exists(`chart-${m}`), `a chart for ${m}`);
  }

  // Per topic: the two topics, in the legend too.
  await app.click("view-by-topic");
  await app.browser.waitUntil(async () => (await chart.getAttribute("data-series-count")) === "2", {
    timeout: 30_000,
    timeoutMsg: "the per-topic view never split the records",
  });
  const legend = await app.browser.$$('[data-testid="legend-received_records"] [data-testid="legend-item"]');
  const labels = [];
  for (const li of legend) labels.push(await li.getAttribute("data-label"));
  assert.deepEqual(labels.sort(), ["clicks", "views"]);

  // Under load: a bulk send runs while the dashboard refreshes.
  void app.browser.execute((args) => {
    window.__TAURI_INTERNALS__.invoke("bulk_send", args);
  }, bulk(target, "m-load", "clicks", 150_000));
  await new Promise((r) => setTimeout(r, 6000));
  await app.click("metrics-refresh");
  await app.browser.waitUntil(async () => (await chart.getAttribute("data-state")) === "ready", { timeout: 30_000 });
  await app.screenshot("metrics-dashboard-under-load");
  await app.click("view-total");
  await app.invoke("cancel_bulk", { jobId: "m-load" });
  assert.equal(await app.exists("error-banner"), false);
});
