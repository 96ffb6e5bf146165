// Benchmark (not a test): a cluster with N topics (default 2,000) on the sandbox, listed in the real
// window. Prints how long the list takes to appear, how long a filter takes, and the longest frame
// while scrolling through it. Run after a release build, inside Xvfb and a keyring session:
//   tests/with-keyring.sh xvfb-run -a node tests/bench/topics.mjs [N]
import { App } from "../e2e/harness.mjs";

const N = Number(process.argv[2] ?? 2000);
const app = await App.start();
try {
  await app.waitFor("nav-clusters");
  // Set-up through the same commands the window uses (the UI flow itself is e2e-tested).
  const ok = async (cmd, args) => {
    for (let i = 0; ; i++) {
      const r = await app.invoke(cmd, args);
      if (!r.err) return r.ok;
      if (r.err.code !== "SANDBOX_NOT_READY" || i > 120) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  };
  const conn = { connectionId: "sandbox" };
  const env = await ok("create_environment", { ...conn, displayName: "bench" });
  let cluster = await ok("create_cluster", {
    ...conn,
    input: { environment_id: env.id, name: "many-topics", type: "Standard", cku: null, cloud: "AWS", region: "us-east-1", availability: "SINGLE_ZONE" },
  });
  while (cluster.phase !== "PROVISIONED") {
    await new Promise((r) => setTimeout(r, 250));
    cluster = await ok("get_cluster", { ...conn, environmentId: env.id, clusterId: cluster.id });
  }
  // A key of my account: a service account's key would need ACLs to create and list topics.
  const me = await ok("my_account", conn);
  const key = await ok("create_api_key", { ...conn, input: { owner_id: me.id, cluster_id: cluster.id, environment_id: env.id, name: "bench", description: "", acls: [] } });
  const auth = "Basic " + Buffer.from(`${key.key.id}:${key.secret}`).toString("base64");
  const url = `${cluster.rest_endpoint}/kafka/v3/clusters/${cluster.id}/topics`;

  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const r = await fetch(url, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({ topic_name: `bench.topic-${String(i).padStart(5, "0")}`, partitions_count: 1 }),
      });
      if (r.status !== 201) throw new Error(`topic ${i}: HTTP ${r.status} ${await r.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(`created ${N} topics through Kafka REST in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // The window: from the click to the count "N of N" on screen.
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    await app.click("nav-clusters");
    const start = Date.now();
    await app.click("nav-topics");
    await app.browser.waitUntil(async () => (await (await app.$("topics-count")).getProperty("textContent"))?.startsWith(`${N} of ${N}`), {
      timeout: 60_000,
      interval: 20,
    });
    rounds.push(Date.now() - start);
  }
  console.log(`topics screen to ${N} rows listed (command + render, 3 rounds): ${rounds.join(" / ")} ms`);

  // Filtering: the table's own measure of filter+sort, and the wall time to the new count.
  const filters = [];
  for (const q of ["topic-01", "bench.topic-0199", "zzz", ""]) {
    const t = Date.now();
    if (q) await app.type("topics-search", q);
    else {
      // WebDriver's clear fires no input event; Escape is the table's own "clear the filter".
      await app.click("topics-search");
      await app.browser.keys("Escape");
    }
    await app.browser.waitUntil(async () => {
      const count = (await (await app.$("topics-count")).getProperty("textContent")) ?? "";
      return q === "" ? count.startsWith(`${N} of`) : !count.startsWith(`${N} of`);
    }, { timeout: 10_000, interval: 10 });
    const timing = await app.browser.execute(() => window.__gureumTiming);
    if (!timing) throw new Error("the table published no timing");
    filters.push(`"${q}" → ${timing.shown} rows: filter+sort ${timing.lastFilterMs.toFixed(1)} ms, render ${timing.lastRenderMs.toFixed(1)} ms, typed-to-shown ${Date.now() - t} ms`);
  }
  console.log(filters.join("\n"));

  // Frame times in the page: "table" scrolls the topic table top to bottom 400 px per frame,
  // "plain" does the same to a non-virtualised list of the same rows (what painting a scroll costs
  // in this window at all: Xvfb has no GPU), "idle" changes nothing for 60 frames.
  const frames = (mode) =>
    app.browser.executeAsync(
      (mode, n, done) => {
        let box = document.querySelector(".dt-scroll");
        box.scrollTop = 0;
        if (mode === "plain") {
          box = document.createElement("div");
          box.style.cssText = "position:fixed;inset:120px 40px 40px 260px;overflow:auto;background:var(--panel);z-index:99";
          box.innerHTML = Array.from({ length: n }, (_, i) => `<div style="height:36px;display:flex;gap:2rem;align-items:center;box-shadow:inset 0 -1px 0 #ccc"><span>bench.topic-${i}</span><span>1</span><span>1</span><span>7 d</span></div>`).join("");
          document.body.append(box);
        }
        const deltas = [];
        let last = performance.now();
        const step = () => {
          const now = performance.now();
          deltas.push(now - last);
          last = now;
          const end = mode === "idle" ? deltas.length >= 60 : box.scrollTop + box.clientHeight >= box.scrollHeight - 1;
          if (end) {
            if (mode === "plain") box.remove();
            deltas.sort((a, b) => a - b);
            done({ frames: deltas.length, median: deltas[Math.floor(deltas.length / 2)], p95: deltas[Math.floor(deltas.length * 0.95)], max: deltas.at(-1) });
            return;
          }
          if (mode !== "idle") box.scrollTop += 400;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      },
      mode,
      N,
    );
  // Software painting under Xvfb is slow: give each measurement time to finish.
  await app.browser.setTimeout({ script: 300_000 });
  const show = (what, f) => console.log(`${what}: ${f.frames} frames, median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms`);
  show(`scrolling the ${N}-topic table, 400 px per frame`, await frames("table"));
  show(`baseline: a plain ${N}-row list scrolled the same way`, await frames("plain"));
  show("baseline: idle frames in this window", await frames("idle"));
} finally {
  await app.stop();
}
