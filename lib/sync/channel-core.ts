// The state an mpsc channel's senders and receiver share, and every move that changes it.
// Invariants: the buffer is the only place a message waits, so each is taken exactly once;
// a receiver parks only while every buffered message is reserved for a receiver already
// woken; a sender parks only while the buffer plus the slots granted to woken senders is full.

import { touch } from "../footprint";
import { describeValue } from "../poll";
import { RingQueue } from "../queue";
import { WakerSet } from "../waiting";
import { wakeEvery } from "./waiters";

/** What the core needs from a waiting send or recv (a QueuedFuture): the two ways its wait ends. */
export interface Waiter {
  /** Promised a message or a slot (counted in `reserved` or `granted`): every waiter is woken to collect it. */
  granted(): void;
  /** Nothing will come (the channel ended, or this send's handle or the receiver closed). */
  end(): void;
}

/** A waiting send also carries the handle it was made by (closing that handle fails it). */
export interface SendWaiter extends Waiter {
  readonly sender: object;
}

let nextId = 1;

/** Internal (not exported from an entry point): one channel's buffer, queues and counters. Users hold a Sender or a Receiver. */
export class ChannelCore<T> {
  readonly id = nextId++;
  readonly buffer: RingQueue<T>;
  /** Buffered messages promised to GRANTED receivers: a fresh recv may take only the rest. */
  reserved = 0;
  /** Slots promised to GRANTED senders: a fresh send may use only what is left. */
  granted = 0;
  /** Parked receivers, oldest first. */
  readonly receivers = new RingQueue<Waiter>(4);
  /** Parked senders, oldest first (bounded channels only). */
  readonly senders = new RingQueue<SendWaiter>(4);
  /** Sender handles not yet closed. */
  openSenders = 1;
  receiverClosed = false;
  /** Waiting in a sender's `closed()` (made at the first). */
  gone: WakerSet | undefined = undefined;
  /** The number of the next message taken that was never given back (messages are numbered in send order). */
  private fresh = 0;
  /** The numbers of the messages given back, which sit at the front of the buffer, ascending. */
  private back: number[] | undefined = undefined;
  /** The number of the message {@link take} returned last (a recv keeps it, to give it back in place). */
  lastSeq = 0;

  constructor(
    readonly capacity: number,
    readonly name: string | undefined,
  ) {
    this.buffer = new RingQueue<T>(capacity === Infinity ? 16 : Math.min(capacity, 1024));
  }

  /** `channel#3` or `channel#3 "jobs"`: how waiters and errors name this channel. */
  get label(): string {
    touch(this); // partial-order reduction: every channel operation uses this channel
    return this.name === undefined ? `channel#${this.id}` : `channel#${this.id} "${this.name}"`;
  }

  /** No message can arrive any more: every sender closed, or the receiver closed. */
  get done(): boolean {
    touch(this); // partial-order reduction: every channel operation uses this channel
    return this.openSenders === 0 || this.receiverClosed;
  }

  /** Slots a fresh send may use now (never negative: a message given back may overfill for a moment). */
  free(): number {
    return Math.max(0, this.capacity - this.buffer.length - this.granted);
  }

  /** A fresh send may push now. */
  hasRoom(): boolean {
    touch(this); // partial-order reduction: every channel operation uses this channel
    return this.buffer.length + this.granted < this.capacity;
  }

  /** A fresh recv may take now (a message not reserved for a receiver already woken). */
  hasFree(): boolean {
    touch(this); // partial-order reduction: every channel operation uses this channel
    return this.buffer.length > this.reserved;
  }

  /** Append a message and wake the receiver it belongs to. */
  push(value: T): void {
    touch(this); // partial-order reduction: every channel operation uses this channel
    this.buffer.push(value);
    if (this.receivers.length > 0) this.wakeReceivers();
  }

  /**
   * A received message given back unused returns to where it was: before every message sent
   * after it (messages are numbered as they are taken, so several given back in any order keep
   * theirs). A bounded channel may hold one more than its capacity for a moment: senders wait.
   */
  unshift(value: T, seq: number): void {
    const back = (this.back ??= []);
    let i = 0;
    while (i < back.length && (back[i] as number) < seq) i++;
    back.splice(i, 0, seq);
    this.buffer.insertAt(i, value);
    if (this.receivers.length > 0) this.wakeReceivers();
  }

  /** Remove the oldest message; the slot it frees goes to the first parked sender. */
  take(): T {
    touch(this); // partial-order reduction: every channel operation uses this channel
    const value = this.buffer.shift() as T;
    const back = this.back;
    this.lastSeq = back !== undefined && back.length > 0 ? (back.shift() as number) : this.fresh++;
    if (this.senders.length > 0) this.grantSender();
    else if (this.receivers.length > 0 && this.buffer.length === 0) this.wakeReceivers(); // the last one: tell the rest it is over
    return value;
  }

  /**
   * Keep the receiver invariant: each unreserved message wakes one parked receiver (FIFO) and
   * is reserved for it; once the channel is done and empty, every parked receiver is woken
   * to see the end.
   */
  wakeReceivers(): void {
    touch(this); // partial-order reduction: every channel operation uses this channel
    const q = this.receivers;
    while (q.length > 0 && this.buffer.length > this.reserved) {
      this.reserved++;
      (q.shift() as Waiter).granted();
    }
    if (q.length > 0 && this.buffer.length === 0 && this.done) wakeEvery(() => q.shift(), (w) => w.end());
  }

  /** A slot opened while senders wait: promise it to the first. */
  grantSender(): void {
    this.granted++;
    (this.senders.shift() as SendWaiter).granted();
  }

  /** A GRANTED sender gives its slot back without using it: the next in line gets it (no hole). */
  passSlot(): void {
    touch(this); // partial-order reduction: every channel operation uses this channel
    this.granted--;
    if (this.senders.length > 0 && !this.receiverClosed) this.grantSender();
  }

  /** A GRANTED receiver leaves without taking its message: the next in line gets it. */
  passReservation(): void {
    touch(this); // partial-order reduction: every channel operation uses this channel
    this.reserved--;
    if (this.receivers.length > 0) this.wakeReceivers();
  }

  /** One sender handle closed: its parked sends fail; the last one ends the stream. */
  closeSender(sender: object): void {
    touch(this); // partial-order reduction: every channel operation uses this channel
    this.openSenders--;
    this.failSenders(sender);
    if (this.openSenders === 0 && this.receivers.length > 0) this.wakeReceivers();
  }

  /** The receiver closed: every parked send fails; buffered messages stay to be drained. */
  closeReceiver(): void {
    touch(this); // partial-order reduction: every channel operation uses this channel
    if (this.receiverClosed) return;
    this.receiverClosed = true;
    this.failSenders(undefined);
    this.gone?.wakeAll();
    if (this.receivers.length > 0) this.wakeReceivers();
  }

  /** Fail the parked sends made by `sender` (all when undefined). Order of the rest is kept. */
  private failSenders(sender: object | undefined): void {
    const q = this.senders;
    let n = q.length;
    wakeEvery(
      () => (n-- > 0 ? q.shift() : undefined),
      (w) => {
        if (sender !== undefined && w.sender !== sender) q.push(w);
        else w.end();
      },
    );
  }
}

/** Validates a channel capacity: a whole number ≥ 1, or undefined/Infinity for unbounded. */
export function checkCapacity(what: string, capacity: unknown, unboundedOk: boolean): number {
  if (capacity === undefined && unboundedOk) return Infinity;
  if (typeof capacity !== "number") {
    throw new TypeError(`${what} needs a capacity that is a whole number ≥ 1${unboundedOk ? " (or none, for unbounded)" : ""}, not ${describeValue(capacity)}`);
  }
  if (capacity === Infinity && unboundedOk) return Infinity;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`${what} needs a capacity that is a whole number ≥ 1${unboundedOk ? " (or none, for unbounded)" : ""}, not ${describeValue(capacity)}`);
  }
  return capacity;
}

/** Validates a channel name option. */
export function checkName(what: string, options: unknown): string | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") throw new TypeError(`${what} options must be an object like { name: "jobs" }, not ${describeValue(options)}`);
  const name = (options as { name?: unknown }).name;
  if (name !== undefined && typeof name !== "string") throw new TypeError(`${what} options.name must be a string, not ${describeValue(name)}`);
  return name;
}

/** `undefined` is how recv() says "closed", so it cannot be a message. */
export function checkMessage(what: string, value: unknown): void {
  if (value === undefined) {
    throw new TypeError(`${what}(undefined): undefined is how recv() reports a closed channel, so it cannot be sent; send null or a value instead`);
  }
}
