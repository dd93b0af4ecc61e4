// oneshot(): one value, sent once, from one task to another (tokio's oneshot).
// Invariant: the cell settles exactly once, EMPTY → SENT (the value) or EMPTY → CLOSED (the
// sender closed without sending, or the receiver closed first); a settled cell never changes,
// so every poll of the receiver after that sees the same outcome.

import { ChannelClosedError } from "./closed-error";
import { Op, Poll } from "../poll";
import type { Context } from "../waker";
import { WakerSet } from "../waiting";
import { Until } from "./until";
import { checkName } from "./channel-core";
import { DISPOSE } from "./waiters";

const EMPTY = 0;
const SENT = 1;
const CLOSED = 2;

let nextId = 1;

/** @internal The cell both halves share. */
class OneshotCore<T> {
  readonly id = nextId++;
  state = EMPTY;
  value: T | undefined = undefined;
  /** Why the cell closed empty, for the receiver's error. */
  why = "";
  senderUsed = false;
  receiverClosed = false;
  readonly waiting = new WakerSet();
  /** Waiting in the sender's `closed()`. */
  readonly gone = new WakerSet();
  constructor(readonly name: string | undefined) {}

  get label(): string {
    return this.name === undefined ? `oneshot#${this.id}` : `oneshot#${this.id} "${this.name}"`;
  }

  settle(state: number, value: T | undefined, why: string): void {
    this.state = state;
    this.value = value;
    this.why = why;
    this.waiting.wakeAll();
  }
}

/**
 * The sending half of a {@link oneshot}: `send` once, or `close` to say no value will come.
 * @public
 */
export class OneshotSender<T> {
  /** @internal Made by `oneshot()`. */
  constructor(private readonly core: OneshotCore<T>) {}

  /** The oneshot's id (`oneshot#3` in descriptions). */
  get id(): number {
    return this.core.id;
  }

  /** The oneshot's name, if it was given one. */
  get name(): string | undefined {
    return this.core.name;
  }

  /** True when `send` can no longer deliver: it was already used (sent or closed), or the receiver closed. */
  get isClosed(): boolean {
    return this.core.senderUsed || this.core.receiverClosed;
  }

  /**
   * A future ready once the receiver is closed (tokio's `Sender::closed`): stop computing a
   * value nobody wants. Cancel-safe.
   *
   * ```ts
   * yield* race(tx.closed(), function* () { tx.send(yield* compute()); });
   * ```
   */
  closed(): Op<void> {
    const core = this.core;
    return new Until(() => core.receiverClosed, core.gone, `closed() of the sender of ${core.label}`);
  }

  /**
   * Deliver `value` and wake the receiver. Returns false, delivering nothing, when the
   * receiver was closed first (the value is still yours). A sender is used once: a second
   * `send`, or a `send` after `close`, throws `ChannelClosedError`.
   */
  send(value: T): boolean {
    const core = this.core;
    if (core.senderUsed) throw new ChannelClosedError(`send on ${core.label}: this sender was already used (a oneshot sends once)`);
    core.senderUsed = true;
    if (core.receiverClosed) return false;
    core.settle(SENT, value, "");
    return true;
  }

  /** Close without sending (idempotent; no-op after a send): the receiver throws `ChannelClosedError`. */
  close(): void {
    const core = this.core;
    if (core.senderUsed) return;
    core.senderUsed = true;
    if (core.state === EMPTY) core.settle(CLOSED, undefined, "the sender was closed without sending");
  }

  /** For `using`: closes this handle when the block ends (`using mine = tx.clone()`). */
  [DISPOSE](): void {
    this.close();
  }

  /** The sender in words, as errors and traces show it: `OneshotSender(oneshot#3)`. */
  toString(): string {
    return `OneshotSender(${this.core.label})`;
  }
}

/**
 * The receiving half of a {@link oneshot}. It is itself a future: `const v = yield* rx`
 * waits for the value, or throws `ChannelClosedError` if the sender closed without sending.
 * Once settled it stays settled: yielding it again gives the same value (or error).
 * @public
 */
export class OneshotReceiver<T> extends Op<T> {
  /** @internal Made by `oneshot()`. */
  constructor(private readonly core: OneshotCore<T>) {
    super();
  }

  /** The oneshot's id (`oneshot#3` in descriptions). */
  get id(): number {
    return this.core.id;
  }

  /** The oneshot's name, if it was given one. */
  get name(): string | undefined {
    return this.core.name;
  }

  /** `"empty"` while waiting, `"sent"` once the value is here, `"closed"` when none will come. */
  get state(): "empty" | "sent" | "closed" {
    const s = this.core.state;
    return s === SENT ? "sent" : s === CLOSED ? "closed" : "empty";
  }

  poll(cx: Context): Poll<T> {
    const core = this.core;
    if (core.state === SENT) return Poll.ready(core.value as T);
    if (core.state === CLOSED) throw this.closedError();
    core.waiting.add(cx.waker);
    return Poll.pending;
  }

  /** The waiter that polled with `cx` stopped waiting: forget its waker (nothing else was taken). */
  drop(cx: Context): void {
    this.core.waiting.delete(cx.waker);
  }

  /** What this future waits for, for traces and deadlock reports: `recv on oneshot#3`. */
  describe(): string {
    return `recv on ${this.core.label}`;
  }

  /**
   * The value if it was sent, `undefined` while still empty; throws `ChannelClosedError`
   * when none will come. (For a `oneshot<void>`, read {@link OneshotReceiver.state}.)
   */
  tryRecv(): T | undefined {
    const core = this.core;
    if (core.state === CLOSED) throw this.closedError();
    return core.state === SENT ? core.value : undefined;
  }

  /**
   * Refuse the value (idempotent): a later `send` returns false, and waiting on this receiver
   * throws `ChannelClosedError`. A value sent before the close can still be received.
   */
  close(): void {
    const core = this.core;
    core.receiverClosed = true;
    if (core.state === EMPTY) core.settle(CLOSED, undefined, "the receiver was closed");
    core.gone.wakeAll();
  }

  /** For `using`: closes this handle when the block ends (`using mine = tx.clone()`). */
  [DISPOSE](): void {
    this.close();
  }

  override toString(): string {
    return `OneshotReceiver(${this.core.label})`;
  }

  private closedError(): ChannelClosedError {
    return new ChannelClosedError(`recv on ${this.core.label}: ${this.core.why}`);
  }
}

/**
 * A channel for exactly one value: the reply to a request, the result of a job.
 *
 * ```ts
 * const [tx, rx] = oneshot<number>();
 * spawn(function* () { yield* sleep(10); tx.send(42); });
 * const v = yield* rx;   // 42; ChannelClosedError if tx.close() came instead
 * ```
 * @public
 */
export function oneshot<T>(options?: { name?: string }): [OneshotSender<T>, OneshotReceiver<T>] {
  const core = new OneshotCore<T>(checkName("oneshot()", options));
  return [new OneshotSender(core), new OneshotReceiver(core)];
}
