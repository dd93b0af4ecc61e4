// broadcast(): every message to every receiver (tokio's broadcast).
// Invariant: the last `capacity` messages live in a ring indexed by sequence number; each
// receiver is a cursor into that sequence, moved only by its own poll. A cursor that fell
// behind the oldest kept message learns how many it missed (LaggedError) and jumps forward:
// a slow receiver never holds back the sender or the other receivers.

import { ChannelClosedError } from "./closed-error";
import { Op, Poll } from "../poll";
import { checkCapacity, checkMessage, checkName } from "./channel-core";
import { Rechecked, wakeParked } from "./shared-future";
import { Until } from "./until";
import { ChannelHandle } from "./channel-handle";
import { WakerSet } from "../waiting";

/**
 * A broadcast receiver fell more than `capacity` messages behind: the `skipped` oldest it had
 * not read were overwritten. The receiver has already moved on to the oldest message still
 * kept, so the next `recv()` returns it (tokio's `RecvError::Lagged(k)`).
 * @public
 */
export class LaggedError extends Error {
  /** Always `"LaggedError"`: tells this error apart in messages and checks on `name`. */
  override readonly name = "LaggedError";
  constructor(
    /** How many messages this receiver missed (they were overwritten before it read them). */
    readonly skipped: number,
    where = "a broadcast receiver",
  ) {
    super(`${where} fell behind and missed ${skipped} message${skipped === 1 ? "" : "s"}; it continues from the oldest one kept`);
  }
}

let nextId = 1;

/** Internal (not exported from an entry point): the ring and the counters every sender and receiver share. */
class BroadcastCore<T> {
  readonly id = nextId++;
  /** Slot `seq % capacity` holds message `seq`; grows to `capacity` as messages arrive. */
  readonly ring: (T | undefined)[] = [];
  /** Messages ever stored: the sequence number the next one gets. */
  sent = 0;
  openSenders = 1;
  openReceivers = 1;
  /** recv futures parked until the next message (or the end); all are woken by a send. */
  readonly waiting = new Set<Rechecked<T | undefined>>();
  /** Waiting in a sender's `closed()`. */
  readonly gone = new WakerSet();
  /** The receivers subscribed now (for `len`: the slowest one's position). */
  readonly cursors = new Set<BroadcastReceiver<T>>();

  constructor(
    readonly capacity: number,
    readonly name: string | undefined,
  ) {}

  get label(): string {
    return this.name === undefined ? `broadcast#${this.id}` : `broadcast#${this.id} "${this.name}"`;
  }

  /** Sequence number of the oldest message still in the ring. */
  get oldest(): number {
    return Math.max(0, this.sent - this.capacity);
  }

  /** Messages kept that some subscribed receiver has not read yet. */
  unread(): number {
    let slowest = this.sent;
    for (const r of this.cursors) if (r.position < slowest) slowest = r.position;
    return Math.min(this.sent - slowest, this.capacity);
  }
}

/**
 * The future of one broadcast `recv`. Moves its receiver's cursor only when it returns; several
 * tasks awaiting one recv move it once, and each gets that message.
 */
class RecvOp<T> extends Rechecked<T | undefined, BroadcastReceiver<T>> {
  constructor(
    private readonly core: BroadcastCore<T>,
    receiver: BroadcastReceiver<T>,
  ) {
    super(core.waiting, receiver);
  }

  protected attempt(): Poll<T | undefined> | undefined {
    const r = this.receiver.take("recv");
    return r === NOTHING ? undefined : Poll.ready(r as T | undefined);
  }

  describe(): string {
    return `recv on ${this.core.label}`;
  }
}

/** What `take` returns when nothing is there yet (distinct from undefined, the end). */
const NOTHING: unique symbol = Symbol("nothing yet");

/**
 * The sending half of a {@link broadcast}. `send` never waits: a receiver that cannot keep
 * up loses the oldest messages instead (and is told, with {@link LaggedError}).
 * @public
 */
export class BroadcastSender<T> extends ChannelHandle<BroadcastCore<T>> {
  protected get kind(): string {
    return "BroadcastSender";
  }

  private handleClosed = false;




  /** How many of the latest messages the channel keeps: a receiver further behind loses the oldest ({@link LaggedError}). */
  get capacity(): number {
    return this.core.capacity;
  }

  /** Receivers subscribed now (not closed). */
  get receiverCount(): number {
    return this.core.openReceivers;
  }

  /** True once this handle was closed (not tokio's `is_closed`: that is `receiverCount === 0`). */
  get isHandleClosed(): boolean {
    return this.handleClosed;
  }

  /** Messages kept that the slowest receiver has not read yet (tokio's `len`). */
  get len(): number {
    return this.core.unread();
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

  /**
   * Send `value` to every receiver subscribed now; returns how many that is. With none, the
   * message is not kept and 0 says so. Throws `ChannelClosedError` on a closed handle, and
   * TypeError for `undefined` (how `recv()` reports the end).
   */
  send(value: T): number {
    checkMessage("send", value);
    const core = this.core;
    if (this.handleClosed) throw new ChannelClosedError(`send on ${core.label}: this sender was closed`);
    if (core.openReceivers === 0) return 0;
    core.ring[core.sent % core.capacity] = value;
    core.sent++;
    if (core.waiting.size > 0) wakeParked(core.waiting);
    return core.openReceivers;
  }

  /** A new receiver that sees every message sent from now on. */
  subscribe(): BroadcastReceiver<T> {
    if (this.handleClosed) throw new ChannelClosedError(`subscribe on a closed sender of ${this.core.label}`);
    this.core.openReceivers++;
    return new BroadcastReceiver(this.core, this.core.sent);
  }

  /** Another sending handle; receivers see the end once every handle is closed. */
  clone(): BroadcastSender<T> {
    if (this.handleClosed) throw new ChannelClosedError(`clone of a closed sender of ${this.core.label}`);
    this.core.openSenders++;
    return new BroadcastSender(this.core);
  }

  /** Close this handle (idempotent). After the last, receivers drain what is kept, then get `undefined`. */
  close(): void {
    if (this.handleClosed) return;
    this.handleClosed = true;
    const core = this.core;
    core.openSenders--;
    if (core.openSenders === 0 && core.waiting.size > 0) wakeParked(core.waiting);
  }


}

/**
 * One subscription to a {@link broadcast}: it sees every message sent after it subscribed,
 * in order, unless it falls more than `capacity` behind.
 *
 * ```ts
 * for (;;) {
 *   try {
 *     const m = yield* rx.recv();
 *     if (m === undefined) break;          // every sender closed, all read
 *     show(m);
 *   } catch (e) {
 *     if (!(e instanceof LaggedError)) throw e;
 *     console.log(`missed ${e.skipped}`);  // then carry on from the oldest kept
 *   }
 * }
 * ```
 * @public
 */
export class BroadcastReceiver<T> extends ChannelHandle<BroadcastCore<T>> {
  protected get kind(): string {
    return "BroadcastReceiver";
  }

  private handleClosed = false;

  /** @internal Made by `broadcast()`, `subscribe()` and `resubscribe()`. */
  constructor(
    core: BroadcastCore<T>,
    /** Sequence number of the next message this receiver reads. */
    private next: number,
  ) {
    super(core);
    core.cursors.add(this);
  }

  /** @internal Sequence number of the next message it reads. */
  get position(): number {
    return this.next;
  }



  /** Messages sent that this receiver has not read yet (including any it will be told it missed). */
  get length(): number {
    return this.core.sent - this.next;
  }

  /** True once every sender is closed (messages kept can still be read), or this receiver was closed. */
  get closed(): boolean {
    return this.handleClosed || this.core.openSenders === 0;
  }

  /**
   * The next message; waits while there is none. Throws {@link LaggedError} once if this
   * receiver fell behind (the next call returns the oldest message kept). `undefined` once
   * every sender is closed and everything kept was read. Cancel-safe: a recv cancelled while
   * it waits moves nothing.
   */
  recv(): Op<T | undefined> {
    return new RecvOp(this.core, this);
  }

  /** Like `recv`, without waiting: `undefined` when nothing is there now (read `closed` to tell why). */
  tryRecv(): T | undefined {
    const r = this.take("tryRecv");
    return r === NOTHING ? undefined : (r as T | undefined);
  }

  /** A new receiver on the same channel starting from now (tokio's `resubscribe`). */
  resubscribe(): BroadcastReceiver<T> {
    this.core.openReceivers++;
    return new BroadcastReceiver(this.core, this.core.sent);
  }

  /** Unsubscribe (idempotent): senders stop counting it; its waiting recvs throw `ChannelClosedError`. */
  close(): void {
    if (this.handleClosed) return;
    this.handleClosed = true;
    const core = this.core;
    core.openReceivers--;
    core.cursors.delete(this);
    if (core.openReceivers === 0) {
      core.ring.fill(undefined); // nobody can read them any more: let them go
      core.gone.wakeAll();
    }
    wakeParked(core.waiting, this);
  }



  /** @internal Read the next message: a value, undefined (the end), NOTHING yet, or throw Lagged. */
  take(op: "recv" | "tryRecv"): T | undefined | typeof NOTHING {
    const core = this.core;
    if (this.handleClosed) throw new ChannelClosedError(`${op} on ${core.label}: this receiver was closed`);
    const oldest = core.oldest;
    if (this.next < oldest) {
      const skipped = oldest - this.next;
      this.next = oldest;
      throw new LaggedError(skipped, `${op} on ${core.label}: this receiver`);
    }
    if (this.next < core.sent) return core.ring[this.next++ % core.capacity];
    return core.openSenders === 0 ? undefined : NOTHING;
  }
}

/**
 * A channel where every receiver sees every message (pub/sub), keeping the last `capacity`.
 *
 * ```ts
 * const [tx, rx1] = broadcast<string>(16);
 * const rx2 = tx.subscribe();
 * tx.send("hello");                  // 2: both will see it
 * yield* rx1.recv(); yield* rx2.recv();
 * ```
 * A receiver more than `capacity` behind loses the oldest messages and is told how many
 * ({@link LaggedError}). Unlike tokio, the capacity is kept exactly (not rounded to a power of 2).
 * @public
 */
export function broadcast<T>(capacity: number, options?: { name?: string }): [BroadcastSender<T>, BroadcastReceiver<T>] {
  const core = new BroadcastCore<T>(checkCapacity("broadcast()", capacity, false), checkName("broadcast()", options));
  return [new BroadcastSender(core), new BroadcastReceiver(core, 0)];
}
