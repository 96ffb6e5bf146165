import { defineConfig } from "vite";

// The chart benchmark page, not part of the app: tests/bench/metrics-draw.mjs builds it with
// `vite build ui/bench --config ui/bench/vite.config.ts --outDir <temp dir>`.
export default defineConfig({
  base: "./",
  clearScreen: false,
  logLevel: "warn",
  build: { target: "es2022", emptyOutDir: true },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
} as never);
