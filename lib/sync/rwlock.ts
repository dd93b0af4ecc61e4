// RwLock: many readers or one writer, fair and write-preferring as in tokio. It is a PermitPool of
// MAX_READERS permits: a reader takes 1, a writer takes all of them, and the queue is strict
// FIFO — so a queued writer blocks every reader that arrives after it (no writer starvation).

import type { Op } from "../poll";
import { Held, PermitPool, PoolPrimitive, PoolWaiter } from "./permit-pool";
import { describeHolders, runningTask } from "./waiters";

/** Readers that can hold the lock at once; a writer takes all of them. */
const MAX_READERS = 0x1fffffff;

/** Options of a {@link RwLock}. @public */
export interface RwLockOptions {
  /** Shown in deadlock reports and errors: `RwLock#1 "config"`. */
  name?: string;
}

/**
 * A reader-writer lock around a value: any number of read guards, or one write guard.
 * Waiters are served in FIFO order; a writer waiting at the head holds back later readers
 * (write-preferring), and consecutive readers at the head are let in together.
 *
 * ```ts
 * const config = new RwLock({ retries: 3 }, { name: "config" });
 * const r = yield* config.read();     // shared: other readers may hold it too
 * console.log(r.value.retries);
 * r.release();
 * using w = yield* config.write();    // exclusive
 * w.value = { retries: 5 };
 * ```
 * @public
 */
export class RwLock<T> extends PoolPrimitive {
  /** @internal The protected value; reach it through a guard. */
  data: T;

  constructor(value: T, options?: RwLockOptions) {
    super("RwLock", options, new PermitPool(MAX_READERS));
    this.data = value;
  }

  /**
   * Wait for shared access. Waits while a writer holds the lock or is queued ahead.
   *
   * ```ts
   * const r = yield* lock.read();
   * ```
   */
  read(): Op<RwLockReadGuard<T>> {
    return new Read(this);
  }

  /**
   * Wait for exclusive access: until every earlier reader and writer is done.
   *
   * ```ts
   * const w = yield* lock.write();
   * ```
   */
  write(): Op<RwLockWriteGuard<T>> {
    return new Write(this);
  }

  /**
   * A read guard now, or `undefined` if a writer holds the lock or anyone is queued.
   *
   * ```ts
   * const r = lock.tryRead();
   * ```
   */
  tryRead(): RwLockReadGuard<T> | undefined {
    return this.pool.take(1) ? new RwLockReadGuard(this, runningTask()) : undefined;
  }

  /**
   * A write guard now, or `undefined` if anyone holds the lock or is queued.
   *
   * ```ts
   * const w = lock.tryWrite();
   * ```
   */
  tryWrite(): RwLockWriteGuard<T> | undefined {
    return this.pool.take(MAX_READERS) ? new RwLockWriteGuard(this, runningTask()) : undefined;
  }

  /** Read guards held now. */
  get readers(): number {
    return this.writeLocked ? 0 : MAX_READERS - this.pool.available;
  }

  /** True while a write guard holds the lock. */
  get writeLocked(): boolean {
    return this.pool.available === 0 && this.pool.held().some((h) => h.weight === MAX_READERS);
  }




  /** @internal `write-locked by task #4` / `read-locked by tasks #2, #3` / "" when free. */
  state(): string {
    const held = this.pool.held();
    if (held.length === 0) return "";
    const verb = held[0]?.weight === MAX_READERS ? "write-locked" : "read-locked";
    return describeHolders(
      held.map((h) => h.holder),
      verb,
    );
  }
}

/**
 * Shared access to an {@link RwLock}'s value (read-only), until released.
 *
 * ```ts
 * using r = yield* lock.read();
 * r.value;
 * ```
 * @public
 */
export class RwLockReadGuard<T> extends Held {
  /** @internal */
  constructor(
    /** The lock this guard reads. */ readonly lock: RwLock<T>,
    holder: RwLockReadGuard<T>["holder"],
  ) {
    super(lock.pool, 1, holder);
  }

  /** The protected value (reading it after release throws). */
  get value(): T {
    this.live("read the value");
    return this.lock.data;
  }

  protected what(): string {
    return `this read guard of ${this.lock.label}`;
  }
}

/**
 * Exclusive access to an {@link RwLock}'s value, until released or downgraded.
 *
 * ```ts
 * using w = yield* lock.write();
 * w.value = next;
 * const r = w.downgrade();   // keep reading; queued readers may now join
 * ```
 * @public
 */
export class RwLockWriteGuard<T> extends Held {
  /** @internal */
  constructor(
    /** The lock this guard writes. */ readonly lock: RwLock<T>,
    holder: RwLockWriteGuard<T>["holder"],
  ) {
    super(lock.pool, MAX_READERS, holder);
  }

  /** The protected value (reading it after release throws). */
  get value(): T {
    this.live("read the value");
    return this.lock.data;
  }

  /** Replace the protected value; other tasks see it once this write guard is released (setting it after release throws). */
  set value(v: T) {
    this.live("set the value");
    this.lock.data = v;
  }

  /**
   * Turn this write guard into a read guard without letting a writer in between: this guard is
   * released and readers queued at the head join at once (a queued writer still waits).
   *
   * ```ts
   * const r = w.downgrade();
   * ```
   */
  downgrade(): RwLockReadGuard<T> {
    this.live("be downgraded");
    this.retire();
    const r = new RwLockReadGuard(this.lock, this.holder);
    this.pool.give(MAX_READERS - 1);
    return r;
  }

  protected what(): string {
    return `this write guard of ${this.lock.label}`;
  }
}

/** A task waiting for shared access. */
class Read<T> extends PoolWaiter<RwLockReadGuard<T>> {
  constructor(private readonly lock: RwLock<T>) {
    super(lock.pool, 1);
  }

  get resource(): RwLock<T> {
    return this.lock;
  }

  make(): RwLockReadGuard<T> {
    return new RwLockReadGuard(this.lock, this.task);
  }

  describe(): string {
    if (!this.queued) return `read ${this.lock.label}`;
    // A queued reader that is not behind a write guard is behind a queued writer (write-preferring).
    const why = this.lock.writeLocked ? "" : "behind a queued writer";
    return `read ${this.lock.label} (${[this.lock.state(), why].filter((s) => s !== "").join("; ")}${this.queuePosition()})`;
  }
}

/** A task waiting for exclusive access. */
class Write<T> extends PoolWaiter<RwLockWriteGuard<T>> {
  constructor(private readonly lock: RwLock<T>) {
    super(lock.pool, MAX_READERS);
  }

  get resource(): RwLock<T> {
    return this.lock;
  }

  make(): RwLockWriteGuard<T> {
    return new RwLockWriteGuard(this.lock, this.task);
  }

  describe(): string {
    if (!this.queued) return `write ${this.lock.label}`;
    return `write ${this.lock.label} (${this.lock.state()}${this.queuePosition()})`;
  }
}
