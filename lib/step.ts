// step(label, ...resources): a yield that says what the task does next. Timelines and reports
// show the label; wakeful/testing's partial-order reduction trusts the resources as everything
// the task's code touches until its next step (sync primitives report themselves besides).

import { currentTask } from "./current";
import type { TraceEvent } from "./events";
import { declare } from "./footprint";
import { Op, Poll, describeValue } from "./poll";
import type { Context } from "./waker";

const READY: Poll<void> = Poll.ready(undefined);

let capturing = false;

/**
 * Capture where each `step()` is yielded (a stack trace per step: off by default) so trace
 * events carry it as `yieldSite`. wakeful/testing turns it on for the run a report shows.
 * Returns the previous setting.
 * @public
 */
export function captureYieldSites(on: boolean): boolean {
  const was = capturing;
  capturing = on;
  return was;
}

/** `file:line:column` of the first frame outside this file: the `yield* step(…)` line. */
function callerSite(): string | undefined {
  const stack = new Error().stack;
  if (stack === undefined) return undefined;
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const m = /\(?([^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m !== null) frames.push(`${m[1]}\n${m[2]}:${m[3]}`);
  }
  const here = frames[0]?.split("\n")[0];
  const caller = frames.find((f) => f.split("\n")[0] !== here);
  if (caller === undefined) return undefined;
  const [file, at] = caller.split("\n");
  const parts = file.split(/[\\/]/);
  return `${parts[parts.length - 1]}:${at}`;
}

/** The trace fields a polled future contributes: a step's label and yield site. @internal */
export function traceFields(event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] }, future: unknown): void {
  if (!(future instanceof Step)) return;
  event.stepLabel = future.label;
  if (future.site !== undefined) event.yieldSite = future.site;
}

class Step extends Op<void> {
  private polled = false;
  readonly site: string | undefined = capturing ? callerSite() : undefined;
  constructor(
    readonly label: string,
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
    return `step(${JSON.stringify(this.label)})`; // the site travels in the trace event's yieldSite
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
