// JoinHandle: the permission to await a task's outcome or to cancel it. It is a Future (poll
// it from another task), an Operation (`const v = yield* handle`) and a PromiseLike (`await
// handle` from async code). Dropping a handle does nothing: tasks are detached, as in tokio.

import { COMPLETED, FAILED, SCHEDULED, type Task } from "./task";
import { Op, Poll } from "./poll";
import type { Context, Waker } from "./waker";
import { SimpleWaker, WakerSet } from "./waker";
import { currentTask } from "./current";

/**
 * A handle to a spawned task.
 *
 * ```ts
 * const h = spawn(worker(1));
 * const v = yield* h;      // inside a task: the value, or the task's error thrown here
 * const w = await h;       // from async code
 * h.abort();               // cancel: its finally blocks run; joiners get CancelledError
 * ```
 * @public
 */
export class JoinHandle<T> extends Op<T> implements PromiseLike<T> {
  private promise: Promise<T> | undefined = undefined;

  /** @internal Handles are made by `spawn`. */
  constructor(private readonly task: Task<T>) {
    super();
  }

  /** The task's id: unique within its runtime, in spawn order. */
  get id(): number {
    return this.task.id;
  }

  get name(): string | undefined {
    return this.task.name;
  }

  /** True once the task completed, failed, or finished unwinding after an abort. */
  get finished(): boolean {
    return this.task.finished;
  }

  /** @internal The caller takes the task's outcome, errors included (used by run() for its main task). */
  claim(): void {
    this.task.joined = true;
  }

  /**
   * Cancel the task (sticky, idempotent). A `CancelledError` is thrown at its suspension point,
   * its `finally` blocks run (they may yield), and joiners then get that `CancelledError`.
   * A task that finishes before it next yields keeps its outcome.
   */
  abort(): void {
    this.task.abort();
  }

  poll(cx: Context): Poll<T> {
    const task = this.task;
    if (task.finished) {
      task.joined = true; // the outcome is delivered: an error is now the joiner's, not unobserved
      return outcome(task);
    }
    (task.joiners ??= new WakerSet()).add(cx.waker);
    return Poll.pending;
  }

  /**
   * @internal Wake `waker` once when the task finishes (at once if it has), without taking its
   * outcome: a watcher (toAbortSignal) must not claim an error that belongs to the joiners or run().
   */
  onFinish(waker: Waker): void {
    const task = this.task;
    if (task.finished) waker.wake();
    else (task.joiners ??= new WakerSet()).add(waker);
  }

  /** @internal True while the task sits in the run queue: it will run before anything woken later. */
  get runnable(): boolean {
    return this.task.state === SCHEDULED;
  }

  /** The joining task was cancelled: forget its waker (a joiner that gave up must not pile up). */
  drop(): void {
    this.task.joiners?.leave(currentTask() as unknown as Waker | undefined);
  }

  describe(): string {
    return `join task #${this.task.id}${this.task.name === undefined ? "" : ` "${this.task.name}"`}`;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.toPromise().then(onfulfilled, onrejected);
  }

  /** A Promise of the task's outcome (made once, on first use). */
  toPromise(): Promise<T> {
    if (this.promise !== undefined) return this.promise;
    const task = this.task;
    this.promise = new Promise<T>((resolve, reject) => {
      const settle = () => {
        task.joined = true; // delivered to the promise (an unhandled rejection is then the host's to report)
        try {
          resolve((outcome(task) as { value: T }).value); // outcome() is ready or throws
        } catch (error) {
          reject(error);
        }
      };
      if (task.finished) settle();
      else (task.joiners ??= new WakerSet()).add(new PromiseWaker(settle));
    });
    return this.promise;
  }
}

/** Ready with the value, or the task's error thrown (rule 9: every joiner gets the same object). */
function outcome<T>(task: Task<T>): Poll<T> {
  if (task.state === COMPLETED) return Poll.ready(task.result as T);
  if (task.state === FAILED) throw task.result;
  throw task.result; // CANCELLED: the task's CancelledError
}

/** A waker that settles a Promise instead of scheduling a task. */
class PromiseWaker extends SimpleWaker {
  constructor(private readonly settle: () => void) {
    super();
  }
  wake(): void {
    this.settle();
  }
}
