// Waits for something outside the runtime (a socket event, a worker's reply, an emitter): the
// one place lib/node arranges wake-ups from host callbacks. Invariant: while a future waits
// it is counted once in its runtime's `pendingExternal` (so a virtual clock does not call the
// wait a deadlock), and the count is given back exactly once: when it is woken, or dropped.

import type { TaskHost } from "../task";
import { currentTask } from "../current";
import type { Waker } from "../waker";
import { Op } from "../poll";

/**
 * Base of every lib/node future: a future whose wake-up comes from a host callback. It holds
 * the waker to call and the runtime that counts the wait (one object per future, not two: a
 * socket read is on the hot path). Subclasses call `park(cx.waker)` before returning Pending,
 * `wakeFromHost()` from the host event, and `release()` when ready, thrown or dropped.
 */
export abstract class HostOp<T> extends Op<T> implements HostWaiter {
  private waker: Waker | undefined = undefined;
  private counted: TaskHost | undefined = undefined;

  /**
   * Remember `waker` (the latest poll's: a future may move between tasks' wakers) and count the
   * wait on the running task's runtime, once. Polled by hand outside any task, nothing is counted.
   */
  protected park(waker: Waker): void {
    this.waker = waker;
    if (this.counted === undefined) {
      const t = currentTask();
      if (t !== undefined) {
        this.counted = t.host as TaskHost;
        this.counted.pendingExternal++;
      }
    }
  }

  /**
   * Called from the host event: stop counting the wait, then wake the waiting task. The count
   * goes first, so a runtime that looks for a deadlock after this wake sees a ready task, not
   * outside work. A spurious wake is fine: the next poll parks (and counts) again.
   */
  wakeFromHost(): void {
    const w = this.waker;
    this.release();
    if (w !== undefined) w.wake();
  }

  /** Forget the waker and give back the count (ready, thrown or dropped). Idempotent. */
  protected release(): void {
    this.waker = undefined;
    const host = this.counted;
    if (host !== undefined) {
      this.counted = undefined;
      host.pendingExternal--;
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
