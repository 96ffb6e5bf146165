import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";

import { t } from "../i18n";

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ComponentChildren;
  /** What the column sorts by; without it the header isn't sortable. null/undefined sort last. */
  sort?: (row: T) => string | number | null | undefined;
  /** A CSS grid track, e.g. "8rem" or "2fr"; the default shares the rest evenly. */
  width?: string;
  align?: "left" | "right" | "center";
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** The text(s) the search box matches, case-insensitively. Read when `rows` changes. */
  searchText: (row: T) => string | readonly string[];
  /** Prefix of the data-testids: `<testid>-row`, `-search`, `-count`, `-empty`. */
  testid: string;
  /** Shown when there are no rows at all (a filter that matches nothing says so itself). */
  empty: string;
  /** The accessible name of the grid. */
  label: string;
  onRowClick?: (row: T) => void;
  selected?: string | null;
  initialSort?: { key: string; dir: SortDir };
  /** Every row is exactly this tall (px): that is what makes the windowing cheap. */
  rowHeight?: number;
  /** CSS max-height of the scrolling area. */
  maxHeight?: string;
}

export type SortDir = "asc" | "desc";

/** What the last filter+sort cost, for the end-to-end tests (read from window.__gureumTiming). */
export interface TableTiming {
  lastFilterMs: number;
  lastRenderMs: number;
  shown: number;
  total: number;
}
declare global {
  interface Window {
    __gureumTiming?: TableTiming;
  }
}

const OVERSCAN = 8;
/** Used until the scroll area is measured (and in jsdom, which has no layout). */
const FALLBACK_VIEW = 640;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

type SortKey = string | number | null | undefined;
function compareKeys(a: SortKey, b: SortKey): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * A filterable, sortable grid for thousands of rows: only the rows in view (plus a few) are in the DOM.
 * Rows are absolutely placed at index × rowHeight, so the scroll height is exact and nothing reflows.
 */
export function DataTable<T>(p: DataTableProps<T>) {
  const rowH = p.rowHeight ?? 36;
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<{ key: string; dir: SortDir } | null>(p.initialSort ?? null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewH, setViewH] = useState(0);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  const t0 = useRef<number | null>(null);
  const filterMs = useRef(0);
  const latest = useRef(p);
  latest.current = p;

  // Lower-cased once per rows change, so each keystroke is only a substring test per row.
  const index = useMemo(
    () =>
      p.rows.map((row) => {
        const s = latest.current.searchText(row);
        return { row, text: (typeof s === "string" ? s : s.join("\u0000")).toLowerCase() };
      }),
    [p.rows],
  );

  const shown = useMemo(() => {
    const start = performance.now();
    t0.current = start;
    const q = query.trim().toLowerCase();
    const hits = q ? index.filter((e) => e.text.includes(q)) : index.slice();
    const by = sort && latest.current.columns.find((c) => c.key === sort.key)?.sort;
    let out: T[];
    if (sort && by) {
      // Decorate once: the accessor runs n times, not n·log n.
      const keyed = hits.map((e, i) => ({ row: e.row, k: by(e.row), i }));
      const sign = sort.dir === "asc" ? 1 : -1;
      keyed.sort((a, b) => {
        const c = compareKeys(a.k, b.k);
        // Empty values stay last both ways; ties keep the incoming order.
        if (a.k == null || b.k == null) return c || a.i - b.i;
        return c * sign || a.i - b.i;
      });
      out = keyed.map((e) => e.row);
    } else {
      out = hits.map((e) => e.row);
    }
    filterMs.current = performance.now() - start;
    return out;
  }, [index, query, sort]);

  useLayoutEffect(() => {
    if (t0.current === null) return;
    window.__gureumTiming = {
      lastFilterMs: filterMs.current,
      lastRenderMs: performance.now() - t0.current,
      shown: shown.length,
      total: p.rows.length,
    };
    t0.current = null;
  }, [shown]);

  // The viewport height follows the element (window resizes, panels opening).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewH(el.clientHeight);
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [shown.length === 0]);

  // The row that has (or last had) focus; -1 until the user moves into the rows, or after it is filtered out.
  const activeIndex = useMemo(() => (activeKey === null ? -1 : shown.findIndex((r) => p.rowKey(r) === activeKey)), [shown, activeKey]);

  const headH = headRef.current?.offsetHeight || rowH;
  const view = viewH || FALLBACK_VIEW;
  const first = Math.max(0, Math.floor(Math.max(0, scrollTop - headH) / rowH) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scrollTop + view) / rowH) + OVERSCAN);
  const visible: number[] = [];
  for (let i = first; i < last; i++) visible.push(i);
  // Keep the focused row in the DOM even when scrolled away, so focus isn't lost to <body>.
  if (activeIndex >= 0 && (activeIndex < first || activeIndex >= last)) visible.push(activeIndex);
  // One tab stop for the grid: the active row, else the first row in view.
  const tabStop = activeIndex >= 0 ? activeIndex : Math.min(shown.length - 1, Math.floor(Math.max(0, scrollTop) / rowH));

  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    bodyRef.current?.querySelector<HTMLElement>(`[data-index="${tabStop}"]`)?.focus({ preventScroll: true });
  });

  function moveTo(i: number) {
    if (!shown.length) return;
    const n = Math.max(0, Math.min(shown.length - 1, i));
    const el = scrollRef.current;
    if (el) {
      // Scroll just enough that the row is clear of the sticky header and the bottom edge.
      const top = n * rowH;
      let next = scrollTop;
      if (top < next) next = top;
      else if (top + rowH + headH > next + view) next = top + rowH + headH - view;
      if (next !== scrollTop) {
        el.scrollTop = next;
        setScrollTop(next);
      }
    }
    setActiveKey(p.rowKey(shown[n]!));
    focusPending.current = true;
  }

  function onKeyDown(e: KeyboardEvent) {
    const page = Math.max(1, Math.floor((view - headH) / rowH) - 1);
    const moves: Record<string, number> = {
      ArrowDown: tabStop + 1,
      ArrowUp: tabStop - 1,
      PageDown: tabStop + page,
      PageUp: tabStop - page,
      Home: 0,
      End: shown.length - 1,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      moveTo(to);
    } else if (e.key === "Enter" && p.onRowClick && shown[tabStop]) {
      e.preventDefault();
      p.onRowClick(shown[tabStop]!);
    }
  }

  /** A new query starts from the top of the list. */
  function search(q: string) {
    setQuery(q);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setScrollTop(0);
  }

  function toggleSort(key: string) {
    setSort((old) => (old?.key === key ? { key, dir: old.dir === "asc" ? "desc" : "asc" } : { key, dir: "asc" }));
  }

  const grid = p.columns.map((c) => c.width ?? "minmax(0, 1fr)").join(" ");
  const filtered = query.trim() !== "";
  return (
    <div class="data-table" data-testid={p.testid}>
      <div class="dt-toolbar">
        <input
          type="search"
          class="dt-search"
          data-testid={`${p.testid}-search`}
          placeholder={t("table.search")}
          aria-label={t("table.searchLabel")}
          value={query}
          spellcheck={false}
          onInput={(e) => search(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape" && query) {
              e.preventDefault();
              search("");
            } else if (e.key === "ArrowDown" && shown.length) {
              e.preventDefault();
              moveTo(0);
            }
          }}
        />
        <span class="dt-count muted" data-testid={`${p.testid}-count`} aria-live="polite">
          {t("table.count", { n: String(shown.length), m: String(p.rows.length) })}
        </span>
      </div>
      {shown.length === 0 ? (
        <p class="muted dt-empty" data-testid={`${p.testid}-empty`}>
          {p.rows.length && filtered ? t("table.noMatch", { q: query.trim() }) : p.empty}
        </p>
      ) : (
        <div
          ref={scrollRef}
          class="dt-scroll"
          style={p.maxHeight ? { maxHeight: p.maxHeight } : undefined}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <div role="grid" aria-label={p.label} aria-rowcount={shown.length + 1} style={{ "--dt-cols": grid, "--dt-row": `${rowH}px` }}>
            <div role="row" class="dt-head" ref={headRef} aria-rowindex={1}>
              {p.columns.map((c) => {
                const dir = sort?.key === c.key ? sort.dir : null;
                return (
                  <div
                    role="columnheader"
                    key={c.key}
                    class={`dt-cell dt-${c.align ?? "left"}`}
                    aria-sort={c.sort ? (dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none") : undefined}
                  >
                    {c.sort ? (
                      <button type="button" class="dt-sort" data-testid={`${p.testid}-sort-${c.key}`} onClick={() => toggleSort(c.key)}>
                        {c.header}
                        <span class="dt-arrow" aria-hidden="true">
                          {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </div>
                );
              })}
            </div>
            <div ref={bodyRef} role="rowgroup" class="dt-body" style={{ height: `${shown.length * rowH}px` }} onKeyDown={onKeyDown}>
              {visible.map((i) => {
                const row = shown[i]!;
                const key = p.rowKey(row);
                const isSelected = p.selected != null && key === p.selected;
                return (
                  <div
                    role="row"
                    key={key}
                    data-testid={`${p.testid}-row`}
                    data-key={key}
                    data-index={i}
                    aria-rowindex={i + 2}
                    aria-selected={p.selected !== undefined ? isSelected : undefined}
                    tabIndex={i === tabStop ? 0 : -1}
                    class={`dt-row${p.onRowClick ? " clickable" : ""}${isSelected ? " selected" : ""}`}
                    style={{ top: `${i * rowH}px` }}
                    onFocus={() => activeKey !== key && setActiveKey(key)}
                    onClick={() => {
                      setActiveKey(key);
                      p.onRowClick?.(row);
                    }}
                  >
                    {p.columns.map((c) => (
                      <div role="gridcell" key={c.key} class={`dt-cell dt-${c.align ?? "left"}`}>
                        {c.render(row)}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
