// Waker and Context: the only channel from a future back to whoever polls it. A Waker is a
// permission to ask for another poll; a Context carries it into `poll`. "Pending means a wake
// is arranged": a future that returns Pending has handed `cx.waker` to whatever will make it
// ready. The driver's Context also carries its runtime (under a registered symbol, so two
// copies of the package loaded in one process still find each other's runtime).

/**
 * A permission to ask for another poll of one task.
 *
 * `wake()` schedules the task; calling it many times before the task runs schedules it once.
 * A waker stays valid for the task's whole life, so a waker from an older poll still works;
 * waking a finished task does nothing.
 * @public
 */
export interface Waker {
  /** Schedule the task (idempotent until it runs). */
  wake(): void;
  /** Same as `wake()`: JavaScript has no ownership to consume; kept for readers coming from Rust. */
  wakeByRef(): void;
  /** Another handle to the same task (in wakeful, the same object: wakers are not reference-counted). */
  clone(): Waker;
  /** True when both wake the same task: a future keeps one registration per task. */
  willWake(other: Waker): boolean;
}

/**
 * The key under which the driver's Context carries its runtime. A hand-made `{ waker }`
 * context has none; futures that need a runtime (time, spawning) then use the runtime of the
 * task being polled, and throw outside any task.
 */
export const RUNTIME: unique symbol = Symbol.for("wakeful.runtime");

/** What `poll` receives: the waker of whoever polls (a task, or a combinator's child). @public */
export interface Context {
  /** The waker to hand on when returning Pending: waking it polls the poller again. */
  readonly waker: Waker;
}

/**
 * A base for wakers that wake one thing of their own: write `wake()`, inherit the rest
 * (`wakeByRef` wakes, `clone` returns the same object, `willWake` is identity).
 *
 * ```ts
 * class Flag extends SimpleWaker { woken = false; wake() { this.woken = true; } }
 * ```
 * @public
 */
export abstract class SimpleWaker implements Waker {
  abstract wake(): void;
  wakeByRef(): void {
    this.wake();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

/**
 * A waker that does nothing: for polling a future by hand outside any runtime, where you
 * will poll again yourself anyway (`fut.poll(noopContext)`).
 * @public
 */
export const noopWaker: Waker = Object.freeze({
  wake() {},
  wakeByRef() {},
  clone() {
    return noopWaker;
  },
  willWake(other: Waker) {
    return other === noopWaker;
  },
});

/** A Context holding {@link noopWaker}. @public */
export const noopContext: Context = Object.freeze({ waker: noopWaker });
