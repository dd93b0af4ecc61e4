// The model: Poll, Future and Operation, and the base class every wakeful future extends.
// A Future is anything with `poll(cx)`; an Operation is what `yield*` accepts. Every future
// wakeful returns is both, so `const v = yield* fut` is typed `T` while `yield fut` also works.

import type { Context } from "./waker";
import { noteSite, sites } from "./site";

/** The answer of `poll`: ready with a value, or pending (a wake is arranged). @public */
export type Poll<T> =
  | {
      /** True: the future is done. */
      readonly ready: true;
      /** What the future produced. */
      readonly value: T;
    }
  | {
      /** False: not yet; the poller's waker has been handed on and will be woken. */
      readonly ready: false;
    };

const PENDING: Poll<never> = Object.freeze({ ready: false as const });

/**
 * @internal What {@link Op.pollValue} answers instead of Pending. The driver asks a wakeful
 * future for its value this way, so a ready answer allocates no `Poll` object (a join, a
 * received message, a lock: 16–24 B and a few ns per operation on W1, W2 and W6).
 */
export const NOT_READY: unique symbol = Symbol("wakeful.notReady");

/** @internal The Poll for a {@link Op.pollValue} answer: how a future that answers by value also answers `poll`. */
export function pollOf<T>(v: T | typeof NOT_READY): Poll<T> {
  return v === NOT_READY ? PENDING : { ready: true, value: v as T };
}

/** Constructors for {@link Poll}. `Poll.pending` is one shared frozen object: Pending never allocates. @public */
export const Poll: {
  /** A ready answer carrying `value` (a new object each time). */
  ready<T>(value: T): Poll<T>;
  /** The pending answer: one shared frozen object. */
  readonly pending: Poll<never>;
} = Object.freeze({
  ready<T>(value: T): Poll<T> {
    return { ready: true as const, value };
  },
  pending: PENDING,
});

/**
 * A value that will be ready later. The driver calls `poll(cx)`; `Pending` promises that
 * `cx.waker` was handed to whatever will make it ready.
 *
 * Several waiters may poll one future (as several callers may await one Promise): every
 * poll registers its `cx.waker` (one registration per waker: a re-poll whose waker `willWake`
 * an earlier one replaces it), all are woken when it becomes ready, and each sees the same
 * outcome. `poll` must return a {@link Poll}: anything else is a TypeError at the yield.
 * @public
 */
export interface Future<T> {
  /**
   * Ready with the value, or Pending after handing `cx.waker` to whatever will make it ready.
   * Called by the driver (or by a combinator, or by hand with a {@link Context}), never by `yield*`.
   */
  poll(cx: Context): Poll<T>;
  /**
   * Optional. The waiter that polled with `cx` is gone (its task was cancelled, or a combinator
   * stopped waiting). Remove exactly its registration; when the last waiter goes, undo what
   * `poll` arranged (disarm a timer, leave a queue). A drop by a waiter that never polled
   * changes nothing.
   *
   * Return `true` when undoing needs more polls (a combinator whose children still unwind): the
   * driver then keeps polling this future with the same `cx` until it settles. Settling Ready
   * means "this value was decided before the cancellation arrived": the waiter receives it.
   * Throwing (a `CancelledError` when nothing was decided) ends the wait with that error.
   */
  drop?(cx: Context): boolean | void;
  /** Optional. What this future waits for, in words (`sleep(50)`, `recv on channel#3`): used by traces and deadlock reports. */
  describe?(): string;
}

/** What `yield*` accepts: an iterable whose iterator yields futures and returns `T`. @public */
export type Operation<T> = {
  /** The walk `yield*` makes: it yields futures to the driver and returns `T`. */
  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown>;
};

/** A body a task or combinator can run: a generator function, an operation, or a future. @public */
export type Body<T> = (() => Operation<T>) | Operation<T> | Future<T>;

/**
 * Whether the answer `p` of `future.poll` is Ready (true) or Pending (false); anything that is
 * not a Poll is a TypeError naming what came back (thrown at the yield, like any poll error).
 */
function readyOf(p: unknown, future: Future<unknown>): boolean {
  const ready = p !== null && typeof p === "object" ? (p as { ready?: unknown }).ready : undefined;
  if (ready === true || ready === false) return ready;
  throw new TypeError(`${describeFuture(future)}: poll() returned ${describeValue(p)}, not a Poll ({ ready: true, value } or Poll.pending)`);
}

/**
 * @internal Poll `future` for its value: a wakeful future answers by value (no Poll object per
 * ready poll), any other one with a Poll, which is checked (one that is not a Poll is a
 * TypeError, thrown like any poll error). NOT_READY for Pending.
 */
export function valueOf(future: Future<unknown>, cx: Context): unknown {
  return future instanceof Op ? future.pollValue(cx) : Op.prototype.pollValue.call(future, cx); // the default: unwrap poll()
}

/** True when `value` can be polled. @public */
export function isFuture(value: unknown): value is Future<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { poll?: unknown }).poll === "function"
  );
}

/** The walk of a plain future run as a body (`spawn(fut)`): yield it once, return what it resumes with. */
function* yieldOnce<T>(future: Future<T>): Generator<Future<unknown>, T, unknown> {
  return (yield future) as T;
}

/** How `await fut` drives a future outside any task; set by runtime.ts, which sits above this file. */
let awaitDriver: (<T>(future: Future<T>) => Promise<T>) | undefined = undefined;

/** @internal Called once by runtime.ts: `await fut` runs `fut` as the main task of a fresh runtime. */
export function setAwaitDriver(drive: <T>(future: Future<T>) => Promise<T>): void {
  awaitDriver = drive;
}

/**
 * The future whose walk through `yield*` has begun and has not yielded yet. `yield*` calls
 * `[Symbol.iterator]()` and the first `next()` back to back (nothing runs between them), so
 * this one slot tells a walk's first `next()` (yield the future) from the one that resumes it
 * (return the value): a future keeps no walk state of its own (8 B less per future and per task,
 * and no walker object when several tasks walk one future at once).
 */
const walk: { current: object | undefined } = { current: undefined }; // a property, not a `let`: no TDZ check per access

/**
 * The iterator result every walk answers with, refilled at each step, instead of two new
 * objects per `yield*` (`{ done: false, value: fut }`, then `{ done: true, value }`). `yield*`
 * and the harness read a result at once, before any other walk can step, so one object serves
 * every walk; and it is one shape where the harness reads `done` and `value` (a future that was
 * its own result made every kind of future another shape there: a program mixing channels,
 * locks and semaphores ran 17 % slower). Cost: it keeps the last value walked alive until the
 * next step of any walk, and a hand-written loop that keeps result objects sees them change.
 */
const STEP: { done: boolean; value: unknown } = { done: false, value: undefined };

/** The shared result, filled: `{ done, value }`. */
function stepResult<Y, R>(done: boolean, value: unknown): IteratorResult<Y, R> {
  STEP.done = done;
  STEP.value = value;
  return STEP as IteratorResult<Y, R>;
}

/**
 * Base class of every future wakeful returns: a {@link Future} that is also an
 * {@link Operation}, so `const v = yield* fut` is typed.
 *
 * A future walks itself through `yield*` (it is its own one-step iterator and keeps no walk
 * state), so a `yield*` allocates nothing and a parked task keeps no walker alive; any number of
 * tasks may walk one future at once.
 *
 * `await fut` from async code (outside any task) drives the future on a runtime of its own and
 * resolves with its value: `await sleep(200)` waits 200 ms. Inside a task, write `yield* fut`.
 * @public
 */
export abstract class Op<T> implements Future<T>, PromiseLike<T> {
  /** See {@link Future.poll}: what each kind of future does when polled. */
  abstract poll(cx: Context): Poll<T>;

  /**
   * @internal The driver's form of `poll`: the ready value itself, or {@link NOT_READY}. The
   * core's hot futures (joins, channel and lock operations) answer this way and build their
   * `poll` on it; every other future gets this default, which unwraps its `poll`.
   */
  pollValue(cx: Context): T | typeof NOT_READY {
    const p = this.poll(cx);
    return readyOf(p, this) ? (p as { value: T }).value : NOT_READY;
  }

  /** `await` support: drives this future on a fresh real-clock runtime (`run(fut)`), never resolving to the future itself. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const drive = awaitDriver;
    const outcome: Promise<T> =
      drive === undefined ? Promise.reject(new Error("a wakeful future was awaited before the runtime was loaded: import it from \"wakeful\"")) : drive(this);
    return outcome.then(onfulfilled, onrejected);
  }

  /**
   * `yield* fut`: yields this future once and returns its value (see {@link Operation}). The
   * future is its own iterator: `next`, `throw` and `return` below are that walk, so a subclass
   * must not define methods of those names (TypeScript's `override` check says so).
   */
  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> {
    // No check for a subclass's own `next` here: that one load, on every kind of future at one
    // site, cost 9–18 ns per yield* (measured over five future classes).
    walk.current = this;
    return this;
  }

  /** The walk through `yield*`: yields this future, then returns the value the driver resumes with. Not to be overridden. */
  next(value?: unknown): IteratorResult<Future<unknown>, T> {
    if (walk.current === this) {
      walk.current = undefined;
      if (sites.wanted > 0) noteSite(this); // the yielding generator's frame is on the stack now
      return stepResult(false, this);
    }
    return stepResult(true, value);
  }

  /** The walk through `yield*`: an error thrown into it ends it with that error. Not to be overridden. */
  throw(error: unknown): IteratorResult<Future<unknown>, T> {
    if (walk.current === this) walk.current = undefined;
    throw error;
  }

  /** The walk through `yield*`: ends it (a cancelled task's `return()` passes through it). Not to be overridden. */
  return(value?: unknown): IteratorResult<Future<unknown>, T> {
    if (walk.current === this) walk.current = undefined;
    return { done: true, value: value as T };
  }
}

/**
 * The iterator a body runs as: a function is called (its result must be an operation or a
 * future), an operation is iterated, a plain future is yielded once. `who` names the caller
 * in the TypeError a wrong body gets.
 */
export function iteratorOf<T>(body: Body<T>, who: string): Iterator<unknown, T, unknown> {
  let op: unknown = body;
  if (typeof body === "function" && !isFuture(body)) {
    op = (body as () => Operation<T>)();
    if (isPromiseLike(op)) {
      throw new TypeError(`${who}: the body returned a Promise (an async function?): wakeful bodies are generator functions (function*); wrap a promise with fromPromise()`);
    }
  }
  if (op !== null && typeof op === "object") {
    // The iterable protocol first: an operation (or a future) says how it is walked.
    const iterate = (op as Partial<Operation<T>>)[Symbol.iterator];
    if (typeof iterate === "function") return iterate.call(op) as Iterator<unknown, T, unknown>;
    if (typeof (op as Iterator<unknown>).next === "function") return op as Iterator<unknown, T, unknown>;
  }
  if (isFuture(op)) return yieldOnce(op as Future<T>);
  const what = op === body ? describeValue(body) : `a function returning ${describeValue(op)}`;
  throw new TypeError(`${who} needs a generator function, an operation or a future, not ${what}`);
}

/** True for a bare `body` argument that {@link iteratorOf} can run: checked eagerly at spawn. */
export function isBody(body: unknown): boolean {
  if (typeof body === "function") return true;
  if (body === null || typeof body !== "object") return false;
  // The iterable test first: a spawned generator object passes it without the failed `poll`
  // lookup (a lookup that misses walks its whole prototype chain, once per spawn).
  return typeof (body as Partial<Operation<unknown>>)[Symbol.iterator] === "function" || isFuture(body) || typeof (body as Iterator<unknown>).next === "function";
}

function isPromiseLike(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function" && !isFuture(value);
}

/** A short, readable description of any value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  const t = typeof value;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (t === "number" || t === "boolean" || t === "bigint") return String(value);
  if (t === "symbol") return String(value);
  if (t === "function") return `a function${(value as { name?: string }).name ? ` (${(value as { name: string }).name})` : ""}`;
  if (isFuture(value)) return `a future (${describeFuture(value)})`;
  if (typeof (value as { then?: unknown }).then === "function") return "a Promise";
  const tag = Object.prototype.toString.call(value);
  if (tag === "[object Generator]") return "a generator object";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== "Object" ? `a ${ctor}` : "an object";
}

/** The description a future gives of itself, or its class name. */
export function describeFuture(future: Future<unknown> | undefined): string {
  if (future === undefined) return "nothing (not started)";
  if (typeof future.describe === "function") {
    try {
      return future.describe();
    } catch {
      // a describe() that throws must not hide the report it was asked for
    }
  }
  const ctor = (future as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== "Object" ? ctor : "a future";
}
