// The harness: one step of one task. It resumes the generator and polls what it yields until
// the task parks, finishes, or spends its budget; Ready resumes it in the same step (rule 1). Here too
// cancellation is carried out (rule 8): the future a cancelled task waited on is dropped (and
// drained when it asks), the CancelledError is thrown once, and every later yield outside a
// shield ends its frame with return(). This is the only drain routine in the runtime.

import { enterTask, leaveTask } from "./current";
import { pollFields } from "./site";
import { NEXT, RETURN, RETURNED, THROW, YIELDED, isShielded, resume, takeResult } from "./frames";
import type { Future, Poll } from "./poll";
import { NOT_READY, Op, describeFuture, describeValue, isFuture, iteratorOf, valueOf } from "./poll";
import { CANCEL_DELIVERED, CANCEL_DRAINING, CANCEL_NONE, label, type Task } from "./task";

/** The step's next move on the generator, besides NEXT, THROW and RETURN: poll the current future. */
const POLL = 3;

/**
 * yieldNow()'s shared future, registered by yield-now.ts when it loads rather than imported, so
 * a bundle that never yields a turn carries none of its code.
 */
let yieldNowFuture: object = {}; // until then, an object no task can yield

/** @internal Called once by yield-now.ts: the harness carries out a task's yield of this future itself. */
export function carryOutYieldNow(future: Future<void>): void {
  yieldNowFuture = future;
}

/** Step `task` once. The task is RUNNING for the length of the step and the running task of the process. */
export function step(task: Task): void {
  const prev = enterTask(task);
  task.startStep();
  try {
    run(task);
  } finally {
    leaveTask(prev);
    if (!task.listed && !task.ended) task.outlived(); // (a step a host fault tore down too)
  }
}

function run(task: Task): void {
  const host = task.host;
  let left = host.budget;
  let mode: number;
  let arg: unknown = undefined;
  if (!task.started) {
    if (task.cancelTrack !== CANCEL_NONE) return task.finishUnstarted(); // aborted before it ever ran
    const body = task.start();
    try {
      task.top = iteratorOf(body, "spawn()");
    } catch (error) {
      return task.finish(false, error);
    }
    mode = NEXT;
  } else if (task.fut !== undefined) {
    mode = POLL;
  } else if (task.cancelTrack === CANCEL_NONE || isShielded(task)) {
    // No future to poll: the task did `yield* yieldNow()` (carried out below), or its last
    // step was torn down by a host fault. Either way it goes on from its yield.
    mode = NEXT;
  } else {
    // Aborted while it waited its turn after a yieldNow: the error comes at that yield (rule 8).
    mode = THROW;
    arg = task.deliverCancel();
  }

  for (;;) {
    if (mode === POLL) {
      const fut = task.fut as Future<unknown>;
      const track = task.cancelTrack;
      if (track !== CANCEL_NONE && track !== CANCEL_DRAINING && !isShielded(task)) {
        if (track === CANCEL_DELIVERED) {
          // A cancelled task cannot yield: the future is dropped unpolled and the frame returns.
          task.setFuture(undefined);
          mode = RETURN;
          left--;
        } else if (!task.futPolled) {
          // REQUESTED at a future it has not polled (aborted during its own step, or right after
          // a drained value was delivered): nothing was arranged for it, so nothing to drop.
          mode = THROW;
          arg = task.deliverCancel();
        } else {
          let more = false;
          try {
            more = typeof fut.drop === "function" && fut.drop(task) === true;
          } catch (error) {
            more = false;
            arg = task.deliverCancel(error); // a drop that throws replaces the cancellation
            mode = THROW;
            continue;
          }
          if (more) {
            task.beginDrain(); // poll it on below, until it settles
          } else {
            mode = THROW;
            arg = task.deliverCancel();
          }
        }
        if (mode !== POLL) continue;
      }

      task.beforePoll();
      left--;
      if (host.sink !== undefined) host.emit("poll", task, describeFuture(fut), undefined, pollFields(fut));
      let v: unknown;
      try {
        v = valueOf(fut, task); // an answer that is not a Poll is a TypeError at the yield
      } catch (error) {
        // Rule 4: a poll that throws throws at the yield.
        if (host.sink !== undefined) host.emit("throw", task, errorText(error));
        mode = THROW;
        arg = task.cancelTrack === CANCEL_DRAINING ? task.deliverCancel(error) : error;
        task.setFuture(undefined);
        continue;
      }
      if (v === NOT_READY) {
        task.endPoll();
        return;
      }
      task.setFuture(undefined);
      if (host.sink !== undefined) host.emit("ready", task);
      // A drained future that settles Ready had decided its value before the cancellation came:
      // the task receives it, and the CancelledError comes at its next yield.
      if (task.cancelTrack === CANCEL_DRAINING) task.drainDelivered();
      mode = NEXT;
      arg = v;
    }

    const code = resume(task, mode, arg);
    const y = takeResult();
    if (code === YIELDED) {
      if (y === yieldNowFuture && host.sink === undefined && task.cancelTrack === CANCEL_NONE) {
        // `yield* yieldNow()`, carried out here: the task goes to the back of the queue as its
        // first poll would send it (Pending after waking itself), and its next step resumes it
        // as its second poll would (Ready): no poll, no wake, no park-or-requeue decision (W3
        // −15 % on its own; −50 % with the shared yieldNow() and the walk). Traced runs take
        // the general path, so their events stay the same; a cancelled task too (its yield must
        // end it now). (While yield sites are captured, each yieldNow() is an object of its
        // own: polled as written.)
        // task.fut is already undefined (cleared before every resume), so the next step
        // resumes the task from its yield without a poll (see the top of run()).
        task.yieldedNow();
        return;
      }
      task.setFuture(y instanceof Op || isFuture(y) ? y : new ThrowAtYield(new TypeError(notAFuture(y, task))));
      mode = POLL;
      if (left <= 0) {
        task.requeue(); // rule 7: a task that spent its budget goes to the back
        return;
      }
      continue;
    }
    return code === RETURNED ? task.finish(true, y) : task.finish(false, y);
  }
}

/** The answer to a yield of something that is not a future: its poll throws the TypeError (so a cancelled task drops it like any other yield). */
class ThrowAtYield implements Future<never> {
  constructor(private readonly error: TypeError) {}
  poll(): Poll<never> {
    throw this.error;
  }
  describe(): string {
    return "a value that is not a future";
  }
}

/** "Name: message" for an Error, the value's text otherwise. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return describeValue(error);
}

function notAFuture(value: unknown, task: Task): string {
  const what = describeValue(value);
  let hint = "";
  if (what === "a generator object") hint = ": did you mean yield* instead of yield?";
  else if (what === "a Promise") hint = ": wrap it with fromPromise(promise)";
  else if (what.startsWith("a function")) hint = ": did you mean to call it, or yield* call(fn)?";
  return `${label(task)} yielded ${what}, which is not a Future (an object with poll(cx))${hint}`;
}
