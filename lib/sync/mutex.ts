// Mutex: one value, at most one guard at a time, handed to waiters strictly FIFO.
// It is a one-permit PermitPool: releasing a guard passes the lock straight to the head waiter
// (never "unlocked" while someone waits), so a newcomer cannot barge in ahead of the queue.

import type { Op } from "../poll";
import { Held, PermitPool, PoolPrimitive, PoolWaiter } from "./permit-pool";
import { describeHolders, runningTask } from "./waiters";

/** Options of a {@link Mutex}. @public */
export interface MutexOptions {
  /** Shown in deadlock reports and errors: `Mutex#2 "alice"`. */
  name?: string;
}

/**
 * An asynchronous mutual-exclusion lock around a value, fair (strict FIFO) like tokio's.
 *
 * ```ts
 * const account = new Mutex({ balance: 100 }, { name: "alice" });
 * const g = yield* account.lock();      // waits while another task holds it
 * try {
 *   g.value.balance -= 30;
 *   yield* sleep(1);                    // still held across the yield
 * } finally {
 *   g.release();                        // the next waiter in line gets it
 * }
 * // or, where TypeScript's `using` is available:
 * using g2 = yield* account.lock();
 * ```
 *
 * A task cancelled while waiting leaves the queue; one cancelled after the lock was handed to it
 * (before it ran) hands the lock on. A guard that is never released keeps the lock forever: a
 * deadlock report then names the task holding it.
 * @public
 */
export class Mutex<T> extends PoolPrimitive {
  /** @internal The protected value; reach it through a guard. */
  data: T;

  constructor(value: T, options?: MutexOptions) {
    super("Mutex", options, new PermitPool(1));
    this.data = value;
  }

  /**
   * Wait for the lock; the guard gives access to the value until released.
   *
   * ```ts
   * const g = yield* m.lock();
   * ```
   */
  lock(): Op<MutexGuard<T>> {
    return new Lock(this);
  }

  /**
   * The guard now if the lock is free, else `undefined` (never waits, never overtakes a waiter).
   *
   * ```ts
   * const g = m.tryLock();
   * if (g !== undefined) { g.value++; g.release(); }
   * ```
   */
  tryLock(): MutexGuard<T> | undefined {
    return this.pool.take(1) ? new MutexGuard(this, runningTask()) : undefined;
  }

  /** True while some guard holds the lock (including one handed to a waiter that has not run yet). */
  get locked(): boolean {
    return this.pool.available === 0;
  }



}

/**
 * The right to use a {@link Mutex}'s value, until `release()` (once: twice is an error) or
 * `[Symbol.dispose]` (a no-op after release). Reading or writing `value` after release throws.
 *
 * ```ts
 * using g = yield* m.lock();
 * g.value = g.value + 1;
 * ```
 * @public
 */
export class MutexGuard<T> extends Held {
  /** @internal */
  constructor(
    /** The mutex this guard locks. */ readonly mutex: Mutex<T>,
    holder: MutexGuard<T>["holder"],
  ) {
    super(mutex.pool, 1, holder);
  }

  /** The protected value. */
  get value(): T {
    this.live("read the value");
    return this.mutex.data;
  }

  /** Replace the protected value (throws once the guard was released). */
  set value(v: T) {
    this.live("set the value");
    this.mutex.data = v;
  }

  protected what(): string {
    return `this MutexGuard of ${this.mutex.label}`;
  }
}

/** A task waiting for the lock. */
class Lock<T> extends PoolWaiter<MutexGuard<T>> {
  constructor(private readonly mutex: Mutex<T>) {
    super(mutex.pool, 1);
  }

  get resource(): Mutex<T> {
    return this.mutex;
  }

  make(): MutexGuard<T> {
    return new MutexGuard(this.mutex, this.task);
  }

  describe(): string {
    if (!this.queued) return `lock ${this.mutex.label}`;
    const held = describeHolders(this.pool.held().map((h) => h.holder));
    return `lock ${this.mutex.label} (${held}${this.queuePosition()})`;
  }
}
