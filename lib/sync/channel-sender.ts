// The sending half of an mpsc channel: a handle that may be cloned, and the `send` future.
// A send either pushes its message into the buffer or leaves no trace: it holds the message
// until it is polled with room (or a granted slot), so a send whose waiters are all cancelled
// sends nothing.

import { touch } from "../footprint";
import { ChannelClosedError } from "./closed-error";
import { NOT_READY, type Op } from "../poll";
import { type ChannelCore, type SendWaiter, checkMessage } from "./channel-core";
import { GRANTED, QUEUED, QueuedFuture } from "./shared-future";
import { Receiver } from "./channel-receiver";
import { Until } from "./until";
import { WakerSet } from "../waiting";
import { ChannelHandle } from "./channel-handle";
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
    private message: T | undefined,
  ) {
    super();
  }

  protected tryNow(): void | typeof NOT_READY {
    if (this.sender.isClosed) throw this.closedError();
    return this.core.hasRoom() ? this.complete() : NOT_READY;
  }

  protected enqueue(): void {
    this.core.senders.push(this);
  }

  protected dequeue(): void {
    this.core.senders.remove(this);
  }

  protected collect(): void {
    if (this.sender.isClosed) {
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

  private complete(): void {
    const value = this.message as T;
    this.message = undefined;
    this.core.push(value);
  }

  private closedError(): ChannelClosedError {
    this.message = undefined;
    return new ChannelClosedError(closedReason(this.core, this.sender));
  }
}

/**
 * The future of one `reserve()`: a slot, taken in FIFO order with the sends, held as a
 * {@link SendPermit} until it is used. Cancelled while waiting it takes nothing; a permit
 * granted and then discarded (by a cancelled combinator) hands its slot on.
 */
class ReserveOp<T> extends QueuedFuture<SendPermit<T>> implements SendWaiter {
  constructor(
    private readonly core: ChannelCore<T>,
    readonly sender: Sender<T>,
  ) {
    super();
  }

  protected tryNow(): SendPermit<T> | typeof NOT_READY {
    if (this.sender.isClosed) throw new ChannelClosedError(closedReason(this.core, this.sender).replace(/^send/, "reserve"));
    if (!this.core.hasRoom()) return NOT_READY;
    this.core.granted++;
    return new SendPermit(this.core);
  }

  protected enqueue(): void {
    this.core.senders.push(this);
  }

  protected dequeue(): void {
    this.core.senders.remove(this);
  }

  protected collect(): SendPermit<T> {
    if (this.sender.isClosed) {
      this.core.passSlot();
      throw new ChannelClosedError(closedReason(this.core, this.sender).replace(/^send/, "reserve"));
    }
    return new SendPermit(this.core); // the granted slot is the permit's
  }

  protected unclaimed(): void {
    this.core.passSlot();
  }

  protected override returned(permit: SendPermit<T>): void {
    permit.release();
  }

  /** @internal This reserve's handle or the receiver closed while it waited. */
  end(): void {
    this.ended(undefined, new ChannelClosedError(closedReason(this.core, this.sender).replace(/^send/, "reserve")));
  }

  describe(): string {
    return this.state === QUEUED ? `reserve on ${this.core.label} (full, capacity ${this.core.capacity})` : `reserve on ${this.core.label}`;
  }
}

/**
 * One slot of a bounded channel, reserved by `reserve()` / `tryReserve()` (tokio's `Permit`):
 * `send(value)` then never waits. `release()` (or `using`) gives the slot back unused.
 *
 * ```ts
 * using permit = yield* tx.reserve();   // wait for room first…
 * permit.send(yield* produce());         // …then produce and send at once
 * ```
 * @public
 */
export class SendPermit<T> implements Disposable {
  private used = false;

  /** @internal */
  constructor(private readonly core: ChannelCore<T>) {}

  /** True once sent or released. */
  get released(): boolean {
    return this.used;
  }

  /**
   * Send `value` into the reserved slot, without waiting. Throws `ChannelClosedError` when the
   * receiver closed meanwhile (the value is still yours), and on a permit already used.
   */
  send(value: T): void {
    checkMessage("SendPermit.send", value);
    if (this.used) throw new Error(`this SendPermit of ${this.core.label} was already used: reserve again for another message`);
    this.used = true;
    const core = this.core;
    if (core.receiverClosed) {
      core.passSlot();
      throw new ChannelClosedError(`SendPermit.send on ${core.label}: the receiver is closed`);
    }
    core.granted--;
    core.push(value);
  }

  /** Give the slot back unused (idempotent after send or release). */
  release(): void {
    if (this.used) return;
    this.used = true;
    this.core.passSlot();
  }

  /** For `using`: releases the slot if the permit was not used to send (`using permit = yield* tx.reserve()`). */
  [DISPOSE](): void {
    this.release();
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
export class Sender<T> extends ChannelHandle<ChannelCore<T>> {
  protected get kind(): string {
    return "Sender";
  }

  private handleClosed = false;




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

  /** True when sending would throw: this handle was closed, or the receiver closed. */
  get isClosed(): boolean {
    touch(this.core);
    return this.handleClosed || this.core.receiverClosed;
  }

  /**
   * A future ready once the receiver is closed (tokio's `Sender::closed`): a producer can stop
   * work nobody will read. Cancel-safe; several may wait.
   *
   * ```ts
   * yield* race(tx.closed(), produceForever(tx));
   * ```
   */
  closed(): Op<void> {
    const core = this.core;
    return new Until(() => core.receiverClosed, (core.gone ??= new WakerSet()), `closed() of a sender of ${core.label}`);
  }

  /** Sender handles of this channel not yet closed. */
  get senderCount(): number {
    return this.core.openSenders;
  }

  /** True when `other` (a sender or the receiver) belongs to the same channel. */
  sameChannel(other: Sender<T> | Receiver<T>): boolean {
    return other.id === this.core.id && (other instanceof Sender || other instanceof Receiver);
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
   * Wait (FIFO with the sends) for a free slot and hold it as a {@link SendPermit}, so the
   * message can be made after room is certain (tokio's `reserve`). Throws `ChannelClosedError`
   * when the receiver or this handle is closed. Cancel-safe.
   */
  reserve(): Op<SendPermit<T>> {
    return new ReserveOp(this.core, this);
  }

  /** A {@link SendPermit} now if a slot is free (and no send waits ahead), else `undefined`. Throws `ChannelClosedError` when closed. */
  tryReserve(): SendPermit<T> | undefined {
    const core = this.core;
    if (this.isClosed) throw new ChannelClosedError(closedReason(core, this).replace(/^send/, "tryReserve"));
    if (!core.hasRoom()) return undefined;
    core.granted++;
    return new SendPermit(core);
  }

  /**
   * Send without waiting: true when `value` went into the buffer, false when it is full (or
   * other sends wait ahead). Throws `ChannelClosedError` when the receiver or this handle is
   * closed, so a message is never dropped without the caller knowing.
   */
  trySend(value: T): boolean {
    checkMessage("trySend", value);
    if (this.isClosed) throw new ChannelClosedError(closedReason(this.core, this).replace(/^send/, "trySend"));
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


}
