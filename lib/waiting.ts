// Who waits on a future. Every wakeful future that can return Pending keeps its waiters with
// these helpers: one registration per waker (a re-poll whose waker `willWake` an earlier one
// replaces it, Rust's rule for a future that moved), every registration woken when the future
// becomes ready, and `drop(cx)` removing exactly the registration of the waiter that is gone.
//
// Invariant: a waker is registered at most once. Every future and task embeds one field,
// `waiters` ({@link Waiters}): the only waiter itself, or an array once a second arrives (the
// common single waiter costs no array).

import type { Waker } from "./waker";

/**
 * The one field a future embeds to keep its waiters: undefined, the only waiter, or (from the
 * second on) an array of them. One field instead of two saves 8 B per task and per timer.
 */
export interface Waiters {
  /** Undefined (none), the only waiter, or an array once a second one registered. */
  waiters: Waker | Waker[] | undefined;
}

function same(held: Waker, w: Waker): boolean {
  return held === w || held.willWake(w);
}

/** Register `w` as a waiter of `at`, replacing a registration that wakes the same thing. */
export function addWaiter(at: Waiters, w: Waker): void {
  const held = at.waiters;
  if (held === undefined) {
    at.waiters = w;
  } else if (!Array.isArray(held)) {
    at.waiters = same(held, w) ? w : [held, w];
  } else {
    for (let i = 0; i < held.length; i++) {
      if (same(held[i] as Waker, w)) {
        held[i] = w;
        return;
      }
    }
    held.push(w);
  }
}

/** Remove the registration of `w`; false when it had none (a waiter that never polled). */
export function removeWaiter(at: Waiters, w: Waker): boolean {
  const held = at.waiters;
  if (held === undefined) return false;
  if (!Array.isArray(held)) {
    if (!same(held, w)) return false;
    at.waiters = undefined;
    return true;
  }
  for (let i = 0; i < held.length; i++) {
    if (same(held[i] as Waker, w)) {
      held.splice(i, 1);
      if (held.length === 0) at.waiters = undefined;
      return true;
    }
  }
  return false;
}

/** How many waiters are registered. */
export function countWaiters(at: Waiters): number {
  const held = at.waiters;
  return held === undefined ? 0 : Array.isArray(held) ? held.length : 1;
}

/**
 * Wake every registered waiter once and forget them all. A waker that throws does not stop the
 * others: every one is woken, then the first error is rethrown.
 */
export function wakeWaiters(at: Waiters): void {
  const held = at.waiters;
  if (held === undefined) return;
  at.waiters = undefined;
  if (!Array.isArray(held)) return held.wake();
  wakeEvery(held);
}

/** Wake each of `ws` (a copy or a list no one else holds), all of them even if one throws. */
export function wakeEvery(ws: readonly Waker[]): void {
  let failed = false;
  let first: unknown = undefined;
  for (let i = 0; i < ws.length; i++) {
    try {
      (ws[i] as Waker).wake();
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}

/** True when `w` (or a waker for the same task) is registered on `at`. */
export function isRegistered(at: Waiters, w: Waker): boolean {
  const held = at.waiters;
  if (held === undefined) return false;
  if (!Array.isArray(held)) return same(held, w);
  for (let i = 0; i < held.length; i++) if (same(held[i] as Waker, w)) return true;
  return false;
}

/**
 * Wake every waiter registered on `at` and keep them registered: for a future whose waiters
 * must be known until they leave (a combinator whose last waiter cancels its children; a lock
 * grant the last one gives back). A wake may unregister synchronously, so the list is copied.
 */
export function wakeEach(at: Waiters): void {
  const held = at.waiters;
  if (held === undefined) return;
  if (!Array.isArray(held)) held.wake();
  else wakeEvery(held.slice());
}

/**
 * The waiters of one event as an object, for code that is not itself a future (a task's
 * joiners, a primitive's wait list). Small and allocation-free until the second waiter.
 *
 * ```ts
 * poll(cx) { if (this.done) return Poll.ready(v); this.waiters.add(cx.waker); return Poll.pending; }
 * drop(cx) { this.waiters.delete(cx.waker); }
 * ```
 * @public
 */
export class WakerSet {
  /** @internal */
  waiters: Waker | Waker[] | undefined = undefined;

  /** Register `w`, replacing a registration for the same task (`willWake`). */
  add(w: Waker): void {
    addWaiter(this, w);
  }

  /** Forget the registration of `w`; false when it had none. */
  delete(w: Waker): boolean {
    return removeWaiter(this, w);
  }

  /** How many wakers are registered. */
  get size(): number {
    return countWaiters(this);
  }

  /** Wake every registered waiter once and forget them all (all are woken even if one throws). */
  wakeAll(): void {
    wakeWaiters(this);
  }
}
