// The voluntary yield: `yield* yieldNow()` lets every other ready task run first. yieldNow() is
// one shared future with no state of its own: each poller (each Context) sees Pending once,
// after waking itself, then Ready, as every wakeful future serves each of its waiters. A task's own
// yield of it is carried out by the harness without polling (see harness.ts); this file
// registers the future with the harness, so a bundle that never yields a turn carries none of it.

import { NOT_READY, Op, pollOf, type Poll } from "./poll";
import type { Context } from "./waker";
import { sites } from "./site";
import { carryOutYieldNow } from "./harness";

/** The pollers that got their Pending and will be Ready at their next poll. */
const waiting = new WeakSet<Context>();

/** yieldNow()'s future. Pollers other than the harness (a combinator, a hand-written driver) poll it as written here. */
class YieldNow extends Op<void> {
  poll(cx: Context): Poll<void> {
    return pollOf(this.pollValue(cx));
  }

  override pollValue(cx: Context): void | typeof NOT_READY {
    if (waiting.delete(cx)) return undefined; // its second poll
    waiting.add(cx);
    cx.waker.wake(); // woken during its own poll: back of the run queue
    return NOT_READY;
  }

  /** The poller that got its Pending is gone: its next poll starts over. */
  drop(cx: Context): void {
    waiting.delete(cx);
  }

  describe(): string {
    return "yieldNow()";
  }
}

const YIELD_NOW = new YieldNow();

carryOutYieldNow(YIELD_NOW);

/**
 * Let every other ready task run first: Pending once (after waking itself), then ready. One
 * shared future: each poller sees its own Pending, then Ready.
 * @public
 */
export function yieldNow(): Op<void> {
  // Yield sites are kept per future object: while they are captured, each call gets its own.
  return sites.wanted > 0 ? new YieldNow() : YIELD_NOW;
}
