// A wakeful receiver read from async code: `for await (const m of asyncIterable(rx))`. Each
// `next()` polls one `recv()` from outside any task, with a waker that polls it again in a
// microtask (never inside the sender's step, whose channel may be mid-update). Invariant: at
// most one recv is outstanding, and one that is abandoned (`return()`) is dropped, so it takes
// no message with it.

import type { Future } from "../poll";
import { describeValue } from "../poll";
import type { Context, Waker } from "../waker";
import { SimpleWaker } from "../waker";

/** Anything with a `recv()` future that ends with `undefined`: a wakeful `Receiver`, {@link fromAsyncIterable}'s receiver… @public */
export interface RecvSource<T> {
  /** The next message, or `undefined` at the end. */
  recv(): Future<T | undefined>;
  /** Called on an early exit when `closeOnReturn` is set. */
  close?(): unknown;
}

/** Options of {@link asyncIterable}. @public */
export interface AsyncIterableOptions {
  /** Call the source's `close()` when the loop stops early (`break`, `return`, a throw). Default false: the receiver stays open for others. */
  closeOnReturn?: boolean;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true as const, value: undefined });

class ReceiverIterator<T> extends SimpleWaker implements AsyncIterableIterator<T>, Context {
  private op: Future<T | undefined> | undefined = undefined;
  private resolve: ((r: IteratorResult<T, undefined>) => void) | undefined = undefined;
  private reject: ((error: unknown) => void) | undefined = undefined;
  /** The outstanding `next()`, so overlapping calls are served one after another, in order. */
  private last: Promise<IteratorResult<T, undefined>> | undefined = undefined;
  private finished = false;
  private repollQueued = false;

  constructor(
    private readonly source: RecvSource<T>,
    private readonly closeOnReturn: boolean,
  ) {
    super();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    const start = (): Promise<IteratorResult<T, undefined>> => {
      if (this.finished) return Promise.resolve(DONE);
      return new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
        this.resolve = resolve;
        this.reject = reject;
        this.op = this.source.recv();
        this.pollNow();
      });
    };
    const prev = this.last;
    const p = prev === undefined ? start() : prev.then(start, start);
    this.last = p;
    return p;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const op = this.op;
    if (op !== undefined) {
      this.op = undefined;
      if (typeof op.drop === "function") op.drop(this); // an abandoned recv takes no message
      this.settle(DONE, undefined);
    }
    if (!this.finished) {
      this.finished = true;
      if (this.closeOnReturn && typeof this.source.close === "function") this.source.close();
    }
    return Promise.resolve(DONE);
  }

  // Waker and Context: the recv future wakes us; we poll it again in a microtask.
  get waker(): Waker {
    return this;
  }
  override wake(): void {
    if (this.repollQueued || this.op === undefined) return;
    this.repollQueued = true;
    queueMicrotask(() => {
      this.repollQueued = false;
      this.pollNow();
    });
  }
  private pollNow(): void {
    const op = this.op;
    if (op === undefined) return;
    let p;
    try {
      p = op.poll(this);
    } catch (error) {
      this.op = undefined;
      this.finished = true;
      this.settle(undefined, error);
      return;
    }
    if (!p.ready) return;
    this.op = undefined;
    if (p.value === undefined) {
      this.finished = true;
      this.settle(DONE, undefined);
    } else {
      this.settle({ done: false, value: p.value }, undefined);
    }
  }

  private settle(result: IteratorResult<T, undefined> | undefined, error: unknown): void {
    const resolve = this.resolve;
    const reject = this.reject;
    this.resolve = this.reject = undefined;
    if (result !== undefined) resolve?.(result);
    else reject?.(error);
  }
}

/**
 * Read a wakeful receiver from async code: an async iterable of its messages that ends when
 * `recv()` returns `undefined` (every sender closed, buffer drained).
 *
 * ```ts
 * const [tx, rx] = channel<string>();
 * rt.spawn(producer(tx));
 * for await (const line of asyncIterable(rx)) console.log(line);
 * ```
 *
 * Each `next()` waits on one `recv()`; leaving the loop early drops the recv that waits, so no
 * message is taken and lost, and leaves the receiver open unless `closeOnReturn` is set. The
 * reader lives outside the runtime: a virtual-clock runtime cannot see it, so a task that waits
 * for it (a full bounded channel) looks deadlocked there: use a real clock for such programs.
 * @public
 */
export function asyncIterable<T>(receiver: RecvSource<T>, options: AsyncIterableOptions = {}): AsyncIterableIterator<T> {
  if (receiver === null || typeof receiver !== "object" || typeof (receiver as RecvSource<T>).recv !== "function") {
    throw new TypeError(`asyncIterable() needs a receiver (an object with recv()), not ${describeValue(receiver)}`);
  }
  return new ReceiverIterator(receiver, options.closeOnReturn === true);
}
