// Chart colours come from the stylesheet's CSS variables (light-dark() pairs), resolved to real
// colours for the canvas, and are re-read whenever the theme changes: the OS (prefers-color-scheme)
// or Settings (data-theme on <html>).

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  cursor: string;
  panel: string;
  series: string[];
}

export const SERIES_VARS = 8;

const FALLBACK: ChartColors = {
  text: "#1b2030",
  muted: "#5b6478",
  grid: "#d8deea",
  cursor: "#5b6478",
  panel: "#ffffff",
  series: ["#2f5bea", "#0d7a6f", "#c2410c", "#7c3aed", "#a16207", "#be185d", "#15803d", "#0369a1"],
};

let cached: { key: string; colors: ChartColors } | null = null;

/** What decides the colours: the theme pinned in Settings, else the OS's. */
function themeKey(): string {
  const dark = typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
  return `${document.documentElement.dataset.theme ?? "system"}|${dark}`;
}

/** The chart colours for the current theme, read once per theme (every chart uses the same ones). */
export function chartColors(host: Element): ChartColors {
  const key = themeKey();
  if (cached?.key !== key) cached = { key, colors: readColors(host) };
  return cached.colors;
}

/**
 * Resolves `var(--x)` colours as the element sees them. A custom property's computed value is its
 * text (e.g. "light-dark(#fff, #000)"), so each is applied to a probe's `color` and read back.
 */
export function readColors(host: Element): ChartColors {
  const doc = host.ownerDocument;
  const probe = doc.createElement("span");
  probe.style.display = "none";
  host.appendChild(probe);
  const view = doc.defaultView;
  const read = (name: string, fallback: string) => {
    probe.style.color = "";
    probe.style.color = `var(${name}, ${fallback})`;
    const c = view?.getComputedStyle(probe).color ?? "";
    return c && !c.includes("var(") ? c : fallback;
  };
  try {
    return {
      text: read("--text", FALLBACK.text),
      muted: read("--muted", FALLBACK.muted),
      grid: read("--chart-grid", FALLBACK.grid),
      cursor: read("--chart-cursor", FALLBACK.cursor),
      panel: read("--panel", FALLBACK.panel),
      series: FALLBACK.series.map((f, i) => read(`--chart-${i + 1}`, f)),
    };
  } finally {
    probe.remove();
  }
}

/** A colour with an alpha, for area fills: works for rgb()/rgba() and #rrggbb. */
export function withAlpha(color: string, alpha: number): string {
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return color;
}

/** Calls `onChange` when the effective theme may have changed; returns the unsubscribe. */
export function onThemeChange(onChange: () => void): () => void {
  const root = document.documentElement;
  const observer = new MutationObserver(onChange);
  observer.observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  const media = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  media?.addEventListener?.("change", onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.("change", onChange);
  };
}
