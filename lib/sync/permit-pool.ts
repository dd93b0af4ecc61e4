// The weighted FIFO permit pool under Semaphore, Mutex and RwLock (tokio builds all three on one
// batch semaphore too: a mutex is 1 permit, a reader takes 1 of many, a writer takes them all).
// Invariants: available + the permits of every live Held === total; and a waiter stays queued
// only while the head of the queue needs more than `available` — nobody overtakes the head, and
// no permit sits free while the head could use it.

import { touch } from "../footprint";
import { Poll } from "../poll";
import { DISPOSE, Primitive, Waiter, WaiterQueue, taskIds, type TaskRef } from "./waiters";

/** Internal (not exported from an entry point): permits, the FIFO of tasks waiting for them, and the list of live holds. */
export class PermitPool {
  /** Permits free now. While a waiter is queued they are kept for the head (FIFO). */
  available: number;
  /** Permits in existence: free plus held. */
  total: number;
  readonly queue = new WaiterQueue<PoolWaiter<Held>>();
  /** Live holds, oldest first (intrusive list: O(1) track and untrack, no allocation). */
  private heldHead: Held | undefined = undefined;
  private heldTail: Held | undefined = undefined;

  constructor(permits: number) {
    this.available = this.total = permits;
  }

  /** Take `n` at once: only when nobody is queued (no overtaking) and enough are free. */
  take(n: number): boolean {
    touch(this.queue); // the pool and its queue are one resource for partial-order reduction
    if (this.queue.length !== 0 || this.available < n) return false;
    this.available -= n;
    return true;
  }

  /** Return or add `n` permits, then serve the queue. */
  give(n: number): void {
    touch(this.queue);
    this.available += n;
    this.serve();
  }

  /** Grant the head of the queue while it fits. Stops at the first that does not (strict FIFO). */
  serve(): void {
    const q = this.queue;
    for (let w = q.first(); w !== undefined && w.permits <= this.available; w = q.first()) {
      this.available -= w.permits;
      q.grant(w, w.make());
    }
  }

  track(h: Held): void {
    h.prevHeld = this.heldTail;
    if (this.heldTail === undefined) this.heldHead = h;
    else this.heldTail.nextHeld = h;
    this.heldTail = h;
  }

  untrack(h: Held): void {
    const { prevHeld: prev, nextHeld: next } = h;
    if (prev === undefined) this.heldHead = next;
    else prev.nextHeld = next;
    if (next === undefined) this.heldTail = prev;
    else next.prevHeld = prev;
    h.prevHeld = h.nextHeld = undefined;
  }

  /** Every live hold, oldest first (for reports). */
  held(): Held[] {
    const out: Held[] = [];
    for (let h = this.heldHead; h !== undefined; h = h.nextHeld) out.push(h);
    return out;
  }
}

/** A primitive built on a permit pool (Mutex, RwLock, Semaphore): its holders are the pool's live holds. @public */
export abstract class PoolPrimitive extends Primitive<PoolWaiter<Held>> {
  /** @internal */
  readonly pool: PermitPool;

  constructor(kind: string, options: { name?: string } | undefined, pool: PermitPool) {
    super(kind, options, pool.queue);
    this.pool = pool;
  }

  override get holders(): readonly number[] {
    return taskIds(this.pool.held().map((h) => h.holder));
  }
}

/**
 * Something taken from a pool: a permit, a lock guard. Released exactly once — by `release()`
 * (a second call is an error: it would hand out permits twice) or by `[Symbol.dispose]`, which
 * does nothing if it was already released, so `using` and an early `release()` go together.
 *
 * ```ts
 * const g = yield* mutex.lock();   // a MutexGuard, which is a Held
 * g.release();
 * g.released;                      // true; g.release() again would throw
 * ```
 * @public
 */
export abstract class Held implements Disposable {
  /** @internal */
  prevHeld: Held | undefined = undefined;
  /** @internal */
  nextHeld: Held | undefined = undefined;
  private isReleased = false;

  /** @internal Made by the primitive; the hold is live from here until released. */
  constructor(
    /** @internal */ readonly pool: PermitPool,
    /** @internal How many of the pool's permits this holds (a permit's split and merge change it). */ public weight: number,
    /** @internal The task that took it (undefined outside any task). */ readonly holder: TaskRef | undefined,
  ) {
    pool.track(this);
  }

  /** True once released (by `release()`, dispose, or a downgrade). */
  get released(): boolean {
    return this.isReleased;
  }

  /** Give it back; the next waiter in line gets it. Releasing twice throws. */
  release(): void {
    if (this.isReleased) throw new Error(`${this.what()} was already released: releasing twice would hand it out twice`);
    this.retire();
    this.pool.give(this.weight);
  }

  /** Release unless already released: what `using` calls at the end of the block. */
  [DISPOSE](): void {
    if (!this.isReleased) this.release();
  }

  /** @internal Mark released and forget it, without returning its permits (the caller does). */
  retire(): void {
    this.isReleased = true;
    this.pool.untrack(this);
  }

  /** @internal Throws the error for using a released hold. */
  protected live(use: string): void {
    if (this.isReleased) throw new Error(`${this.what()} was released: it can no longer ${use}`);
  }

  /** Names it in error messages: `this MutexGuard of Mutex#2`. */
  protected abstract what(): string;
}

/**
 * Internal (not exported from an entry point): a task waiting for `permits` of a pool. First poll takes them at once when nobody is
 * queued; otherwise it queues and the pool grants it in FIFO order. Dropped while granted, it
 * releases its grant, which serves the next in line.
 */
export abstract class PoolWaiter<G extends Held> extends Waiter<G> {
  constructor(
    protected readonly pool: PermitPool,
    readonly permits: number,
  ) {
    super(pool.queue);
  }

  /** @internal Build the grant for `this.task`, once its permits were taken. */
  abstract make(): G;

  protected begin(): Poll<G> {
    return this.pool.take(this.permits) ? Poll.ready(this.make()) : Poll.pending;
  }

  protected override left(): void {
    this.pool.serve(); // it may have been a large head blocking smaller waiters behind it
  }

  protected override giveBack(grant: G): void {
    if (!grant.released) grant.release();
  }

  /** `; 2 waiting ahead` when others are in line before it, else "". */
  protected queuePosition(): string {
    const k = this.pool.queue.ahead(this);
    return k > 0 ? `; ${k} waiting ahead` : "";
  }
}
