// AbortSignal both ways. In: a future that throws the signal's reason once it aborts (race it
// against work to make that work abortable). Out: an AbortSignal tied to a task's life, for
// fetch() and other Promise APIs a task calls. Invariant: the future's listener lives only while
// a task waits; the signal made for a task aborts exactly once, when that task finishes.

import { CancelledError } from "../errors";
import { JoinHandle } from "../handle";
import { Poll, describeValue, type Op } from "../poll";
import { currentTask } from "../current";
import { errorText } from "../harness";
import type { Task } from "../task";
import type { Context } from "../waker";
import { SimpleWaker } from "../waker";
import { HostOp } from "./outside";

/** The future of {@link abortSignalFuture}: never ready with a value. */
class AbortOp extends HostOp<never> {
  private listening = false;

  constructor(private readonly signal: AbortSignal) {
    super();
  }

  private readonly onAbort = (): void => {
    this.stopListening();
    this.wakeFromHost();
  };

  poll(cx: Context): Poll<never> {
    if (this.signal.aborted) {
      this.undo();
      throw this.signal.reason; // to every waiter, at every poll: an aborted signal stays aborted
    }
    if (!this.listening) {
      this.listening = true;
      this.signal.addEventListener("abort", this.onAbort);
    }
    this.park(cx);
    return Poll.pending;
  }

  /** Stop listening (the last waiter left, or the signal aborted). */
  protected override undo(): void {
    this.stopListening();
    this.release();
  }

  describe(): string {
    return this.signal.aborted ? `abortSignalFuture (aborted: ${errorText(this.signal.reason)})` : "abortSignalFuture (waiting for the signal to abort)";
  }

  private stopListening(): void {
    if (!this.listening) return;
    this.listening = false;
    this.signal.removeEventListener("abort", this.onAbort);
  }
}

/**
 * A future that waits until `signal` aborts, then throws `signal.reason` at the yield (an
 * `AbortError` DOMException unless the aborter gave a reason). It is never ready with a value,
 * so it fits in a race: the work wins, or the abort ends the race with the reason.
 *
 * ```ts
 * const body = yield* race(fetchBody(url), abortSignalFuture(request.signal));
 * ```
 *
 * A signal that is already aborted throws at the first poll. While it waits it counts as
 * outside work; a cancelled wait removes its listener.
 * @public
 */
export function abortSignalFuture(signal: AbortSignal): Op<never> {
  if (!(signal instanceof AbortSignal)) throw new TypeError(`abortSignalFuture() needs an AbortSignal, not ${describeValue(signal)}`);
  return new AbortOp(signal);
}

/** A waker that aborts a controller when the task it watches finishes (a watcher: it does not join). */
class AbortOnFinish extends SimpleWaker {
  constructor(
    private readonly handle: JoinHandle<unknown>,
    private readonly controller: AbortController,
  ) {
    super();
  }
  wake(): void {
    if (!this.controller.signal.aborted) this.controller.abort(reasonFor(this.handle));
  }
}

function reasonFor(handle: JoinHandle<unknown>): unknown {
  const end = handle.ending();
  if (end === undefined) return new CancelledError("the task has not finished"); // unreachable: woken at its end
  if (end.how === "cancelled") return end.result; // the task's own CancelledError
  const who = `task #${handle.id}${handle.name === undefined ? "" : ` "${handle.name}"`}`;
  const how = end.how === "completed" ? "completed" : `failed (${errorText(end.result)})`;
  return new CancelledError(`${who} ${how}: work tied to its AbortSignal is cancelled`);
}

/** One signal per task, so every caller shares a listener list and a task never holds many controllers. */
const signals = new WeakMap<object, AbortSignal>();

/**
 * An AbortSignal that aborts when a task **finishes** — completed, failed or cancelled — so
 * Promise work started for the task (a `fetch`, a timer, a child process) never outlives it.
 * With no argument, the task running now. The reason is the task's `CancelledError` when it
 * was cancelled, otherwise a `CancelledError` saying how the task ended.
 *
 * It fires when the task has finished unwinding, not when the abort is requested: a task
 * cancelled while it waits on `fromPromise(fetch(url, { signal }))` is thrown out of that
 * yield at once, so the fetch is aborted in the same step.
 * Watching a task does not join it: its error still reaches `run()` if nobody joins it.
 *
 * ```ts
 * const res = yield* fromPromise(fetch(url, { signal: toAbortSignal() }));
 * ```
 * @public
 */
export function toAbortSignal(handle?: JoinHandle<unknown>): AbortSignal {
  if (handle === undefined) {
    const t = currentTask();
    if (t === undefined) throw new Error("toAbortSignal() with no handle must be called inside a task (it ties the signal to the running task)");
    handle = t as Task; // the running task is its own handle
  } else if (!(handle instanceof JoinHandle)) {
    throw new TypeError(`toAbortSignal() needs a JoinHandle (from spawn), not ${describeValue(handle)}`);
  }
  const key = handle.identity;
  const known = signals.get(key);
  if (known !== undefined) return known;
  const controller = new AbortController();
  handle.watch(new AbortOnFinish(handle, controller)); // at once if it has finished
  signals.set(key, controller.signal);
  return controller.signal;
}
