// The sending half of an mpsc channel: a handle that may be cloned, and the `send` future.
// A send either pushes its message into the buffer or leaves no trace: it holds the message
// until it is polled with room (or a granted slot), so a send whose waiters are all cancelled
// sends nothing.

import { touch } from "../footprint";
import { ChannelClosedError } from "../errors";
import { READY_VOID } from "../futures";
import { type Op, Poll } from "../poll";
import { type ChannelCore, type SendWaiter, checkMessage } from "./channel-core";
import { GRANTED, QUEUED, QueuedFuture } from "./shared-future";
import { DISPOSE } from "./waiters";

/**
 * The future of one `send`. Ready on its first poll when the buffer has room; otherwise it
 * waits in line (FIFO) until a receiver frees a slot for it. Several tasks may await one send:
 * the message goes in once, and each of them sees it sent (or the same error). When its last
 * waiter is dropped it leaves the line, or passes a slot it was granted to the next sender.
 */
class SendOp<T> extends QueuedFuture<void> implements SendWaiter {
  constructor(
    private readonly core: ChannelCore<T>,
    readonly sender: Sender<T>,
    private value: T | undefined,
  ) {
    super();
  }

  protected tryNow(): Poll<void> | undefined {
    if (this.sender.closed) throw this.closedError();
    return this.core.hasRoom() ? this.complete() : undefined;
  }

  protected enqueue(): void {
    this.core.senders.push(this);
  }

  protected dequeue(): void {
    this.core.senders.remove(this);
  }

  protected collect(): Poll<void> {
    if (this.sender.closed) {
      this.core.passSlot();
      throw this.closedError();
    }
    this.core.granted--; // the granted slot becomes this message's
    return this.complete();
  }

  protected unclaimed(): void {
    this.core.passSlot();
  }

  /** @internal This send's handle or the receiver closed while it waited. */
  end(): void {
    this.ended(undefined, this.closedError());
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
    this.core.push(value);
    return READY_VOID;
  }

  private closedError(): ChannelClosedError {
    this.value = undefined;
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
