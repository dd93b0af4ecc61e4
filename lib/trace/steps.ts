// Steps: which events happened while which task was being polled. A step (what `rt.step()`
// does) runs one task from the queue until it parks, is requeued or finishes; spawns and wakes
// it causes carry `by: its id`. Invariant: each event belongs to at most one step; timer fires
// and outside wakes, which happen between steps, belong to none.

import type { TraceEvent } from "../events";
import { endsStep } from "./words";

/** One step of one task, as indices into the trace. */
export interface Step {
  readonly task: number;
  /** Its first and last event (the last may be a wake of a joiner, just after "complete"). */
  readonly first: number;
  last: number;
  /** The event that ended it (park, pending, complete, fail, cancel), or -1 if the trace stops mid-step. */
  end: number;
}

/** The task running when `e` happened, if it happened inside a step. */
function runnerOf(e: TraceEvent): number | undefined {
  if (typeof e.by === "number") return e.by; // spawns and wakes name the task that caused them
  switch (e.kind) {
    case "spawn":
    case "wake":
    case "timer":
      return undefined; // from outside, or by a timer: between steps
    default:
      return e.task; // poll, ready, pending, park and the endings happen in the task's own step
  }
}

/** The steps of a trace, in order, and for each event the index of its step (or -1). */
export function stepsOf(events: readonly TraceEvent[]): { steps: Step[]; stepOf: number[] } {
  const steps: Step[] = [];
  const stepOf: number[] = [];
  let open: Step | undefined = undefined;
  let closed: Step | undefined = undefined; // the step that just ended, for the wakes a completion causes
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as TraceEvent;
    const runner = runnerOf(e);
    if (runner === undefined || (open !== undefined && open.task !== runner)) open = undefined;
    if (runner === undefined) {
      closed = undefined;
      stepOf.push(-1);
      continue;
    }
    if (open === undefined) {
      if (closed !== undefined && closed.task === runner && e.task !== runner) {
        closed.last = i;
        stepOf.push(steps.length - 1);
        continue;
      }
      open = { task: runner, first: i, last: i, end: -1 };
      steps.push(open);
      closed = undefined;
    }
    open.last = i;
    stepOf.push(steps.length - 1);
    if (e.task === runner && endsStep(e.kind)) {
      open.end = i;
      closed = open;
      open = undefined;
    }
  }
  return { steps, stepOf };
}
