// An async iterable (a Node Readable, a web ReadableStream, an async generator…) as a receiver a
// task can `recv()` from. Invariant: at most one `next()` of the iterator is in flight, and the
// value it brings stays here until a recv takes it in its own poll, so a recv cancelled while
// it waits loses no value: the next recv gets it.

import { READY_VOID } from "../futures";
import type { Future, Operation } from "../poll";
import { Poll, describeValue, type Op } from "../poll";
import type { Context } from "../waker";
import { HostOp, WaitList } from "./outside";

let nextId = 1;

/**
 * The receiving end made by {@link fromAsyncIterable}: `recv()` gives the iterable's next value,
 * or `undefined` once it is done. An error of the iterable is thrown by the recv that meets it
 * and by every recv after it.
 * @public
 */
export class AsyncIterableReceiver<T> {
  private readonly iterator: AsyncIterator<T>;
  private inflight = false;
  private hasValue = false;
  private value: T | undefined = undefined;
  private ended = false;
  private failed = false;
  private failure: unknown = undefined;
  private readonly waiting = new WaitList<IterRecvOp<T>>();
  /** `async iterable#3 (Readable)`, as descriptions name it. */
  readonly label: string;

  /** @internal Made by {@link fromAsyncIterable}. */
  constructor(iterable: AsyncIterable<T>) {
    this.iterator = iterable[Symbol.asyncIterator]();
    const kind = (iterable as { constructor?: { name?: string } }).constructor?.name;
    this.label = `async iterable#${nextId++}${kind && kind !== "Object" ? ` (${kind})` : ""}`;
  }

  /** The next value, waiting for the iterable; `undefined` once it is done. Cancel-safe. */
  recv(): Op<T | undefined> {
    return new IterRecvOp(this);
  }

  /**
   * Stop early: ask the iterable to clean up (`iterator.return()`, which closes a stream or
   * runs an async generator's finally blocks) and wait for it; its error, if any, is thrown
   * here. A value already fetched but not received is discarded. Later recvs get `undefined`.
   */
  close(): Op<void> {
    return new CloseOp(this);
  }

  /**
   * Every value until the iterable ends, running `each` on each (a generator function's
   * operation runs to its end before the next recv).
   */
  *forEach(each: (value: T) => Operation<unknown> | void): Generator<Future<unknown>, void, unknown> {
    for (;;) {
      const value = yield* this.recv();
      if (value === undefined) return;
      const op = each(value);
      if (typeof op === "object" && op !== null && typeof (op as Operation<unknown>)[Symbol.iterator] === "function") yield* op as Operation<unknown>;
    }
  }

  /** `AsyncIterableReceiver(async iterable#3 (Readable))`. */
  toString(): string {
    return `AsyncIterableReceiver(${this.label})`;
  }

  /** @internal Ready with a value, `undefined` at the end, `null` to wait (a fetch is then in flight). */
  take(op: IterRecvOp<T>): T | undefined | null {
    if (this.failed) throw this.failure;
    if (this.hasValue) {
      const v = this.value as T;
      this.hasValue = false;
      this.value = undefined;
      return v;
    }
    if (this.ended) return undefined;
    this.waiting.add(op);
    if (!this.inflight) this.fetch();
    return null;
  }

  /** @internal */
  forget(op: IterRecvOp<T>): void {
    this.waiting.delete(op);
  }

  /** @internal Stop fetching and call the iterator's return(); a promise of its completion, if any. */
  finish(): PromiseLike<unknown> | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    this.hasValue = false;
    this.value = undefined;
    this.waiting.wakeAll();
    const ret = this.iterator.return;
    return typeof ret === "function" ? ret.call(this.iterator) : undefined;
  }

  private fetch(): void {
    this.inflight = true;
    let p: Promise<IteratorResult<T>>;
    try {
      p = Promise.resolve(this.iterator.next());
    } catch (error) {
      p = Promise.reject(error);
    }
    p.then(
      (r) => {
        this.inflight = false;
        if (this.ended) return; // closed meanwhile: the value is discarded, as close() says
        if (r.done === true) this.ended = true;
        else {
          this.hasValue = true;
          this.value = r.value;
        }
        this.waiting.wakeAll();
      },
      (error) => {
        this.inflight = false;
        if (this.ended) return;
        this.failed = true;
        this.failure = error;
        this.waiting.wakeAll();
      },
    );
  }
}

class IterRecvOp<T> extends HostOp<T | undefined> {
  constructor(private readonly source: AsyncIterableReceiver<T>) {
    super();
  }

  poll(cx: Context): Poll<T | undefined> {
    if (this.hasOutcome) return this.serve(cx.waker);
    let v: T | undefined | null;
    try {
      v = this.source.take(this);
    } catch (error) {
      this.undo();
      return this.decide(cx.waker, undefined, error);
    }
    if (v === null) {
      this.park(cx);
      return Poll.pending;
    }
    this.undo();
    return this.decide(cx.waker, Poll.ready(v));
  }

  /** Leave the source's list of waiting recvs (taken, failed, or the last waiter left). */
  protected override undo(): void {
    this.source.forget(this);
    this.release();
  }

  describe(): string {
    return `recv on ${this.source.label}`;
  }
}

class CloseOp extends HostOp<void> {
  private started = false;

  constructor(private readonly source: AsyncIterableReceiver<unknown>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    if (this.hasOutcome) return this.serve(cx.waker);
    if (!this.started) {
      this.started = true;
      const p = this.source.finish();
      if (p === undefined || typeof p.then !== "function") return this.decide(cx.waker, READY_VOID);
      p.then(
        () => {
          this.release();
          this.settle(READY_VOID);
        },
        (error) => {
          this.release();
          this.fail(error);
        },
      );
    }
    this.park(cx);
    return Poll.pending;
  }

  describe(): string {
    return `close ${this.source.label}`;
  }
}

/**
 * Receive from an async iterable inside a task: a Node `Readable`, a web `ReadableStream`,
 * an async generator, or `asyncIterable(rx)` coming back.
 *
 * ```ts
 * const lines = fromAsyncIterable(readline.createInterface({ input }));
 * for (let line; (line = yield* lines.recv()) !== undefined; ) console.log(line);
 * ```
 *
 * The iterator is asked for one value at a time, when a task waits (pull, not push). While a
 * recv waits it counts as outside work. `undefined` marks the end, so an iterable that yields
 * `undefined` as a value cannot be told from its end: wrap such values.
 * @public
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T>): AsyncIterableReceiver<T> {
  if (iterable === null || (typeof iterable !== "object" && typeof iterable !== "function") || typeof (iterable as AsyncIterable<T>)[Symbol.asyncIterator] !== "function") {
    throw new TypeError(`fromAsyncIterable() needs an async iterable (with [Symbol.asyncIterator]), not ${describeValue(iterable)}`);
  }
  return new AsyncIterableReceiver(iterable);
}
