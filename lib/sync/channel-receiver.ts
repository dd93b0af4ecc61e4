// The receiving half of an mpsc channel: the handle and the `recv` future.
// A recv takes a message only in a poll, straight from the buffer; until then a message merely
// reserved for it stays in the buffer, so a recv whose waiters are all cancelled takes nothing.

import { touch } from "../footprint";
import { READY_VOID } from "../futures";
import type { Future, Operation } from "../poll";
import { type Op, Poll } from "../poll";
import { type ChannelCore, type Waiter } from "./channel-core";
import { GRANTED, QueuedFuture } from "./shared-future";
import { DISPOSE } from "./waiters";

/** `Poll.ready(undefined)`, shared: the end of a channel allocates nothing. */
const READY_END = READY_VOID as Poll<undefined>;

/**
 * The future of one `recv`. Ready at once with a buffered message; otherwise it waits in
 * line (FIFO among receivers) until a message is reserved for it. Several tasks may await one
 * recv: it takes one message, and each of them gets that message. When its last waiter is
 * dropped it leaves the line, or passes its reserved message to the next receiver.
 */
class RecvOp<T> extends QueuedFuture<T | undefined> implements Waiter {
  constructor(private readonly core: ChannelCore<T>) {
    super();
  }

  protected tryNow(): Poll<T | undefined> | undefined {
    const core = this.core;
    if (core.hasFree()) return Poll.ready(core.take());
    return core.done && core.buffer.length === 0 ? READY_END : undefined;
  }

  protected enqueue(): void {
    this.core.receivers.push(this);
  }

  protected dequeue(): void {
    this.core.receivers.remove(this);
  }

  protected collect(): Poll<T | undefined> {
    this.core.reserved--;
    return Poll.ready(this.core.take());
  }

  protected unclaimed(): void {
    this.core.passReservation();
  }

  /** @internal The channel ended with nothing left for it. */
  end(): void {
    this.ended(READY_END);
  }

  describe(): string {
    if (this.state === GRANTED) return `recv on ${this.core.label} (a message is reserved for it)`;
    return `recv on ${this.core.label}`;
  }
}

/**
 * The receiving half of a {@link channel}. `recv()` returns `undefined` once every sender is
 * closed and the buffer is drained, so the usual loop is:
 *
 * ```ts
 * for (let job; (job = yield* rx.recv()) !== undefined; ) handle(job);
 * ```
 *
 * Several tasks may share one Receiver (a work queue): their `recv`s are served in the order
 * they started waiting, and each message goes to exactly one of them.
 * @public
 */
export class Receiver<T> {
  /** @internal Made by `channel()`. */
  constructor(private readonly core: ChannelCore<T>) {}

  /** The channel's id (`channel#3` in descriptions). */
  get id(): number {
    return this.core.id;
  }

  get name(): string | undefined {
    return this.core.name;
  }

  /** Most messages the buffer holds (`Infinity` when unbounded). */
  get capacity(): number {
    return this.core.capacity;
  }

  /** Messages in the buffer now. */
  get length(): number {
    touch(this.core);
    return this.core.buffer.length;
  }

  /**
   * True once no message can arrive any more: every sender is closed, or this receiver was
   * closed. Messages already buffered can still be received.
   */
  get closed(): boolean {
    return this.core.done;
  }

  /**
   * The next message, waiting while the buffer is empty; `undefined` once the channel is
   * closed and drained. Cancel-safe: a recv cancelled while it waits takes no message.
   */
  recv(): Op<T | undefined> {
    return new RecvOp(this.core);
  }

  /**
   * The next message if one is buffered now, else `undefined` without waiting. Tell "empty
   * for now" from "over" with {@link Receiver.closed}: after `undefined`, `rx.closed` means
   * no message will ever come. (Messages reserved for a `recv` already woken are theirs.)
   */
  tryRecv(): T | undefined {
    const core = this.core;
    return core.hasFree() ? core.take() : undefined;
  }

  /**
   * Close the channel from the receiving side (idempotent): sends waiting or made later
   * throw `ChannelClosedError`; messages already buffered can still be received.
   */
  close(): void {
    this.core.closeReceiver();
  }

  /**
   * Receive every message until the channel ends, running `each` on each one (a plain
   * function or a generator function, whose operation runs to the end before the next recv).
   *
   * ```ts
   * yield* rx.forEach(function* (job) { yield* process(job); });
   * ```
   */
  *forEach(each: (message: T) => Operation<unknown> | void): Generator<Future<unknown>, void, unknown> {
    for (;;) {
      const message = yield* this.recv();
      if (message === undefined) return;
      const op = each(message);
      if (typeof op === "object" && op !== null && typeof (op as Operation<unknown>)[Symbol.iterator] === "function") yield* op as Operation<unknown>;
    }
  }

  /** For `using`: closes this handle when the block ends (`using mine = tx.clone()`). */
  [DISPOSE](): void {
    this.close();
  }

  toString(): string {
    return `Receiver(${this.core.label})`;
  }
}
