// The receiving half of an mpsc channel: the handle and the `recv` future.
// A recv takes a message only in a poll, straight from the buffer; until then a message merely
// reserved for it stays in the buffer, so a recv whose waiters are all cancelled takes nothing.

import { touch } from "../footprint";
import { READY_VOID } from "../futures";
import type { Future, Operation } from "../poll";
import { NOT_READY, type Op, type Poll } from "../poll";
import { type ChannelCore, type Waiter } from "./channel-core";
import { GRANTED, QueuedFuture } from "./shared-future";
import { ChannelHandle } from "./channel-handle";

/** `Poll.ready(undefined)`, shared: the end of a channel allocates nothing. */
const READY_END = READY_VOID as Poll<undefined>;

/**
 * The future of one `recv`. Ready at once with a buffered message; otherwise it waits in
 * line (FIFO among receivers) until a message is reserved for it. Several tasks may await one
 * recv: it takes one message, and each of them gets that message. When its last waiter is
 * dropped it leaves the line, or passes its reserved message to the next receiver.
 */
class RecvOp<T> extends QueuedFuture<T | undefined> implements Waiter {
  /** The number of the message it took, to give it back in place (see ChannelCore.unshift). */
  private declare seq: number;

  constructor(private readonly core: ChannelCore<T>) {
    super();
    this.seq = 0;
  }

  protected tryNow(): T | undefined | typeof NOT_READY {
    const core = this.core;
    if (core.hasFree()) return this.took(core.take());
    return core.done && core.buffer.length === 0 ? undefined : NOT_READY;
  }

  protected enqueue(): void {
    this.core.receivers.push(this);
  }

  protected dequeue(): void {
    this.core.receivers.remove(this);
  }

  protected collect(): T | undefined {
    this.core.reserved--;
    return this.took(this.core.take());
  }

  protected unclaimed(): void {
    this.core.passReservation();
  }

  /** Received, then dropped unused by every waiter (a combinator discarding it): back to the front. */
  protected override returned(value: T | undefined): void {
    if (value !== undefined) this.core.unshift(value, this.seq);
  }

  private took(value: T): T {
    this.seq = this.core.lastSeq;
    return value;
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
export class Receiver<T> extends ChannelHandle<ChannelCore<T>> {
  protected get kind(): string {
    return "Receiver";
  }




  /**
   * Free slots now: how many messages a `trySend` could add at once (`Infinity` when
   * unbounded). As tokio's `capacity()`; the bound itself is {@link maxCapacity}.
   */
  get capacity(): number {
    return this.core.free();
  }

  /** Most messages the buffer holds (`Infinity` when unbounded): the capacity the channel was made with. */
  get maxCapacity(): number {
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
   * Wait for at least one message, then take up to `limit` (default: all buffered) into
   * `buffer` without waiting again; the number taken, 0 once the channel is closed and drained
   * (tokio's `recv_many`). Cancel-safe: cancelled while it waits, it takes nothing.
   *
   * ```ts
   * const batch: Job[] = [];
   * while ((yield* rx.recvMany(batch, 100)) > 0) { yield* flush(batch); batch.length = 0; }
   * ```
   */
  *recvMany(buffer: T[], limit = Infinity): Generator<Future<unknown>, number, unknown> {
    if (!(limit >= 1)) throw new RangeError(`recvMany(buffer, limit): limit must be ≥ 1, not ${String(limit)}`);
    const first = yield* this.recv();
    if (first === undefined) return 0;
    buffer.push(first);
    let n = 1;
    for (let m; n < limit && (m = this.tryRecv()) !== undefined; n++) buffer.push(m);
    return n;
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


}
