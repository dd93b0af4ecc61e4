// JoinHandle: the permission to await a task's outcome or to cancel it. It is a Future (poll
// it from another task, or from several), an Operation (`const v = yield* handle`) and a
// PromiseLike (`await handle` from async code). Dropping a handle does nothing: tasks are
// detached, as in tokio. A Waker, by contrast, only asks for a poll: futures are typed to get
// only that. The task object backs both (one object per spawn, 40 B and an allocation fewer
// than a handle object of its own): the types keep the permissions apart.

import { onHostIdle } from "./host";
import { NOT_READY, Op, pollOf, type Poll } from "./poll";
import type { Task } from "./task";
import type { Context, Waker } from "./waker";
import { SimpleWaker } from "./waker";
import { addWaiter, removeWaiter } from "./waiting";

/** How a finished task ended, seen without joining it. */
export interface TaskEnding {
  readonly how: "completed" | "failed" | "cancelled";
  /** The value, the error, or the task's CancelledError. */
  readonly result: unknown;
}

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
  /**
   * @internal Handles are made by `spawn`: the task is its own handle (this class is its base).
   * (A constructor that could return another object made every spawn's construction slower:
   * V8 no longer inlined the chain.)
   */
  protected constructor() {
    super();
  }

  /** The task behind this handle: the object itself. */
  private get task(): Task<T> {
    return this as JoinHandle<T> as Task<T>; // every handle is a task (see the constructor)
  }

  /** The task's id: unique within its runtime, in spawn order. */
  declare readonly id: number;

  /** The task's name, if it was given one. */
  get name(): string | undefined {
    const n = this.task.named;
    return typeof n === "object" ? n.taskName() : n; // a combinator's child formats its name only now
  }

  /** True once the task completed, failed, or finished unwinding after an abort. */
  get finished(): boolean {
    return this.task.ended;
  }

  /**
   * Cancel the task (sticky, idempotent). A `CancelledError` is thrown at its suspension point,
   * its `finally` blocks run (a cancelled task cannot wait outside `shield()`), and joiners then
   * get that `CancelledError`. A task that finishes before it next yields keeps its outcome.
   */
  abort(): void {
    this.task.cancel();
  }

  /** Ready with the task's value (or throws its error) once it has ended; until then, Pending. */
  poll(cx: Context): Poll<T> {
    return pollOf(this.pollValue(cx));
  }

  /** @internal The join as the driver polls it: the value itself, no Poll object (W1 joins 100k tasks). */
  override pollValue(cx: Context): T | typeof NOT_READY {
    const task = this.task;
    if (task.ended) {
      task.markJoined(); // the outcome is delivered: an error is now the joiner's, not unobserved
      return outcome(task);
    }
    addWaiter(task, cx.waker);
    return NOT_READY;
  }

  /** The waiter that polled with `cx` stopped waiting: forget exactly its registration. */
  drop(cx: Context): void {
    removeWaiter(this.task, cx.waker);
  }

  /** `join task #2 "name"`: what a task waiting on this handle waits for, in traces and deadlock reports. */
  describe(): string {
    return `join ${this.task.label}`;
  }

  /** @internal The caller takes the task's outcome, errors included (run() for its main task, a combinator for its children). */
  claim(): void {
    this.task.markJoined();
  }

  /**
   * @internal Wake `waker` once when the task finishes (at once if it has), without taking its
   * outcome: a watcher (toAbortSignal) must not claim an error that belongs to the joiners or run().
   */
  watch(waker: Waker): void {
    if (this.task.ended) waker.wake();
    else addWaiter(this.task, waker);
  }

  /** @internal How the task ended, without joining it; undefined while it runs. */
  ending(): TaskEnding | undefined {
    const t = this.task;
    if (!t.ended) return undefined;
    return { how: t.how, result: t.result };
  }

  /** @internal The task's identity, for maps keyed by task (every handle of one task gives the same object). */
  get identity(): object {
    return this.task;
  }

  /** @internal True while the task sits in the run queue: it will run before anything woken later. */
  get runnable(): boolean {
    return this.task.queued;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.toPromise().then(onfulfilled, onrejected);
  }

  /**
   * A Promise of the task's outcome (made once, on first use). If the host runs out of work
   * while the task has not finished and its runtime is not running, the Promise rejects: the
   * runtime was never run, and nothing else could finish the task.
   */
  toPromise(): Promise<T> {
    const made = promises.get(this);
    if (made !== undefined) return made as Promise<T>;
    const task = this.task;
    const promise = new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        task.markJoined(); // delivered to the promise (an unhandled rejection is then the host's to report)
        try {
          resolve(outcome(task)); // outcome() is the value or throws
        } catch (error) {
          reject(error);
        }
      };
      if (task.ended) return settle();
      const unwatch = onHostIdle(() => {
        if (task.ended || task.host.running) return false; // a running loop reports its own deadlock
        unwatch();
        reject(new Error(`${task.label} never finished: its runtime was never run. Call runtime.run() (or blockOn), or start the task with run(body)`));
        return true;
      });
      addWaiter(task, new PromiseWaker(() => {
        unwatch();
        settle();
      }));
    });
    promises.set(this, promise);
    return promise;
  }
}

/**
 * The Promise of each handle that was awaited, kept beside the handle rather than in a field of
 * every handle: few handles are ever awaited from async code, and the field cost 8 B per task.
 */
const promises = new WeakMap<JoinHandle<unknown>, Promise<unknown>>();

/** The value, or the task's error thrown (rule 9: every joiner gets the same object). */
function outcome<T>(task: Task<T>): T {
  if (task.how === "completed") return task.result as T;
  throw task.result; // FAILED: its error; CANCELLED: its CancelledError
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
