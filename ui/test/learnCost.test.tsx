// Lesson 4's calculator on screen: totals per option, the claim, sourced prices that can be edited
// (kept locally) and reset, people's time, and a price no source gives.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { backend } from "./backend";
import { freshLearn, tidyLearn } from "./learnFixtures";
import { PRICE_DEFAULTS, PRICE_IDS, SOURCES, SOURCE_IDS } from "../src/sections/learn/cost";
import { Lesson4, PRICES_KEY, WORKLOAD_KEY, reloadCostState } from "../src/sections/learn/Lesson4";
import { progress } from "../src/sections/learn/progress";

beforeEach(() => {
  freshLearn();
  backend({});
});
afterEach(tidyLearn);

const total = (id: string) => Number(screen.getByTestId(`cost-${id}`).dataset.total);
const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });

describe("Lesson 4: the calculator", () => {
  it("shows each option's month with its breakdown, and checks the claim three ways", () => {
    render(<Lesson4 />);
    // Default workload: 3 × m5.large, 1 MB/s in, 3 out, 7 days, RF 3 over 3 zones, 3 controllers.
    expect(total("self")).toBeCloseTo(210.24 + 45.552 + 145.152 + 105.12, 2);
    expect(total("msk")).toBeCloseTo(459.9 + 181.44, 2);
    expect(Number(screen.getByTestId("cost-msk-compute").dataset.amount)).toBeCloseTo(459.9, 2);
    expect(screen.getByTestId("cost-msk-transfer").textContent).toContain("included");
    expect(screen.getByTestId("cost-self-transfer").textContent).toContain("Cross-AZ replication: 5,256 GB");
    expect(total("confluent")).toBeCloseTo(547.5 + 525.6 + 48.384, 2);
    const compute = screen.getByTestId("claim-compute");
    expect(compute.dataset.verdict).toBe("holds");
    expect(compute.textContent).toContain("46 %");
    expect(screen.getByTestId("claim-infra").dataset.verdict).toBe("fails");
    expect(screen.getByTestId("claim-allin").dataset.verdict).toBe("off");
  });

  it("names the source, its date and the vendor page's address next to every price", () => {
    render(<Lesson4 />);
    for (const id of PRICE_IDS) {
      expect(screen.getByTestId(`price-source-${id}`).textContent).toMatch(/^[A-Z]\w*, (\d{4}-\d{2}-\d{2}|undated) \[/);
      expect(screen.getByTestId(`price-url-${id}`).textContent).toBe(SOURCES[PRICE_DEFAULTS[id].source].vendor);
      expect(screen.getByTestId(`price-url-${id}-copy`)).toBeTruthy();
    }
    expect(screen.getByTestId("price-source-msk.m5.large").textContent).toContain("A1, 2026-06-23 [P]");
    expect(screen.getByTestId("price-url-msk.m5.large").textContent).toBe("https://aws.amazon.com/msk/pricing/");
    expect(screen.getByTestId("price-source-cc.dedicated.cku").textContent).toContain("doesn't publish a CKU price");
    // Every source, with where its figures were read (or that no single address was kept).
    for (const id of SOURCE_IDS) expect(screen.getByTestId(`source-${id}-vendor`).textContent).toMatch(/^https?:\/\//);
    expect(screen.getByTestId("source-A1-read-0").textContent).toContain("managing-amazon-msk/scripts/msk_sizing.py");
    expect(screen.getByTestId("source-S8").textContent).toContain("no single address was kept");
  });

  it("keeps edited prices and the workload locally, and resets prices to the defaults", async () => {
    render(<Lesson4 />);
    type("price-ec2.m5.large", "0.2");
    await waitFor(() => expect(total("self")).toBeCloseTo(438 + 45.552 + 145.152 + 105.12, 2));
    expect(JSON.parse(localStorage.getItem(PRICES_KEY)!)).toEqual({ "ec2.m5.large": 0.2 });
    type("cost-ingress", "2");
    await waitFor(() => expect(JSON.parse(localStorage.getItem(WORKLOAD_KEY)!).ingressMBps).toBe(2));
    expect(progress.value.l4).toEqual(expect.arrayContaining(["prices", "workload"]));

    // Another visit (or a restart) reads them back.
    reloadCostState();
    expect(total("self")).toBeGreaterThan(700);
    fireEvent.click(screen.getByTestId("cost-reset"));
    await waitFor(() => expect(localStorage.getItem(PRICES_KEY)).toBeNull());
    expect((screen.getByTestId("price-ec2.m5.large") as HTMLInputElement).value).toBe("0.096");
  });

  it("adds people's time and shows the all-in ratio", async () => {
    render(<Lesson4 />);
    fireEvent.click(screen.getByTestId("cost-labour"));
    await screen.findByTestId("cost-fte-self");
    expect(Number(screen.getByTestId("cost-self-labour").dataset.amount)).toBe(7500);
    const allIn = screen.getByTestId("claim-allin");
    expect(allIn.dataset.verdict).toBe("fails");
    expect(Number(allIn.dataset.ratio)).toBeGreaterThan(3);
    type("cost-fte-self", "0");
    type("cost-fte-msk", "0");
    await waitFor(() => expect(screen.getByTestId("cost-self-labour").dataset.amount).toBe("0"));
    expect(progress.value.l4).toContain("labour");
  });

  it("asks for the Dedicated CKU price no source gives", async () => {
    render(<Lesson4 />);
    fireEvent.change(screen.getByTestId("cost-cctype"), { target: { value: "Dedicated" } });
    await waitFor(() => expect(screen.getByTestId("cost-confluent").dataset.complete).toBe("false"));
    expect(screen.getByTestId("cost-confluent-capacity").textContent).toContain("enter a price");
    type("price-cc.dedicated.cku", "1.5");
    type("price-cc.dedicated.throughput", "0");
    type("price-cc.dedicated.storage", "0");
    await waitFor(() => expect(screen.getByTestId("cost-confluent").dataset.complete).toBe("true"));
    // Multi-zone Dedicated: at least 2 CKU.
    expect(total("confluent")).toBeCloseTo(2 * 1.5 * 730, 2);
  });

  it("warns about shapes the services refuse", async () => {
    render(<Lesson4 />);
    type("cost-brokers", "4");
    await screen.findByTestId("cost-warning-mskAzMultiple");
  });
});
