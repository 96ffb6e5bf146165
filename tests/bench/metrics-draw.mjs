// Benchmark (not a test): how long the Metrics section's chart (ui/src/sections/metrics/TimeChart.tsx,
// uPlot) takes to draw 7 days at 1-minute resolution for 6 series (~60k points), in WebKitGTK — the
// engine of the app's window on Linux — driven by WebKitWebDriver + MiniBrowser. Prints the median
// of N runs (default 15). Needs `npm ci --prefix ui`, webkit2gtk-driver and, without a display, Xvfb:
//   node tests/bench/metrics-draw.mjs [runs]          (re-runs itself under xvfb-run if DISPLAY is unset)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNS = Number(process.argv[2] ?? 15);

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  const r = spawnSync("xvfb-run", ["-a", "-s", "-screen 0 1280x900x24", process.execPath, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const MINIBROWSER = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser"].find(existsSync);
if (!MINIBROWSER) throw new Error("MiniBrowser (WebKitGTK 4.1) not found: install libwebkit2gtk-4.1-0 and webkit2gtk-driver");

// 1. Build the benchmark page (ui/bench) to a temp dir, outside the app's bundle.
const out = mkdtempSync(path.join(os.tmpdir(), "gureum-bench-"));
const vite = path.join(ROOT, "ui/node_modules/.bin/vite");
const built = spawnSync(vite, ["build", "bench", "--config", "bench/vite.config.ts", "--outDir", out], { cwd: path.join(ROOT, "ui"), stdio: ["ignore", "ignore", "inherit"] });
if (built.status !== 0) throw new Error("building ui/bench failed");

// 2. Serve it (module scripts need http://, not file://).
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = http.createServer((req, res) => {
  const file = path.join(out, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(out) || !existsSync(file) || statSync(file).isDirectory()) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const pagePort = server.address().port;

// 3. WebKitWebDriver, a MiniBrowser session, the page; wait for window.__bench.
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const driverPort = await freePort();
const driver = spawn("WebKitWebDriver", [`--port=${driverPort}`], { stdio: "ignore" });
const wd = async (method, url, body) => {
  const res = await fetch(`http://127.0.0.1:${driverPort}${url}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${JSON.stringify(json.value)}`);
  return json.value;
};
let session;
try {
  for (let i = 0; ; i++) {
    try {
      await wd("GET", "/status");
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  ({ sessionId: session } = await wd("POST", "/session", {
    capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
  }));
  await wd("POST", `/session/${session}/window/rect`, { width: 1200, height: 800 }).catch(() => {});
  await wd("POST", `/session/${session}/url`, { url: `http://127.0.0.1:${pagePort}/index.html?runs=${RUNS}` });
  let result = null;
  for (let i = 0; i < 600 && !result; i++) {
    result = await wd("POST", `/session/${session}/execute/sync`, { script: "return window.__bench || null", args: [] });
    if (!result) await new Promise((r) => setTimeout(r, 200));
  }
  if (!result) throw new Error("the page did not finish within 2 minutes");
  if (result.error) throw new Error(result.error);

  const m = result.median_ms;
  const f = (n) => `${n.toFixed(1)} ms`;
  console.log(`engine: WebKitGTK (MiniBrowser via WebKitWebDriver) — ${result.engine}`);
  console.log(`data: ${result.series} series × ${result.pointsPerSeries} points = ${result.points} points (7 days at 1 min); chart ${result.width} px wide, DPR ${result.devicePixelRatio}, drawn=${result.drawn}, redraws after the first: ${result.extraDraws}`);
  console.log(`median of ${result.runs} runs:`);
  console.log(`  first draw, lines (render → uPlot drawn):       ${f(m.first_draw_lines)}   [goal ≤ 100 ms]`);
  console.log(`    of which uPlot (construct + draw):            ${f(m.uplot_only_lines)}`);
  console.log(`    render → painted (2 frames later):            ${f(m.first_draw_painted)}   (2 idle frames: ${f(m.idle_frame)})`);
  console.log(`  first draw, stacked areas:                      ${f(m.first_draw_stacked)}   (painted: ${f(m.first_draw_stacked_painted)})`);
  console.log(`  refresh with new data (setData + redraw):       ${f(m.refresh_setData)}`);
  console.log(`  shaping the answer (rates, 60k values):         ${f(m.shape_rates)}`);
  console.log(`every first draw (lines), ms: ${result.all_ms.first_draw_lines.map((x) => x.toFixed(1)).join(" ")}`);
} finally {
  if (session) await wd("DELETE", `/session/${session}`).catch(() => {});
  driver.kill();
  server.close();
  rmSync(out, { recursive: true, force: true });
}
