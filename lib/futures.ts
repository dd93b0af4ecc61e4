// Small futures every program needs: adapt a raw Future, write one from a function, the
// always-ready and never-ready futures, and a bridge from Promises (the voluntary yield has
// a file of its own: yield-now.ts).

import type { Context, Waker } from "./waker";
import type { Future } from "./poll";
import { Op, Poll, describeFuture, describeValue, isFuture } from "./poll";
import { findDriver } from "./current";
import type { Driver } from "./driver";
import { addWaiter, countWaiters, removeWaiter, wakeWaiters, type Waiters } from "./waiting";

/** `Poll.ready(undefined)`, shared: a future that completes with nothing allocates nothing. */
export const READY_VOID: Poll<void> = Object.freeze({ ready: true as const, value: undefined });


class From<T> extends Op<T> {
  constructor(private readonly inner: Future<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    return this.inner.poll(cx);
  }
  drop(cx: Context): boolean | void {
    return typeof this.inner.drop === "function" ? this.inner.drop(cx) : undefined;
  }
  describe(): string {
    return describeFuture(this.inner);
  }
}

/**
 * Make a hand-written Future usable with `yield*` (typed): `const v = yield* from(myFuture)`.
 * @public
 */
export function from<T>(future: Future<T>): Op<T> {
  if (!isFuture(future)) throw new TypeError(`from() needs a Future (an object with poll(cx)), not ${describeValue(future)}`);
  return future instanceof Op ? future : new From(future);
}

class PollFn<T> extends Op<T> {
  constructor(private readonly f: (cx: Context) => Poll<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    return this.f(cx);
  }
  describe(): string {
    return this.f.name ? `pollFn(${this.f.name})` : "pollFn";
  }
}

/**
 * A future from a poll function: the shortest way to write one by hand.
 *
 * ```ts
 * let n = 0;
 * const v = yield* pollFn((cx) => (++n < 3 ? (cx.waker.wake(), Poll.pending) : Poll.ready(n)));
 * ```
 * @public
 */
export function pollFn<T>(f: (cx: Context) => Poll<T>): Op<T> {
  if (typeof f !== "function") throw new TypeError(`pollFn() needs a function (cx) => Poll, not ${describeValue(f)}`);
  return new PollFn(f);
}

class Ready<T> extends Op<T> {
  private readonly p: Poll<T>;
  constructor(value: T) {
    super();
    this.p = Poll.ready(value);
  }
  poll(): Poll<T> {
    return this.p;
  }
  describe(): string {
    return "ready";
  }
}

/** A future that is ready at once with `value`. @public */
export function ready<T>(value: T): Op<T> {
  return new Ready(value);
}

class Never extends Op<never> {
  poll(cx: Context): Poll<never> {
    void cx.waker; // deliberately never woken: not a *lost* waker
    return Poll.pending;
  }
  describe(): string {
    return "pending() (never ready)";
  }
}

/** A future that is never ready: the task parks until it is cancelled. @public */
export function pending(): Op<never> {
  return new Never();
}

const WAITING = 0;
const RESOLVED = 1;
const REJECTED = 2;

class FromPromise<T> extends Op<T> implements Waiters {
  private state = WAITING;
  private outcome: unknown = undefined;
  private subscribed = false;
  waiters: Waker | Waker[] | undefined = undefined;
  /** The runtime counting this promise as pending outside work (an idle runtime waiting on it is not deadlocked). */
  private counted: Driver | undefined = undefined;

  constructor(private readonly promise: PromiseLike<T>) {
    super();
  }

  poll(cx: Context): Poll<T> {
    if (this.state === RESOLVED) return Poll.ready(this.outcome as T);
    if (this.state === REJECTED) throw this.outcome; // rule 4: thrown at the yield
    addWaiter(this, cx.waker);
    if (this.counted === undefined) {
      this.counted = findDriver(cx); // none for a hand-made context outside any task: nothing to count
      this.counted?.countExternal(1);
    }
    if (!this.subscribed) {
      this.subscribed = true;
      this.promise.then(
        (value) => this.settle(RESOLVED, value),
        (error) => this.settle(REJECTED, error),
      );
    }
    return Poll.pending;
  }

  /** A waiter left; when none is left, the runtime no longer waits on this promise (which keeps running: promises cannot be cancelled). */
  drop(cx: Context): void {
    if (removeWaiter(this, cx.waker) && countWaiters(this) === 0) this.uncount();
  }

  describe(): string {
    const what = this.state === WAITING ? "not settled yet" : this.state === RESOLVED ? "resolved" : "rejected";
    return `fromPromise (a Promise outside the runtime, ${what})`;
  }

  private settle(state: number, outcome: unknown): void {
    if (this.state !== WAITING) return;
    this.state = state;
    this.outcome = outcome;
    this.uncount();
    wakeWaiters(this);
  }

  private uncount(): void {
    if (this.counted === undefined) return;
    this.counted.countExternal(-1);
    this.counted = undefined;
  }
}

/**
 * A future of a Promise's outcome: its value, or its rejection thrown at the yield.
 * While it waits, a virtual-clock runtime knows outside work is pending and will not call the
 * wait a deadlock. Cancelling the waiting task does not cancel the promise.
 * @public
 */
export function fromPromise<T>(promise: PromiseLike<T>): Op<T> {
  if (isFuture(promise)) {
    throw new TypeError(`fromPromise() got a wakeful future (${describeFuture(promise)}), not a Promise: yield* it directly`);
  }
  if (promise === null || typeof promise !== "object" || typeof (promise as { then?: unknown }).then !== "function") {
    throw new TypeError(`fromPromise() needs a Promise, not ${describeValue(promise)}`);
  }
  return new FromPromise(promise);
}

