// The model: Poll, Future and Operation, and the base class every wakeful future extends.
// A Future is anything with `poll(cx)`; an Operation is what `yield*` accepts. Every future
// wakeful returns is both, so `const v = yield* fut` is typed `T` while `yield fut` also works.

import type { Context } from "./waker";
import { noteSite, sites } from "./site";

/** The answer of `poll`: ready with a value, or pending (a wake is arranged). @public */
export type Poll<T> = { readonly ready: true; readonly value: T } | { readonly ready: false };

const PENDING: Poll<never> = Object.freeze({ ready: false as const });

/** Constructors for {@link Poll}. `Poll.pending` is one shared frozen object: Pending never allocates. @public */
export const Poll: {
  ready<T>(value: T): Poll<T>;
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
 * @public
 */
export interface Future<T> {
  poll(cx: Context): Poll<T>;
  /**
   * Optional. The task waiting on this future was cancelled before it became ready: undo what
   * `poll` arranged (leave a waiter queue, clear a timer). Return `true` when cleanup has to
   * continue asynchronously (a combinator whose children still run their `finally` blocks):
   * the driver then keeps polling this future, discarding its value, until it is ready or
   * throws, and only then throws `CancelledError` into the task.
   */
  drop?(): boolean | void;
  /** Optional. What this future waits for, in words (`sleep(50)`, `recv on channel#3`): used by traces and deadlock reports. */
  describe?(): string;
}

/** What `yield*` accepts: an iterable whose iterator yields futures and returns `T`. @public */
export type Operation<T> = { [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> };

/** A body a task or combinator can run: a generator function, an operation, or a future. @public */
export type Body<T> = (() => Operation<T>) | Operation<T> | Future<T>;

/** True when `value` can be polled. @public */
export function isFuture(value: unknown): value is Future<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { poll?: unknown }).poll === "function"
  );
}

/**
 * Walks a future through `yield*` exactly once: yields the future, then returns whatever the
 * driver resumes with. One small object per `yield*`, and safe when several tasks yield the
 * same future at once (each gets its own walker).
 */
class YieldOnce<T> implements Iterator<Future<unknown>, T, unknown> {
  private yielded = false;
  constructor(private readonly future: Future<T>) {}
  next(value?: unknown): IteratorResult<Future<unknown>, T> {
    if (this.yielded) return { done: true, value: value as T };
    this.yielded = true;
    if (sites.wanted > 0) noteSite(this.future);
    return { done: false, value: this.future };
  }
  throw(error: unknown): IteratorResult<Future<unknown>, T> {
    throw error;
  }
  return(value?: unknown): IteratorResult<Future<unknown>, T> {
    this.yielded = true;
    return { done: true, value: value as T };
  }
}

/** An iterator that yields `future` once and returns the value it is resumed with. */
export function yieldOnce<T>(future: Future<T>): Iterator<Future<unknown>, T, unknown> {
  return new YieldOnce(future);
}

const WALK_IDLE = 0;
const WALK_STARTED = 1;
const WALK_YIELDED = 2;

/**
 * Base class of every future wakeful returns: a {@link Future} that is also an
 * {@link Operation}, so `const v = yield* fut` is typed.
 *
 * A future walks itself through `yield*` (it is its own one-step iterator), so a `yield*`
 * allocates no walker and a parked task keeps none alive. When it is already being walked (two
 * tasks `yield*` the same future at once) or a subclass defines its own `next`, each `yield*`
 * gets a separate walker instead.
 * @public
 */
export abstract class Op<T> implements Future<T> {
  #walk = WALK_IDLE;

  abstract poll(cx: Context): Poll<T>;

  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> {
    if (this.#walk !== WALK_IDLE || this.next !== Op.prototype.next) return new YieldOnce(this);
    this.#walk = WALK_STARTED;
    return this as unknown as Iterator<Future<unknown>, T, unknown>;
  }

  /** @internal The iterator protocol of the self-walk: yield this future, then return the value it resumes with. */
  next(value?: unknown): IteratorResult<Future<unknown>, T> {
    if (this.#walk !== WALK_YIELDED) {
      this.#walk = WALK_YIELDED;
      if (sites.wanted > 0) noteSite(this); // the yielding generator's frame is on the stack now
      return { done: false, value: this };
    }
    this.#walk = WALK_IDLE;
    return { done: true, value: value as T };
  }

  /** @internal */
  throw(error: unknown): IteratorResult<Future<unknown>, T> {
    this.#walk = WALK_IDLE;
    throw error;
  }

  /** @internal */
  return(value?: unknown): IteratorResult<Future<unknown>, T> {
    this.#walk = WALK_IDLE;
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
  if (isFuture(op)) return new YieldOnce(op as Future<T>);
  const what = op === body ? describeValue(body) : `a function returning ${describeValue(op)}`;
  throw new TypeError(`${who} needs a generator function, an operation or a future, not ${what}`);
}

/** True for a bare `body` argument that {@link iteratorOf} can run: checked eagerly at spawn. */
export function isBody(body: unknown): boolean {
  if (typeof body === "function") return true;
  if (body === null || typeof body !== "object") return false;
  return isFuture(body) || typeof (body as Partial<Operation<unknown>>)[Symbol.iterator] === "function" || typeof (body as Iterator<unknown>).next === "function";
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
