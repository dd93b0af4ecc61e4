// Notify: wake one waiting task, or all of them, without sending data (tokio's Notify).
// Invariants: at most one permit is stored, and only while nobody waits (notifyOne with an empty
// queue); a notifyOne handed to a waiter that is cancelled before it runs is passed on, never lost.

import { READY_VOID } from "../futures";
import { Poll, type Op } from "../poll";
import { Primitive, Waiter, wakeEvery } from "./waiters";

/** Options of a {@link Notify}. @public */
export interface NotifyOptions {
  /** Shown in deadlock reports: `Notify#1 "work ready"`. */
  name?: string;
}

/** How a waiter was woken: by notifyOne (passed on if dropped), notifyLast (likewise), or notifyWaiters (not passed on). */
const BY_ONE = 1;
const BY_LAST = 2;
const BY_ALL = 3;

/**
 * A signal between tasks. `notified()` waits; `notifyOne()` wakes the oldest waiter, or — if
 * nobody waits — stores one permit that the next `notified()` consumes at once (several calls
 * still store one); `notifyWaiters()` wakes every current waiter and stores nothing.
 *
 * ```ts
 * const ready = new Notify();
 * spawn(function* () { yield* ready.notified(); console.log("go"); });
 * ready.notifyOne();
 * ```
 *
 * A `notified()` future also completes if `notifyWaiters()` is called after the future was
 * created, even before its first poll (as in tokio): create it, check your condition, then wait,
 * and no notification slips between the check and the wait.
 * @public
 */
export class Notify extends Primitive<Notified> {
  /** @internal Counts notifyWaiters calls: a future created before one has been notified by it. */
  calls = 0;
  private permit = false;

  constructor(options?: NotifyOptions) {
    super("Notify", options);
  }

  /**
   * Wait for a notification (or take the stored permit at once). One `notified()` future is one
   * waiter, however many tasks await it: a `notifyOne()` that reaches it wakes all of them.
   *
   * ```ts
   * yield* notify.notified();
   * ```
   */
  notified(): Op<void> {
    return new Notified(this);
  }

  /**
   * Wake the oldest waiter; with none waiting, store one permit for the next `notified()`.
   *
   * ```ts
   * notify.notifyOne();
   * ```
   */
  notifyOne(): void {
    const w = this.queue.first();
    if (w === undefined) this.permit = true;
    else this.wake(w, BY_ONE);
  }

  /**
   * Wake the newest waiter (LIFO); with none waiting, store one permit like `notifyOne`.
   *
   * ```ts
   * notify.notifyLast();
   * ```
   */
  notifyLast(): void {
    const w = this.queue.last();
    if (w === undefined) this.permit = true;
    else this.wake(w, BY_LAST);
  }

  /**
   * Wake every task waiting now (and every `notified()` future created before this call); store
   * no permit, so later waiters wait.
   *
   * ```ts
   * notify.notifyWaiters();
   * ```
   */
  notifyWaiters(): void {
    this.calls++;
    wakeEvery(
      () => this.queue.first(),
      (w) => this.wake(w, BY_ALL),
    ); // a waker that throws stops nobody: all are woken, then it is rethrown
  }

  /** True while a permit is stored (a notifyOne nobody has consumed yet). */
  get hasPermit(): boolean {
    return this.permit;
  }




  /** @internal Consume the stored permit, if any. */
  takePermit(): boolean {
    if (!this.permit) return false;
    this.permit = false;
    return true;
  }

  private wake(w: Notified, by: number): void {
    w.by = by;
    this.queue.grant(w, undefined);
  }
}

/** A task waiting on a Notify. */
class Notified extends Waiter<void> {
  /** @internal How it was woken (BY_*), so a dropped notifyOne can be passed on. */
  by = 0;
  private readonly calls: number;

  constructor(private readonly notify: Notify) {
    super(notify.queue);
    this.calls = notify.calls;
  }

  get resource(): Notify {
    return this.notify;
  }

  protected begin(): Poll<void> {
    if (this.notify.calls !== this.calls) return READY_VOID;
    if (this.notify.takePermit()) {
      this.by = BY_ONE; // the stored permit: handed on again if this notification is discarded
      return READY_VOID;
    }
    return Poll.pending;
  }

  protected override giveBack(): void {
    if (this.by === BY_ONE) this.notify.notifyOne();
    else if (this.by === BY_LAST) this.notify.notifyLast();
  }

  describe(): string {
    return `notified on ${this.notify.label}`;
  }
}
