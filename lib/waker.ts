// Waker and Context: the only channel from a future back to the task that polls it.
// A Waker is a permission to ask for another poll; a Context carries it into `poll`.
// "Pending means a wake is arranged": a future that returns Pending must have handed
// `cx.waker` (or a clone) to whatever will later make it ready.

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
  /** True when both wake the same task: lets a future skip replacing a waker it already holds. */
  willWake(other: Waker): boolean;
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

/** What `poll` receives: the waker of the task doing the polling. @public */
export interface Context {
  readonly waker: Waker;
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

/**
 * Keeps the wakers of everyone waiting for one event, without duplicates, so one `wakeAll()`
 * reaches each waiting task once. Small and allocation-free until the second waiter.
 * @public
 */
export class WakerSet {
  private one: Waker | undefined = undefined;
  private many: Waker[] | undefined = undefined;

  /** Remember `w` unless a waker for the same task is already held. */
  add(w: Waker): void {
    if (this.one === undefined && this.many === undefined) {
      this.one = w;
      return;
    }
    if (this.one !== undefined) {
      if (this.one.willWake(w)) return;
      this.many = [this.one, w];
      this.one = undefined;
      return;
    }
    const many = this.many as Waker[];
    for (let i = 0; i < many.length; i++) if ((many[i] as Waker).willWake(w)) return;
    many.push(w);
  }

  /** Forget the waker for the task `w` wakes, if held. */
  delete(w: Waker): void {
    if (this.one !== undefined) {
      if (this.one.willWake(w)) this.one = undefined;
      return;
    }
    const many = this.many;
    if (many === undefined) return;
    for (let i = 0; i < many.length; i++) {
      if ((many[i] as Waker).willWake(w)) {
        many.splice(i, 1);
        return;
      }
    }
  }

  /**
   * A waiter was cancelled (its future's `drop()`), and a drop does not say whose waker it was.
   * With one waker held — whoever polled, a task or a combinator's child waker — forget it; with
   * several (a future shared by tasks), forget the cancelled task's, `current`.
   */
  leave(current: Waker | undefined): void {
    if (this.many === undefined) {
      this.one = undefined;
      return;
    }
    if (current !== undefined) this.delete(current);
  }

  get size(): number {
    return this.one !== undefined ? 1 : this.many === undefined ? 0 : this.many.length;
  }

  /** Wake every held waker once and forget them all. */
  wakeAll(): void {
    const one = this.one;
    const many = this.many;
    this.one = undefined;
    this.many = undefined;
    if (one !== undefined) one.wake();
    if (many !== undefined) for (let i = 0; i < many.length; i++) (many[i] as Waker).wake();
  }
}

/**
 * One waker that wakes several: what a future hands to its wake source when more than one task
 * polls it (a shared sleep, a shared promise). `willWake` is true for any member, so re-polls
 * by the same tasks add nothing.
 */
class FanOutWaker extends SimpleWaker {
  constructor(readonly wakers: Waker[]) {
    super();
  }
  wake(): void {
    for (let i = 0; i < this.wakers.length; i++) (this.wakers[i] as Waker).wake();
  }
  override willWake(other: Waker): boolean {
    for (let i = 0; i < this.wakers.length; i++) if ((this.wakers[i] as Waker).willWake(other)) return true;
    return false;
  }
}

/**
 * `held` extended to also wake `next` (for a future polled by a second task while the first still
 * waits): returns `held` itself when it already wakes `next`. A task that moved on gets at most one
 * spurious wake, which the driver allows; no waiting task is ever forgotten.
 */
export function addWaker(held: Waker | undefined, next: Waker): Waker {
  if (held === undefined) return next;
  if (held.willWake(next)) return held;
  if (held instanceof FanOutWaker) {
    held.wakers.push(next);
    return held;
  }
  return new FanOutWaker([held, next]);
}

/**
 * `held` without the waker for the task `gone` wakes: what a shared future keeps when one of its
 * waiters is cancelled. `undefined` when nobody is left.
 */
export function removeWaker(held: Waker | undefined, gone: Waker): Waker | undefined {
  if (held === undefined) return undefined;
  if (held instanceof FanOutWaker) {
    const rest = held.wakers.filter((w) => !w.willWake(gone));
    return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : new FanOutWaker(rest);
  }
  return held.willWake(gone) ? undefined : held;
}

/** True when `held` came from {@link addWaker} joining the wakers of several tasks. */
export function isSharedWaker(held: Waker | undefined): boolean {
  return held instanceof FanOutWaker;
}
