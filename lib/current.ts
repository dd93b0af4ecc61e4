// Which task is running right now, and the runtime a future should use. The slot lives on
// the global object under a registered symbol, so two copies of the package in one process
// (an ESM and a CommonJS one) see the same running task. Set by the task for the length of its
// step and restored afterwards (so a task may even drive another runtime synchronously).

import type { Driver } from "./driver";
import { RUNTIME, type Context } from "./waker";

/** The minimal view other modules need of the running task. */
export interface RunningTask {
  readonly id: number;
  readonly name: string | undefined;
  readonly finished: boolean;
  readonly host: unknown;
}

interface Slot {
  task: RunningTask | undefined;
}

const KEY = Symbol.for("wakeful.running");
const global = globalThis as { [KEY]?: Slot };
const slot: Slot = (global[KEY] ??= { task: undefined });

export function currentTask(): RunningTask | undefined {
  return slot.task;
}

/** Make `task` the running one; returns the previous, to hand back to {@link leaveTask}. */
export function enterTask(task: RunningTask): RunningTask | undefined {
  const prev = slot.task;
  slot.task = task;
  return prev;
}

export function leaveTask(prev: RunningTask | undefined): void {
  slot.task = prev;
}

/**
 * The runtime a future polled with `cx` belongs to: the one the driver's Context carries, or,
 * for a hand-made `{ waker }` context, the runtime of the task being polled. `who` names the
 * future in the error thrown when there is neither.
 */
export function driverOf(cx: Context | undefined, who: string): Driver {
  const d = findDriver(cx);
  if (d === undefined) {
    throw new Error(`${who} must be polled by a wakeful task (it needs the task's runtime and clock): yield* it inside a task, or await run(it)`);
  }
  return d;
}

/** {@link driverOf}, or undefined when there is no runtime to find (a future that can do without). */
export function findDriver(cx: Context | undefined): Driver | undefined {
  const carried = cx === undefined ? undefined : (cx as { [RUNTIME]?: unknown })[RUNTIME];
  if (carried !== undefined) return carried as Driver;
  const t = slot.task;
  return t === undefined ? undefined : (t.host as Driver);
}
