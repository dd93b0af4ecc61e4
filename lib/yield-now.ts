// The voluntary yield: `yield* yieldNow()` lets every other ready task run first. Polled, it is
// Pending once after waking itself, then Ready. A task's own `yield* yieldNow()` is carried out
// by the harness without polling (see harness.ts); this file registers the class with it, so a
// bundle that never yields a turn carries none of this code.

import { NOT_READY, Op, WALK_IDLE, WALK_STARTED, WALK_YIELDED, pollOf, type Future, type Poll } from "./poll";
import type { Context } from "./waker";
import { noteSite, sites } from "./site";
import { carryOutYieldNow } from "./harness";

/** The end of its walk through `yield*`, shared: `{ done: true, value: undefined }`. */
const WALKED: IteratorReturnResult<void> = Object.freeze({ done: true as const, value: undefined });

/**
 * yieldNow()'s future. Any poller other than the harness (a combinator, a hand-written driver)
 * polls it as written here.
 */
class YieldNow extends Op<void> implements IteratorYieldResult<Future<unknown>> {
  /** Its first poll happened: the next one is Ready. */
  declare polled: boolean;

  constructor() {
    super();
    this.polled = false;
  }

  poll(cx: Context): Poll<void> {
    return pollOf(this.pollValue(cx));
  }

  override pollValue(cx: Context): void | typeof NOT_READY {
    if (this.polled) return undefined;
    this.polled = true;
    cx.waker.wake(); // woken during its own poll: back of the run queue
    return NOT_READY;
  }

  // The walk through `yield*` answers with this object itself as the iterator result
  // `{ done: false, value: this }` (the two getters below), then with the shared WALKED: a
  // yieldNow allocates only itself, 32 B (W3: two result objects fewer per yield).
  /** @internal */
  get done(): false {
    return false;
  }
  /** @internal */
  get value(): Future<unknown> {
    return this;
  }

  override [Symbol.iterator](): Iterator<Future<unknown>, void, unknown> {
    if (this.selfWalk !== WALK_IDLE) return super[Symbol.iterator](); // walked twice at once: a walker of its own
    this.selfWalk = WALK_STARTED;
    return this;
  }

  override next(): IteratorResult<Future<unknown>, void> {
    if (this.selfWalk === WALK_STARTED) {
      this.selfWalk = WALK_YIELDED;
      if (sites.wanted > 0) noteSite(this);
      return this;
    }
    this.selfWalk = WALK_IDLE;
    return WALKED;
  }

  describe(): string {
    return "yieldNow()";
  }
}

carryOutYieldNow(YieldNow);

/**
 * Let every other ready task run first: Pending once (after waking itself), then ready.
 * @public
 */
export function yieldNow(): Op<void> {
  return new YieldNow();
}
