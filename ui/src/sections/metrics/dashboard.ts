// The dashboard's state and timing, without the DOM: which range, which view, each chart's last
// answer and error, when to re-read (auto-refresh), how long to wait after a 429 (backoff), and a
// pause while the window is hidden. The section component only renders these signals.
import { computed, signal } from "@preact/signals";

import { type BridgeError, asBridgeError } from "../../api";
import type { MetricDescriptorView, MetricInput, MetricView } from "../../bindings";
import { type RangeChoice, backoffDelay, refreshInterval, resolveRange } from "./range";
import { topicsIn } from "./series";

export interface Slot {
  /** The last answer, kept on screen through later failures. */
  view: MetricView | null;
  /** The last attempt's failure (cleared by a success). */
  error: BridgeError | null;
  loading: boolean;
  /** When `view` arrived (ms). */
  at: number | null;
  /** What `view` answers: by topic or the cluster total. */
  byTopic: boolean;
}

export interface Deps {
  query: (input: MetricInput) => Promise<MetricView>;
  descriptors: () => Promise<MetricDescriptorView[]>;
  now?: () => number;
}

/** Waits this long after the last topic-filter change before asking again (clicks come in bursts). */
export const FILTER_DEBOUNCE_MS = 400;

const EMPTY: Slot = { view: null, error: null, loading: false, at: null, byTopic: false };

export class MetricsDashboard {
  readonly range = signal<RangeChoice>({ kind: "preset", id: "1h" });
  readonly byTopic = signal(false);
  /** The topic filter (by-topic view only); empty: every topic. */
  readonly topics = signal<string[]>([]);
  readonly autoRefresh = signal(true);
  readonly descriptors = signal<MetricDescriptorView[] | null>(null);
  readonly slots = signal<Record<string, Slot>>({});
  /** Topics seen in any per-topic answer so far (the filter's choices). */
  readonly seen = signal<string[]>([]);
  /** A 429 backoff in progress: when the retry is due. */
  readonly retryAt = signal<number | null>(null);
  /** When the next automatic refresh is due (null: none planned). */
  readonly nextAt = signal<number | null>(null);
  /** The age of what is on screen: the oldest chart's arrival. */
  readonly updatedAt = computed(() => {
    const ats = Object.values(this.slots.value)
      .map((s) => s.at)
      .filter((a): a is number => a != null);
    return ats.length ? Math.min(...ats) : null;
  });

  private attempt = 0;
  private gen = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: { at: number; only?: string[] } | null = null;
  private inFlight = new Set<string>();
  private hidden = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    readonly metrics: readonly string[],
    private readonly deps: Deps,
  ) {
    this.now = deps.now ?? Date.now;
    this.slots.value = Object.fromEntries(metrics.map((m) => [m, EMPTY]));
  }

  descriptor(metric: string): MetricDescriptorView | undefined {
    return this.descriptors.value?.find((d) => d.name === metric);
  }

  /** Whether the metric can be broken down by topic (its descriptor has a `topic` label). */
  hasTopics(metric: string): boolean {
    return !!this.descriptor(metric)?.labels.includes("topic");
  }

  /** What to ask for one chart now. */
  input(metric: string): MetricInput {
    const { start_ms, end_ms } = resolveRange(this.range.value, this.now());
    const byTopic = this.byTopic.value && this.hasTopics(metric);
    return { metric, start_ms, end_ms, by_topic: byTopic, topics: byTopic ? this.topics.value : [] };
  }

  start() {
    this.stopped = false;
    void this.refresh();
  }

  stop() {
    this.stopped = true;
    this.gen++;
    this.inFlight.clear();
    clearTimeout(this.timer);
    this.pending = null;
  }

  /** The window was hidden or shown again: timers pause, and a refresh that fell due runs on return. */
  setHidden(hidden: boolean) {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    clearTimeout(this.timer);
    if (!hidden && this.pending) this.arm();
  }

  setRange(choice: RangeChoice) {
    this.range.value = choice;
    void this.refresh();
  }

  setByTopic(on: boolean) {
    this.byTopic.value = on;
    void this.refresh(this.metrics.filter((m) => this.hasTopics(m)));
  }

  setTopics(topics: string[]) {
    this.topics.value = topics;
    if (this.byTopic.value) this.plan(this.now() + FILTER_DEBOUNCE_MS, this.metrics.filter((m) => this.hasTopics(m)));
  }

  setAutoRefresh(on: boolean) {
    this.autoRefresh.value = on;
    if (this.retryAt.value != null) return; // a backoff retry stays planned
    if (on) this.planNext();
    else {
      clearTimeout(this.timer);
      this.pending = null;
      this.nextAt.value = null;
    }
  }

  /** Reads the charts (`only` some, or all) now; later answers of an older round are dropped. */
  async refresh(only?: readonly string[]): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.pending = null;
    this.nextAt.value = null;
    const gen = ++this.gen;
    // A round still under way is superseded: what it was reading is read again in this one.
    const wanted = only?.length ? this.metrics.filter((m) => only.includes(m) || this.inFlight.has(m)) : [...this.metrics];
    this.inFlight = new Set(wanted);
    this.patch(wanted, (s) => ({ ...s, loading: true }));

    const errors = new Map<string, BridgeError>();
    if (!this.descriptors.value) {
      try {
        const list = await this.deps.descriptors();
        if (gen !== this.gen) return;
        this.descriptors.value = list;
      } catch (e) {
        if (gen !== this.gen) return;
        const be = asBridgeError(e);
        this.inFlight.clear();
        for (const m of wanted) errors.set(m, be);
        this.patch(wanted, (s) => ({ ...s, loading: false, error: be }));
        return this.after(errors);
      }
    }

    await Promise.all(
      wanted.map(async (metric) => {
        const input = this.input(metric);
        try {
          const view = await this.deps.query(input);
          if (gen !== this.gen) return;
          this.inFlight.delete(metric);
          this.patch([metric], () => ({ view, error: null, loading: false, at: this.now(), byTopic: input.by_topic }));
          if (input.by_topic) this.seen.value = topicsIn([view], this.seen.value);
        } catch (e) {
          if (gen !== this.gen) return;
          this.inFlight.delete(metric);
          const be = asBridgeError(e);
          errors.set(metric, be);
          this.patch([metric], (s) => ({ ...s, loading: false, error: be }));
        }
      }),
    );
    if (gen !== this.gen) return;
    this.after(errors);
  }

  /** After a round: back off on 429 (retrying only what was refused), else plan the next refresh. */
  private after(errors: Map<string, BridgeError>) {
    if (this.stopped) return;
    const limited = [...errors].filter(([, e]) => e.code === "CLOUD_RATE_LIMITED").map(([m]) => m);
    if (limited.length) {
      const at = this.now() + backoffDelay(this.attempt++);
      this.retryAt.value = at;
      // Whatever else failed is read again with them.
      this.plan(at, [...errors.keys()]);
      return;
    }
    this.attempt = 0;
    this.retryAt.value = null;
    this.planNext();
  }

  private planNext() {
    const every = this.autoRefresh.value ? refreshInterval(this.range.value) : null;
    if (every == null) {
      this.nextAt.value = null;
      return;
    }
    const at = this.now() + every;
    this.nextAt.value = at;
    this.plan(at);
  }

  private plan(at: number, only?: string[]) {
    clearTimeout(this.timer);
    this.pending = only ? { at, only } : { at };
    this.arm();
  }

  private arm() {
    if (this.hidden || this.stopped || !this.pending) return;
    const { at, only } = this.pending;
    this.timer = setTimeout(() => void this.refresh(only), Math.max(0, at - this.now()));
  }

  private patch(metrics: readonly string[], f: (s: Slot) => Slot) {
    const next = { ...this.slots.value };
    for (const m of metrics) next[m] = f(next[m] ?? EMPTY);
    this.slots.value = next;
  }
}
