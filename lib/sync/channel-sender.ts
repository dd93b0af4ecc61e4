// The sending half of an mpsc channel: a handle that may be cloned, and the `send` future.
// A send either pushes its message into the buffer or leaves no trace: it holds the message
// until it is polled with room (or a granted slot), so a cancelled send sends nothing.

import { touch } from "../footprint";
import { ChannelClosedError } from "../errors";
import { READY_VOID } from "../futures";
import { Op, Poll } from "../poll";
import type { Context, Waker } from "../waker";
import { type ChannelCore, DONE, GRANTED, IDLE, QUEUED, type SendWaiter, checkMessage } from "./channel-core";
import { DISPOSE } from "./waiters";

/**
 * The future of one `send`. Ready on its first poll when the buffer has room; otherwise it
 * waits in line (FIFO) until a receiver frees a slot for it. Dropped while waiting, it leaves
 * the line, or passes a slot it was granted to the next sender.
 */
class SendOp<T> extends Op<void> implements SendWaiter {
  state = IDLE;
  waker: Waker | undefined = undefined;

  constructor(
    private readonly core: ChannelCore<T>,
    readonly sender: Sender<T>,
    private value: T | undefined,
  ) {
    super();
  }

  poll(cx: Context): Poll<void> {
    const core = this.core;
    touch(core); // partial-order reduction: this operation uses the channel
    const state = this.state;
    if (state === IDLE) {
      if (this.sender.closed) throw this.closedError();
      if (core.hasRoom()) return this.complete();
      this.state = QUEUED;
      this.waker = cx.waker;
      core.senders.push(this);
      return Poll.pending;
    }
    if (state === GRANTED) {
      if (this.sender.closed) {
        core.passSlot();
        throw this.closedError();
      }
      core.granted--; // the granted slot becomes this message's
      return this.complete();
    }
    if (state === QUEUED) {
      this.waker = cx.waker; // a spurious poll, perhaps by another task's waker
      return Poll.pending;
    }
    throw new Error(`${this.describe()} was polled again after it completed: call send() for each message`);
  }

  drop(): void {
    touch(this.core);
    if (this.state === QUEUED) {
      this.core.senders.remove(this);
      this.state = IDLE;
    } else if (this.state === GRANTED) {
      this.state = IDLE;
      this.core.passSlot();
    }
    this.waker = undefined;
  }

  describe(): string {
    const core = this.core;
    if (this.state === QUEUED) return `send on ${core.label} (full, capacity ${core.capacity})`;
    if (this.state === GRANTED) return `send on ${core.label} (a slot is free for it)`;
    return `send on ${core.label}`;
  }

  private complete(): Poll<void> {
    const value = this.value as T;
    this.value = undefined;
    this.state = DONE;
    this.waker = undefined;
    this.core.push(value);
    return READY_VOID;
  }

  private closedError(): ChannelClosedError {
    this.value = undefined;
    this.state = DONE;
    return new ChannelClosedError(closedReason(this.core, this.sender));
  }
}

function closedReason(core: ChannelCore<unknown>, sender: Sender<unknown>): string {
  return sender.closedByHandle
    ? `send on ${core.label}: this sender was closed`
    : `send on ${core.label}: the receiver is closed`;
}

/**
 * The sending half of a {@link channel}. Clone it to give each producer its own handle; the
 * channel ends for the receiver once every handle is closed.
 *
 * ```ts
 * const [tx, rx] = channel<string>(8);
 * yield* tx.send("job 1");          // waits (FIFO) while the buffer is full
 * if (!tx.trySend("job 2")) { … }   // full right now
 * tx.close();                       // rx.recv() returns undefined once drained
 * ```
 * @public
 */
export class Sender<T> {
  private handleClosed = false;

  /** @internal Made by `channel()` and `clone()`. */
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

  /** True when sending would throw: this handle was closed, or the receiver closed. */
  get closed(): boolean {
    touch(this.core);
    return this.handleClosed || this.core.receiverClosed;
  }

  /** @internal True when this handle itself was closed (as opposed to the receiver). */
  get closedByHandle(): boolean {
    return this.handleClosed;
  }

  /**
   * Send `value`, waiting in line while the buffer is full. Throws `ChannelClosedError` when
   * the receiver (or this handle) is closed. Cancelled while waiting, nothing was sent.
   * `undefined` cannot be sent (it is how `recv()` says the channel ended): TypeError.
   */
  send(value: T): Op<void> {
    checkMessage("send", value);
    return new SendOp(this.core, this, value);
  }

  /**
   * Send without waiting: true when `value` went into the buffer, false when it is full (or
   * other sends wait ahead). Throws `ChannelClosedError` when the receiver or this handle is
   * closed, so a message is never dropped without the caller knowing.
   */
  trySend(value: T): boolean {
    checkMessage("trySend", value);
    if (this.closed) throw new ChannelClosedError(closedReason(this.core, this).replace(/^send/, "trySend"));
    const core = this.core;
    if (!core.hasRoom()) return false;
    core.push(value);
    return true;
  }

  /**
   * Another handle to the same channel; the channel stays open until every handle closes.
   * Close it in the owning task's `finally` (or hold it with `using`). A task aborted before
   * its first step never runs its body, finally blocks included: a clone made for such a task
   * by its spawner stays open, so where tasks may be aborted early, clone inside the task.
   */
  clone(): Sender<T> {
    if (this.handleClosed) throw new ChannelClosedError(`clone of a closed sender of ${this.core.label}`);
    touch(this.core);
    this.core.openSenders++;
    return new Sender(this.core);
  }

  /**
   * Close this handle (idempotent). Sends of this handle still waiting fail with
   * `ChannelClosedError`; when it was the last open handle, the receiver sees the end once
   * the buffer is drained.
   */
  close(): void {
    if (this.handleClosed) return;
    this.handleClosed = true;
    this.core.closeSender(this);
  }

  /** For `using`: closes this handle when the block ends (`using mine = tx.clone()`). */
  [DISPOSE](): void {
    this.close();
  }

  toString(): string {
    return `Sender(${this.core.label})`;
  }
}
