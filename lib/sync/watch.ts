// watch(): a value that changes over time, observed by any number of receivers (tokio's watch).
// Invariant: only the latest value is kept, with a version that grows by one per send; each
// receiver remembers the version it last saw, moved only by its own borrowAndUpdate() or a
// changed() that returns, so a changed() whose waiters are all cancelled marks nothing seen.

import { ChannelClosedError } from "./closed-error";
import { READY_VOID } from "../futures";
import type { Future, Op, Poll } from "../poll";
import { WakerSet } from "../waiting";
import { Until } from "./until";
import { checkName } from "./channel-core";
import { Rechecked, wakeParked } from "./shared-future";
import { ChannelHandle } from "./channel-handle";

let nextId = 1;

/** Internal (not exported from an entry point): the value, its version, and who waits for the next one. */
class WatchCore<T> {
  readonly id = nextId++;
  version = 0;
  /** Every sender handle is closed. */
  senderClosed = false;
  openSenders = 1;
  openReceivers = 1;
  readonly waiting = new Set<Rechecked<void>>();
  /** Waiting in a sender's `closed()`. */
  readonly gone = new WakerSet();

  constructor(
    public value: T,
    readonly name: string | undefined,
  ) {}

  get label(): string {
    return this.name === undefined ? `watch#${this.id}` : `watch#${this.id} "${this.name}"`;
  }
}

/**
 * The future of one `changed()`: ready when a version newer than the receiver's last seen
 * exists. Several tasks may await one: the first poll that sees the change marks it seen,
 * and every waiter returns.
 */
class ChangedOp<T> extends Rechecked<void, WatchReceiver<T>> {
  constructor(
    private readonly core: WatchCore<T>,
    receiver: WatchReceiver<T>,
  ) {
    super(core.waiting, receiver);
  }

  protected attempt(): Poll<void> | undefined {
    if (this.receiver.markIfChanged()) return READY_VOID;
    if (this.core.senderClosed) throw new ChannelClosedError(`changed on ${this.core.label}: the sender is closed`);
    return undefined;
  }

  describe(): string {
    return `changed on ${this.core.label}`;
  }
}

/**
 * The sending half of a {@link watch}: replaces the value and wakes every `changed()`.
 * @public
 */
export class WatchSender<T> extends ChannelHandle<WatchCore<T>> {
  protected get kind(): string {
    return "WatchSender";
  }

  private isHandleClosed = false;




  /** Receivers subscribed now (not closed). */
  get receiverCount(): number {
    return this.core.openReceivers;
  }

  /**
   * True once this sender was closed (by `close()`). Not tokio's `is_closed()`, which asks
   * whether every receiver is gone: that is {@link receiversGone}.
   */
  get handleClosed(): boolean {
    return this.isHandleClosed;
  }

  /**
   * A future ready once no receiver is subscribed (tokio's `Sender::closed`). Cancel-safe.
   *
   * ```ts
   * yield* race(tx.closed(), publishForever(tx));
   * ```
   */
  closed(): Op<void> {
    const core = this.core;
    return new Until(() => core.openReceivers === 0, core.gone, `closed() of a sender of ${core.label}`);
  }

  /** Another sending handle; receivers see the sender closed once every handle is closed. */
  clone(): WatchSender<T> {
    if (this.isHandleClosed) throw new ChannelClosedError(`clone of a closed sender of ${this.core.label}`);
    this.core.openSenders++;
    return new WatchSender(this.core);
  }

  /** Sender handles not yet closed. */
  get senderCount(): number {
    return this.core.openSenders;
  }

  /**
   * Change the value in place with `modify` (an object's fields, an array) and wake every
   * receiver, as {@link send} does (tokio's `send_modify`). Throws `ChannelClosedError` after `close()`.
   *
   * ```ts
   * tx.sendModify((config) => { config.retries = 3; });
   * ```
   */
  sendModify(modify: (value: T) => void): void {
    this.sendIfModified((value) => {
      modify(value);
      return true;
    });
  }

  /**
   * Change the value in place with `modify`; only when it returns true is a new version made
   * and the receivers woken (tokio's `send_if_modified`). Returns what `modify` returned.
   */
  sendIfModified(modify: (value: T) => boolean): boolean {
    const core = this.core;
    if (this.isHandleClosed) throw new ChannelClosedError(`sendModify on ${core.label}: this sender was closed`);
    if (!modify(core.value)) return false;
    core.version++;
    if (core.waiting.size > 0) wakeParked(core.waiting);
    return true;
  }

  /** True when no receiver is subscribed now (tokio's `is_closed()`): a send reaches nobody. */
  get receiversGone(): boolean {
    return this.core.openReceivers === 0;
  }

  /**
   * Replace the value and wake every receiver waiting in `changed()`. The value is stored even
   * with no receiver (a later `subscribe()` sees it); the result says whether anyone is
   * subscribed. (tokio's `send` refuses and drops the value then; this is its `send_replace`.)
   * Throws `ChannelClosedError` after `close()`.
   */
  send(value: T): boolean {
    const core = this.core;
    if (this.isHandleClosed) throw new ChannelClosedError(`send on ${core.label}: this sender was closed`);
    core.value = value;
    core.version++;
    if (core.waiting.size > 0) wakeParked(core.waiting);
    return core.openReceivers > 0;
  }

  /** The current value. */
  borrow(): T {
    return this.core.value;
  }

  /** A new receiver; it counts the current value as seen (its `changed()` waits for the next send). */
  subscribe(): WatchReceiver<T> {
    this.core.openReceivers++;
    return new WatchReceiver(this.core, this.core.version);
  }

  /** Close (idempotent): receivers keep the last value; `changed()` with nothing new throws `ChannelClosedError`. */
  close(): void {
    const core = this.core;
    if (this.isHandleClosed) return;
    this.isHandleClosed = true;
    if (--core.openSenders > 0) return;
    core.senderClosed = true;
    if (core.waiting.size > 0) wakeParked(core.waiting);
  }


}

/**
 * A view of a {@link watch}'s latest value that knows which version it last saw.
 *
 * ```ts
 * const [tx, rx] = watch("idle");
 * spawn(function* () { yield* sleep(5); tx.send("busy"); });
 * yield* rx.changed();               // wakes when a newer value is sent
 * console.log(rx.borrow());          // "busy"
 * ```
 * @public
 */
export class WatchReceiver<T> extends ChannelHandle<WatchCore<T>> {
  protected get kind(): string {
    return "WatchReceiver";
  }

  private handleClosed = false;

  /** @internal Made by `watch()`, `subscribe()` and `clone()`. */
  constructor(
    core: WatchCore<T>,
    /** The version this receiver last saw. */
    private seen: number,
  ) {
    super(core);
  }



  /** True once the sender was closed (the last value can still be read), or this receiver was closed. */
  get closed(): boolean {
    return this.handleClosed || this.core.senderClosed;
  }

  /** The current value, without marking it seen. */
  borrow(): T {
    return this.core.value;
  }

  /** The current value, marking it seen. */
  borrowAndUpdate(): T {
    this.seen = this.core.version;
    return this.core.value;
  }

  /** Count the current value as not seen: the next `changed()` is ready at once (tokio's `mark_changed`). */
  markChanged(): void {
    this.seen = this.core.version - 1;
  }

  /** Count the current value as seen, without reading it (tokio's `mark_unchanged`). */
  markUnchanged(): void {
    this.seen = this.core.version;
  }

  /**
   * The first value (the current one included) for which `predicate` holds, marking it seen
   * (tokio's `wait_for`). Throws `ChannelClosedError` if every sender closes first.
   *
   * ```ts
   * const state = yield* rx.waitFor((s) => s === "ready");
   * ```
   */
  *waitFor(predicate: (value: T) => boolean): Generator<Future<unknown>, T, unknown> {
    for (;;) {
      const value = this.borrowAndUpdate();
      if (predicate(value)) return value;
      yield* this.changed();
    }
  }

  /**
   * True when a value newer than the last seen was sent. Unlike tokio, this does not throw
   * once the sender is closed: read `closed` for that.
   */
  hasChanged(): boolean {
    return this.core.version !== this.seen;
  }

  /**
   * Wait until a value newer than the last seen was sent, and mark it seen (read it with
   * `borrow()`). Ready at once if one already was. Throws `ChannelClosedError` when the sender
   * is closed and nothing new is left to see. Cancel-safe: cancelled, it marks nothing.
   */
  changed(): Op<void> {
    if (this.handleClosed) throw new ChannelClosedError(`changed on ${this.core.label}: this receiver was closed`);
    return new ChangedOp(this.core, this);
  }

  /** Another receiver that has seen what this one has. */
  clone(): WatchReceiver<T> {
    this.core.openReceivers++;
    return new WatchReceiver(this.core, this.seen);
  }

  /** Unsubscribe (idempotent): the sender stops counting it; its waiting `changed()` throws `ChannelClosedError`. */
  close(): void {
    if (this.handleClosed) return;
    this.handleClosed = true;
    this.core.openReceivers--;
    if (this.core.openReceivers === 0) this.core.gone.wakeAll();
    wakeParked(this.core.waiting, this);
  }



  /** @internal For `changed()`: true (and marked seen) when a newer version exists. */
  markIfChanged(): boolean {
    if (this.handleClosed) throw new ChannelClosedError(`changed on ${this.core.label}: this receiver was closed`);
    const v = this.core.version;
    if (v === this.seen) return false;
    this.seen = v;
    return true;
  }
}

/**
 * A channel that holds one value, replaced by each send, watched by many receivers: a
 * configuration, a status, a "latest reading". Receivers may skip intermediate values; they
 * always see the latest.
 *
 * ```ts
 * const [tx, rx] = watch({ level: 0 });
 * tx.send({ level: 3 });
 * rx.hasChanged();          // true
 * rx.borrowAndUpdate();     // { level: 3 }, now seen
 * ```
 * @public
 */
export function watch<T>(initial: T, options?: { name?: string }): [WatchSender<T>, WatchReceiver<T>] {
  const core = new WatchCore<T>(initial, checkName("watch()", options));
  return [new WatchSender(core), new WatchReceiver(core, 0)];
}
