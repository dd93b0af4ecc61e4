// step(label, ...resources): a yield that says what the task does next. Timelines and reports
// show the label; wakeful/testing's partial-order reduction trusts the resources as everything
// the task's code touches until its next step (sync primitives report themselves besides).

import { currentTask } from "./current";
import { declare } from "./footprint";
import { Op, Poll, describeValue } from "./poll";
import type { Context } from "./waker";

const READY: Poll<void> = Poll.ready(undefined);

class Step extends Op<void> {
  private polled = false;
  constructor(
    /** The label; poll events carry it as `stepLabel` (see site.ts's pollFields). */
    readonly stepLabel: string,
    readonly resources: readonly unknown[] | undefined,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (this.polled) return READY;
    this.polled = true;
    const task = currentTask();
    if (task !== undefined) declare(task.id, this.resources);
    cx.waker.wake(); // like yieldNow: back of the run queue
    return Poll.pending;
  }
  describe(): string {
    return `step(${JSON.stringify(this.stepLabel)})`; // the site travels in the trace event's site
  }
}

/**
 * Yield like `yieldNow()`, naming what the task does next: the label shows in timelines and
 * failure reports. With `resources`, it also promises that until the task's next `step()` its
 * own code touches only those (any values: strings, the objects themselves), so exhaustive
 * exploration can skip the orders of steps that touch nothing in common. Without resources, the
 * code may touch anything (the safe default). A task's first `step()` also covers the code
 * before it. Locks, semaphores and channels report what they touch by themselves; other
 * primitives (Notify, Barrier, watch, broadcast, oneshot) do not yet, so name them in the step
 * when the code uses them.
 *
 * ```ts
 * function* deposit(amount: number) {
 *   yield* step("read balance", "balance");
 *   const b = balance;
 *   yield* step("write balance", "balance");
 *   balance = b + amount;
 * }
 * ```
 * @public
 */
export function step(label: string, ...resources: unknown[]): Op<void> {
  if (typeof label !== "string") throw new TypeError(`step() needs a label (a string saying what the task does next), not ${describeValue(label)}`);
  return new Step(label, resources.length === 0 ? undefined : resources);
}
