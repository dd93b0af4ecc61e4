// wakeful/primitives: the plumbing for people who write their own futures and primitives (a
// channel, a lock, an executor of their own). The main entry keeps what a task-writer needs;
// these are the pieces wakeful builds its own primitives from, exported as they are.

/**
 * Building blocks for your own futures and primitives: a waker to subclass, the lists that
 * keep a future's waiters, the FIFO ring buffer behind wakeful's queues, and the waiter queue
 * and guard base its locks and signals are made of. Writing tasks needs none of this: the
 * main entry (`wakeful`) has the model, the runtime and every ready-made primitive.
 *
 * ```ts
 * import { Poll, type Context, type Future } from "wakeful";
 * import { WakerSet } from "wakeful/primitives";
 * class Gate implements Future<void> {
 *   private open = false;
 *   private readonly waiters = new WakerSet();
 *   poll(cx: Context) { if (this.open) return Poll.ready(undefined); this.waiters.add(cx.waker); return Poll.pending; }
 *   drop(cx: Context) { this.waiters.delete(cx.waker); }
 *   release() { this.open = true; this.waiters.wakeAll(); }
 * }
 * ```
 * @module wakeful/primitives
 */

export { SimpleWaker } from "../waker";
export { WakerSet, addWaiter, removeWaiter, countWaiters, wakeWaiters, wakeEvery } from "../waiting";
export type { Waiters } from "../waiting";
export { RingQueue } from "../queue";
export { Waiter, WaiterQueue } from "../sync/waiters";
export { Held } from "../sync/permit-pool";
