// Test doubles for the core specs: futures that count what the driver does to them (polls,
// drops, the wakers they were handed), so every driver rule can be asserted by observation.

import { Op, Poll, Runtime } from "../../lib/index";
import type { Context, RuntimeOptions, TraceEvent, Waker } from "../../lib/index";

/**
 * A leaf future guarding one token. `open()` makes the token available and wakes the waiter;
 * the poll that finds it open hands it over (Ready). `drop()` undoes the wait: the waker is
 * forgotten and an un-handed token stays here. So at any time the token is in exactly one
 * place: `held` (still here) or `taken` (handed to the task).
 */
export class Gate<T = string> extends Op<T> {
  polls = 0;
  drops = 0;
  /** Every `this` a poll ran on: rule 3 says it is always the same object. */
  readonly polledOn: unknown[] = [];
  /** The waker from the last Pending poll, until woken or dropped. */
  waker: Waker | undefined = undefined;
  held = false;
  taken = false;
  /**
   * Optional hook run once inside the next poll, before the answer is decided (for "during the
   * poll" races). Returning "pending" makes that poll answer Pending even if the gate is open:
   * an event that arrived while the future was registering its waker.
   */
  duringPoll: ((cx: Context, gate: Gate<T>) => "pending" | void) | undefined = undefined;

  constructor(
    readonly label: string,
    private readonly value: T = label as unknown as T,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    this.polls++;
    this.polledOn.push(this);
    const hook = this.duringPoll;
    this.duringPoll = undefined;
    const forcePending = hook !== undefined && hook(cx, this) === "pending";
    if (this.held && !forcePending) {
      this.held = false;
      this.taken = true;
      this.waker = undefined;
      return Poll.ready(this.value);
    }
    this.waker = cx.waker;
    return Poll.pending;
  }

  /** Make the token available and wake whoever waits. */
  open(): void {
    this.held = true;
    const w = this.waker;
    this.waker = undefined;
    if (w !== undefined) w.wake();
  }

  drop(): void {
    this.drops++;
    this.waker = undefined;
  }

  describe(): string {
    return `gate ${this.label}`;
  }
}

/** A future that is ready at once and counts its polls. */
export class Counted<T> extends Op<T> {
  polls = 0;
  constructor(private readonly value: T) {
    super();
  }
  poll(): Poll<T> {
    this.polls++;
    return Poll.ready(this.value);
  }
}

/** A virtual-clock runtime, with extra options. */
export function virtual(options: Omit<RuntimeOptions, "clock"> = {}): Runtime {
  return new Runtime({ ...options, clock: "virtual" });
}

/** Step `rt` by hand until nothing is ready; returns the events. Fails the test past `max` steps. */
export function stepAll(rt: Runtime, max = 10_000): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; i < max; i++) {
    const e = rt.step();
    if (e === undefined) return out;
    out.push(e);
  }
  throw new Error(`stepAll: still stepping after ${max} steps`);
}

/** The error `f` throws (fails when it does not throw). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but it returned normally");
}

/** The error `p` rejects with (fails when it resolves). */
export async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but it resolved");
}

/** The outcome of a join, as data: `{ value }` or `{ error }`. */
export type Outcome<T> = { value: T } | { error: unknown };

