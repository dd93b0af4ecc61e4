// Waits for something outside the runtime (a socket event, a worker's reply, an emitter): the
// one place lib/node arranges wake-ups from host callbacks. Invariant: while a future waits
// it is counted once in its runtime's `pendingExternal` (so a virtual clock does not call the
// wait a deadlock), and the count is given back exactly once: when it is woken, completes, or
// its last waiter is dropped.

import type { Driver } from "../driver";
import { findDriver } from "../current";
import type { Context } from "../waker";
import { SharedFuture } from "../sync/shared-future";
import { wakeEach } from "../waiting";

/**
 * Base of every lib/node future: a future whose wake-up comes from a host callback, shared by
 * any number of waiters (lib/sync's SharedFuture: every waiter is woken and receives the one
 * outcome). It also holds the runtime that counts the wait (one object per future, not two: a
 * socket read is on the hot path). Subclasses call `park(cx)` before returning Pending,
 * `wakeFromHost()` from the host event, `release()` when the wait is over, decide the outcome
 * in a poll (`decide`) or from the host (`settle`, `fail`), and override `undo()` with what the
 * last waiter's drop must take back.
 */
export abstract class HostOp<T> extends SharedFuture<T> implements HostWaiter {
  // Assigned in the constructor, not initialized where declared: see SharedFuture (speed).
  private declare counted: Driver | undefined;

  constructor() {
    super();
    this.counted = undefined;
  }

  /**
   * Register the waiter polling with `cx` (every waiter is woken by the host event) and count
   * the wait on its runtime, once. Polled by hand outside any task, nothing is counted.
   */
  protected park(cx: Context): void {
    this.wait(cx.waker);
    if (this.counted === undefined) {
      this.counted = findDriver(cx);
      this.counted?.countExternal(1);
    }
  }

  /**
   * Called from the host event: stop counting the wait, then wake every waiting task. The count
   * goes first, so a runtime that looks for a deadlock after this wake sees a ready task, not
   * outside work. The waiters stay registered until one collects the outcome: a drop of the
   * last one before that still undoes the wait. A spurious wake is fine: the next poll parks
   * (and counts) again.
   */
  wakeFromHost(): void {
    this.release();
    wakeEach(this);
  }

  /** The waiter that polled with `cx` is gone; the last one to go (before an outcome) undoes the wait. */
  drop(cx: Context): void {
    if (this.leave(cx.waker)) this.undo();
  }

  /** What the last waiter's drop takes back; at least the count (subclasses add theirs). */
  protected undo(): void {
    this.release();
  }

  /** Give back the count (ready, thrown, woken or dropped). Idempotent. */
  protected release(): void {
    const d = this.counted;
    if (d !== undefined) {
      this.counted = undefined;
      d.countExternal(-1);
    }
  }
}

/** A future that waits in a {@link WaitList} and is woken from a host event. */
export interface HostWaiter {
  wakeFromHost(): void;
}

/**
 * The futures waiting on one host resource (a socket's readers, a listener's acceptors).
 * One waiter is the common case, so it takes a field, not a Set: no allocation per wait.
 */
export class WaitList<W extends HostWaiter> {
  private one: W | undefined = undefined;
  private many: Set<W> | undefined = undefined;

  add(w: W): void {
    if (this.one === w) return;
    if (this.one === undefined && (this.many === undefined || this.many.size === 0)) {
      this.one = w;
      return;
    }
    (this.many ??= new Set()).add(w);
  }

  delete(w: W): void {
    if (this.one === w) this.one = undefined;
    else if (this.many !== undefined) this.many.delete(w);
  }

  get size(): number {
    return (this.one === undefined ? 0 : 1) + (this.many === undefined ? 0 : this.many.size);
  }

  /** Wake every waiter once and empty the list first: a waiter that polls again at once may re-add itself. */
  wakeAll(): void {
    const one = this.one;
    const many = this.many;
    this.one = undefined;
    if (many !== undefined && many.size > 0) {
      const rest = [...many];
      many.clear();
      if (one !== undefined) one.wakeFromHost();
      for (const w of rest) w.wakeFromHost();
      return;
    }
    if (one !== undefined) one.wakeFromHost();
  }
}
