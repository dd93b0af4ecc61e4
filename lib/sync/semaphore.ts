// Semaphore: a count of permits that tasks acquire and release, served strictly FIFO (tokio's
// batch semaphore): a large request at the head is not overtaken by later small ones.
// Invariant (from PermitPool): free + held === total, and a queued waiter never coexists with
// enough free permits for the head. A cancelled waiter takes nothing; a dropped grant is passed on.

import type { Op, Poll } from "../poll";
import { Held, PermitPool, PoolPrimitive, PoolWaiter } from "./permit-pool";
import { checkCount, describeHolders, runningTask } from "./waiters";

/** The permit count a semaphore can never exceed (keeps the arithmetic exact). */
const MAX_PERMITS = Number.MAX_SAFE_INTEGER;

/**
 * Thrown by `acquire` (at the yield) and `tryAcquire` once the semaphore is closed; tasks that
 * were waiting are woken with it.
 * @public
 */
export class SemaphoreClosedError extends Error {
  /** Always `"SemaphoreClosedError"`: tells this error apart in messages and checks on `name`. */
  override readonly name = "SemaphoreClosedError";
  constructor(message = "the semaphore is closed") {
    super(message);
  }
}

/** Options of a {@link Semaphore}. @public */
export interface SemaphoreOptions {
  /** Shown in deadlock reports and errors: `Semaphore#3 "db connections"`. */
  name?: string;
}

/**
 * A pool of permits with a strictly FIFO queue of waiters.
 *
 * ```ts
 * const connections = new Semaphore(3, { name: "db" });
 * const permit = yield* connections.acquire();   // waits while 3 are out
 * try { yield* query(); } finally { permit.release(); }
 * // or, where TypeScript's `using` is available:
 * using p = yield* connections.acquire(2);
 * ```
 *
 * `acquire(n)` with `n` above the semaphore's total permits waits for {@link addPermits} to
 * raise the total (a `new Semaphore(0)` is a common signal: `acquire()` waits until someone
 * adds a permit). A waiter that is cancelled takes nothing with it; one cancelled just
 * after it was granted hands its permits to the next in line.
 * @public
 */
export class Semaphore extends PoolPrimitive {
  private isClosed = false;

  /** @param permits the initial number of permits, a whole number ≥ 0 */
  constructor(permits: number, options?: SemaphoreOptions) {
    checkCount("new Semaphore(permits): permits", permits, 0);
    super("Semaphore", options, new PermitPool(permits));
  }

  /**
   * Permits free now. While a task is queued (its request did not fit) they are kept for it:
   * strict FIFO, so `tryAcquire` can fail even when `available > 0`.
   */
  get available(): number {
    return this.pool.available;
  }

  /** Permits in existence: free plus held (the initial count plus every `addPermits`). */
  get total(): number {
    return this.pool.total;
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.isClosed;
  }



  /**
   * Wait for `n` permits (default 1), in FIFO order. The Permit gives them back on `release()`.
   * Throws a RangeError at the call if `n` is not a whole number ≥ 1; more than {@link total}
 * waits for {@link addPermits} (and, FIFO, holds up the waiters behind it);
   * the future throws {@link SemaphoreClosedError} if the semaphore is (or gets) closed.
   *
   * ```ts
   * const p = yield* sem.acquire(2);
   * ```
   */
  acquire(n = 1): Op<Permit> {
    this.check("acquire", n);
    return new Acquire(this, n);
  }

  /**
   * Take `n` permits (default 1) now if they are free and nobody is queued ahead; otherwise
   * `undefined` (also when `n` exceeds {@link total}). Same RangeErrors as {@link acquire}; throws {@link SemaphoreClosedError} once closed.
   *
   * ```ts
   * const p = sem.tryAcquire();
   * if (p === undefined) return "busy";
   * ```
   */
  tryAcquire(n = 1): Permit | undefined {
    this.check("tryAcquire", n);
    if (this.isClosed) throw this.closedError();
    return this.pool.take(n) ? new Permit(this, n, runningTask()) : undefined;
  }

  /**
   * Add `n` new permits (raising {@link total}) and serve waiters that now fit.
   *
   * ```ts
   * sem.addPermits(2);
   * ```
   */
  addPermits(n: number): void {
    checkCount(`${this.label}.addPermits(n): n`, n, 0);
    if (this.pool.total + n > MAX_PERMITS) {
      throw new RangeError(`${this.label}.addPermits(${n}) would exceed ${MAX_PERMITS} permits in total`);
    }
    this.pool.total += n;
    this.pool.give(n);
  }

  /**
   * Close: every queued waiter and every later `acquire` throws {@link SemaphoreClosedError}.
   * Permits already held stay valid and can still be released. Idempotent.
   *
   * ```ts
   * sem.close();
   * ```
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pool.queue.close(() => this.closedError());
  }


  /** @internal */
  closedError(): SemaphoreClosedError {
    return new SemaphoreClosedError(`${this.label} is closed`);
  }

  /** @internal What a waiter sees: `1 of 3 free; held by tasks #2, #3`. */
  state(): string {
    const held = describeHolders(this.pool.held().map((h) => h.holder));
    return `${this.pool.available} of ${this.pool.total} free${held === "" ? "" : "; " + held}`;
  }

  private check(what: string, n: unknown): void {
    checkCount(`${this.label}.${what}(n): n`, n, 1);
  }
}

/**
 * Permits taken from a {@link Semaphore}. `release()` gives them back (once: twice is an error);
 * `[Symbol.dispose]` releases unless already released, so `using p = yield* sem.acquire()` works.
 *
 * ```ts
 * const p = yield* sem.acquire(2);
 * p.permits;   // 2
 * p.release();
 * ```
 * @public
 */
export class Permit extends Held {
  /** @internal */
  constructor(
    /** The semaphore it came from. */ readonly semaphore: Semaphore,
    n: number,
    holder: Permit["holder"],
  ) {
    super(semaphore.pool, n, holder);
  }

  /** How many permits this holds. */
  get permits(): number {
    return this.weight;
  }

  /**
   * Keep the permits out for good: they leave the semaphore's {@link Semaphore.total} and are
   * never given back (tokio's `forget`). The permit counts as released.
   */
  forget(): void {
    this.live("be forgotten");
    this.retire();
    this.pool.total -= this.weight;
  }

  /**
   * Split `n` of these permits off into a new Permit (tokio's `split`); this one keeps the rest.
   * `n` must be a whole number ≥ 1 and less than {@link permits}.
   *
   * ```ts
   * const both = yield* sem.acquire(2);
   * const one = both.split(1);   // both.permits === 1, one.permits === 1
   * ```
   */
  split(n: number): Permit {
    this.live("be split");
    checkCount(`${this.what()}.split(n): n`, n, 1);
    if (n >= this.weight) throw new RangeError(`${this.what()}.split(${n}): it holds ${this.weight}; split off fewer`);
    this.weight -= n;
    return new Permit(this.semaphore, n, this.holder);
  }

  /** Take over `other`'s permits (same semaphore); `other` counts as released (tokio's `merge`). */
  merge(other: Permit): void {
    this.live("merge");
    if (other === this) throw new Error(`${this.what()}.merge: cannot merge a permit into itself`);
    if (other.semaphore !== this.semaphore) throw new Error(`${this.what()}.merge: the other permit is of ${other.semaphore.label}`);
    if (other.released) throw new Error(`${this.what()}.merge: the other permit was already released`);
    other.retire();
    this.weight += other.weight;
  }

  protected what(): string {
    return `this permit (${this.weight} of ${this.semaphore.label})`;
  }
}

/** A task waiting for permits. */
class Acquire extends PoolWaiter<Permit> {
  constructor(
    private readonly semaphore: Semaphore,
    n: number,
  ) {
    super(semaphore.pool, n);
  }

  get resource(): Semaphore {
    return this.semaphore;
  }

  protected override begin(): Poll<Permit> {
    if (this.semaphore.closed) throw this.semaphore.closedError();
    return super.begin();
  }

  make(): Permit {
    return new Permit(this.semaphore, this.permits, this.task);
  }

  describe(): string {
    return `acquire ${this.permits} of ${this.semaphore.label} (${this.semaphore.state()}${this.queuePosition()})`;
  }
}
