// A wait for something outside the runtime (a socket event, a worker's reply, an emitter): the
// one place lib/node arranges wake-ups from host callbacks. Invariant: while a future waits here
// it is counted once in its runtime's `pendingExternal` (so a virtual clock does not call the
// wait a deadlock), and the count is given back exactly once: when it is woken, or dropped.

import type { TaskHost } from "../task";
import { currentTask } from "../current";
import type { Waker } from "../waker";

/**
 * One waiting future's slot: the waker to call from a host callback and the runtime that
 * counts the wait. Futures in lib/node hold one of these and call `park(cx.waker)` before
 * returning Pending, `wake()` from the host event, and `release()` when ready or dropped.
 */
export class OutsideWait {
  private waker: Waker | undefined = undefined;
  private counted: TaskHost | undefined = undefined;

  /** True while a waker is held (the future returned Pending and was not woken or dropped since). */
  get waiting(): boolean {
    return this.waker !== undefined;
  }

  /**
   * Remember `waker` (the latest poll's: a future may move between tasks' wakers) and count the
   * wait on the running task's runtime, once. Polled by hand outside any task, nothing is counted.
   */
  park(waker: Waker): void {
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
   * Called from the host event: wake the waiting task and stop counting the wait. The count
   * is released before the wake, so a runtime that re-checks for deadlock after this wake sees
   * the task as ready, not as waiting on outside work.
   */
  wake(): void {
    const w = this.waker;
    this.release();
    if (w !== undefined) w.wake();
  }

  /** Forget the waker and give back the count (ready, thrown or dropped). Idempotent. */
  release(): void {
    this.waker = undefined;
    const host = this.counted;
    if (host !== undefined) {
      this.counted = undefined;
      host.pendingExternal--;
    }
  }
}

/** Wake every waiting future once and empty the set (each re-registers if it must wait again). */
export function wakeAll(set: Set<{ wakeFromHost(): void }>): void {
  const n = set.size;
  if (n === 0) return;
  // Emptied before waking: a waker that polls again at once (a hand-driven future) may re-add.
  if (n === 1) {
    const [op] = set;
    set.clear();
    (op as { wakeFromHost(): void }).wakeFromHost();
    return;
  }
  const waiting = [...set];
  set.clear();
  for (const op of waiting) op.wakeFromHost();
}
