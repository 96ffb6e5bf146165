import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { type Column, DataTable } from "../src/components/DataTable";
import { lang } from "../src/i18n";

interface Topic {
  name: string;
  partitions: number | null;
}

// topic-00000 … topic-04999, partitions cycling 1..12; every 100th has none (sorts last).
const topics = (n: number): Topic[] =>
  Array.from({ length: n }, (_, i) => ({ name: `topic-${String(i).padStart(5, "0")}`, partitions: i % 100 === 99 ? null : (i % 12) + 1 }));

const columns: Column<Topic>[] = [
  { key: "name", header: "Name", render: (r) => r.name, sort: (r) => r.name },
  { key: "partitions", header: "Partitions", render: (r) => String(r.partitions ?? "—"), sort: (r) => r.partitions, width: "8rem", align: "right" },
  { key: "note", header: "Note", render: () => "x" },
];

function setup(rows: Topic[], extra: Partial<Parameters<typeof DataTable<Topic>>[0]> = {}) {
  const onRowClick = vi.fn();
  render(
    <DataTable<Topic>
      rows={rows}
      columns={columns}
      rowKey={(r) => r.name}
      searchText={(r) => r.name}
      testid="topics"
      empty="No topics yet."
      label="Topics"
      onRowClick={onRowClick}
      {...extra}
    />,
  );
  return { onRowClick };
}

const rowKeys = () => screen.queryAllByTestId("topics-row").map((r) => r.dataset.key!);
/** Rows in display order (the DOM keeps an off-screen focused row at the end). */
const orderedKeys = () =>
  screen
    .queryAllByTestId("topics-row")
    .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
    .map((r) => r.dataset.key!);
const scroller = () => document.querySelector(".dt-scroll") as HTMLElement;

beforeEach(() => {
  lang.value = "en";
  delete window.__gureumTiming;
});
afterEach(cleanup);

describe("DataTable", () => {
  it("renders only a window of 5,000 rows, and the window follows the scroll", () => {
    setup(topics(5000));
    expect(screen.getByTestId("topics-count").textContent).toBe("5000 of 5000");
    const first = rowKeys();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(60);
    expect(first[0]).toBe("topic-00000");
    // The body is as tall as all rows, so the scrollbar is honest.
    expect((document.querySelector(".dt-body") as HTMLElement).style.height).toBe(`${5000 * 36}px`);

    const el = scroller();
    el.scrollTop = 2500 * 36;
    fireEvent.scroll(el);
    const keys = rowKeys();
    expect(keys.length).toBeLessThan(60);
    expect(keys).toContain("topic-02500");
    expect(keys).not.toContain("topic-00000");
    const row = screen.getAllByTestId("topics-row").find((r) => r.dataset.key === "topic-02500")!;
    expect(row.style.top).toBe(`${2500 * 36}px`);
    expect(row.getAttribute("aria-rowindex")).toBe("2502");
    // Until the user moves into the rows, the tab stop is the first row in view.
    expect(screen.getAllByTestId("topics-row").filter((r) => r.tabIndex === 0).map((r) => r.dataset.key)).toEqual(["topic-02500"]);
  });

  it("filters case-insensitively as you type, says N of M, and Escape clears", () => {
    setup(topics(5000));
    const search = screen.getByTestId("topics-search");
    fireEvent.input(search, { target: { value: "TOPIC-0499" } });
    expect(screen.getByTestId("topics-count").textContent).toBe("10 of 5000");
    expect(orderedKeys()).toEqual(Array.from({ length: 10 }, (_, i) => `topic-0499${i}`));

    fireEvent.input(search, { target: { value: "nope" } });
    expect(rowKeys()).toEqual([]);
    expect(screen.getByTestId("topics-empty").textContent).toBe("Nothing matches “nope”.");

    fireEvent.keyDown(search, { key: "Escape" });
    expect((search as HTMLInputElement).value).toBe("");
    expect(screen.getByTestId("topics-count").textContent).toBe("5000 of 5000");
  });

  it("matches any of several search texts", () => {
    render(
      <DataTable<Topic>
        rows={topics(30)}
        columns={columns}
        rowKey={(r) => r.name}
        searchText={(r) => [r.name, `p${r.partitions}`]}
        testid="topics"
        empty="-"
        label="Topics"
      />,
    );
    fireEvent.input(screen.getByTestId("topics-search"), { target: { value: "p12" } });
    expect(orderedKeys()).toEqual(["topic-00011", "topic-00023"]);
  });

  it("shows the empty text when there are no rows at all", () => {
    setup([]);
    expect(screen.getByTestId("topics-empty").textContent).toBe("No topics yet.");
    expect(screen.getByTestId("topics-count").textContent).toBe("0 of 0");
  });

  it("sorts by a header, toggling ascending and descending, numbers as numbers and blanks last", () => {
    setup(topics(200));
    const header = screen.getByTestId("topics-sort-partitions");
    // A real button, so Enter and Space sort from the keyboard too.
    expect(header.tagName).toBe("BUTTON");
    const th = header.closest("[role=columnheader]")!;
    expect(th.getAttribute("aria-sort")).toBe("none");

    fireEvent.click(header);
    expect(th.getAttribute("aria-sort")).toBe("ascending");
    let keys = orderedKeys();
    // partitions 1 first, in their original order (stable): i % 12 === 0.
    expect(keys.slice(0, 3)).toEqual(["topic-00000", "topic-00012", "topic-00024"]);

    fireEvent.click(header);
    expect(th.getAttribute("aria-sort")).toBe("descending");
    keys = orderedKeys();
    expect(keys[0]).toBe("topic-00011"); // 12 partitions
    expect(keys).not.toContain("topic-00099");

    // The blanks (topic-00099, topic-00199) stay at the very end either way.
    const el = scroller();
    el.scrollTop = 200 * 36;
    fireEvent.scroll(el);
    expect(orderedKeys().slice(-2)).toEqual(["topic-00099", "topic-00199"]);

    // Another column starts ascending; the previous one goes back to none.
    fireEvent.click(screen.getByTestId("topics-sort-name"));
    expect(th.getAttribute("aria-sort")).toBe("none");
    expect(screen.getByTestId("topics-sort-name").closest("[role=columnheader]")!.getAttribute("aria-sort")).toBe("ascending");
    // Columns without a sort accessor have no sort control.
    expect(screen.queryByTestId("topics-sort-note")).toBeNull();
  });

  it("moves with the arrow keys, follows off-screen rows, and Enter activates", () => {
    const { onRowClick } = setup(topics(5000));
    const rows = screen.getAllByTestId("topics-row");
    // One tab stop for the whole grid.
    expect(rows.filter((r) => r.tabIndex === 0).map((r) => r.dataset.key)).toEqual(["topic-00000"]);
    rows[0]!.focus();
    fireEvent.keyDown(rows[0]!, { key: "ArrowDown" });
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-00002");
    fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-00001");
    fireEvent.keyDown(document.activeElement!, { key: "Enter" });
    expect(onRowClick).toHaveBeenCalledWith({ name: "topic-00001", partitions: 2 });

    // End jumps to the last row: it gets rendered, scrolled to and focused.
    fireEvent.keyDown(document.activeElement!, { key: "End" });
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-04999");
    expect(scroller().scrollTop).toBeGreaterThan(4900 * 36);
    expect(rowKeys()).not.toContain("topic-00000");
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" }); // stays on the last row
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-04999");
    fireEvent.keyDown(document.activeElement!, { key: "Home" });
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-00000");
    expect(scroller().scrollTop).toBe(0);
  });

  it("keeps the focused row in the DOM when scrolled away, and ArrowDown from the search enters the rows", () => {
    setup(topics(5000));
    fireEvent.keyDown(screen.getByTestId("topics-search"), { key: "ArrowDown" });
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-00000");
    const el = scroller();
    el.scrollTop = 3000 * 36;
    fireEvent.scroll(el);
    expect(rowKeys()).toContain("topic-03000");
    expect(rowKeys()).toContain("topic-00000");
    expect((document.activeElement as HTMLElement).dataset.key).toBe("topic-00000");
  });

  it("clicks call onRowClick and mark the selected row", () => {
    const { onRowClick } = setup(topics(20), { selected: "topic-00003" });
    const row = screen.getAllByTestId("topics-row").find((r) => r.dataset.key === "topic-00003")!;
    expect(row.getAttribute("aria-selected")).toBe("true");
    expect(row.classList.contains("selected")).toBe(true);
    fireEvent.click(screen.getAllByTestId("topics-row")[5]!);
    expect(onRowClick).toHaveBeenCalledWith({ name: "topic-00005", partitions: 6 });
  });

  it("publishes how long the last filter and sort took, as a plain object", () => {
    setup(topics(10_000));
    fireEvent.input(screen.getByTestId("topics-search"), { target: { value: "7" } });
    fireEvent.click(screen.getByTestId("topics-sort-partitions"));
    const timing = window.__gureumTiming!;
    expect(Object.getPrototypeOf(timing)).toBe(Object.prototype);
    expect(Object.keys(timing).sort()).toEqual(["lastFilterMs", "lastRenderMs", "shown", "total"]);
    expect(timing.total).toBe(10_000);
    expect(timing.shown).toBe(Number(screen.getByTestId("topics-count").textContent!.split(" ")[0]));
    expect(timing.lastFilterMs).toBeGreaterThanOrEqual(0);
    expect(timing.lastRenderMs).toBeGreaterThanOrEqual(timing.lastFilterMs);
    // Generous: a filter + sort of 10,000 rows should be far below a frame budget even in jsdom.
    expect(timing.lastFilterMs).toBeLessThan(250);
  });

  it("labels the count in Korean", () => {
    lang.value = "ko";
    setup(topics(3));
    expect(screen.getByTestId("topics-count").textContent).toBe("3개 중 3개");
    lang.value = "en";
  });
});
