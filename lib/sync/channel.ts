// channel(): the multi-producer, single-consumer queue between tasks (tokio's mpsc).
// Guarantees: every message sent is received exactly once or its send fails loudly; messages
// from one sender arrive in the order sent; waiting senders and receivers are served FIFO;
// a send or recv cancelled while it waits leaves the channel as if it had never been made.
//
// How: the buffer (a RingQueue) is the only place a message waits. A send pushes only during
// its own poll, a recv takes only during its own poll; what a waiter is woken with is a
// *promise* (a reserved message, a granted slot), counted beside the buffer, which a drop()
// hands on to the next in line. Nothing is in flight between two tasks, so nothing can be
// lost or duplicated when one of them is cancelled. See channel-core.ts for the invariants.

import { ChannelCore, checkCapacity, checkName } from "./channel-core";
import { Receiver } from "./channel-receiver";
import { Sender } from "./channel-sender";

/** Options for a channel. @public */
export interface ChannelOptions {
  /** Shown in descriptions and deadlock reports: `recv on channel#3 "jobs"`. */
  name?: string;
}

/**
 * A channel of `T` between tasks: many senders (clone the Sender), one Receiver.
 *
 * With a `capacity` (a whole number ≥ 1) `send` waits while that many messages are
 * buffered: back-pressure. Without one, the channel is unbounded and `send` never waits.
 *
 * ```ts
 * const [tx, rx] = channel<number>(1, { name: "numbers" });
 * spawn(function* () { for (let i = 1; i <= 3; i++) yield* tx.send(i); tx.close(); });
 * for (let n; (n = yield* rx.recv()) !== undefined; ) console.log(n);   // 1 2 3
 * ```
 * @public
 */
export function channel<T>(capacity?: number, options?: ChannelOptions): [Sender<T>, Receiver<T>] {
  const cap = checkCapacity("channel()", capacity, true);
  const core = new ChannelCore<T>(cap, checkName("channel()", options));
  return [new Sender(core), new Receiver(core)];
}
