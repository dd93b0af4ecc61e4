// shield(body): the one place where a cancelled task may still wait. A cancelled task ends at
// its next yield (rule 8); work that must finish anyway — flushing a buffer, releasing a remote
// lease — goes in a shield, which the driver runs to its end as if the task were not cancelled.

import { FrameRequest } from "./call";
import type { Body, Operation } from "./poll";
import { describeValue, isBody } from "./poll";

/**
 * Run `body` to its end, waits included, even if the task is cancelled meanwhile. Child tasks
 * that `body` starts through combinators, `timeout` or `scope` are shielded with it; `shutdown()`
 * and the end of `run()` wait for shielded work. The shield's value is delivered, and then the
 * task's `CancelledError` is thrown at its next yield.
 *
 * Bound what you shield, or a cancelled task may never finish:
 *
 * ```ts
 * try {
 *   yield* serve(conn);
 * } finally {
 *   yield* shield(timeout(1000, conn.flush()));   // a cancelled task can still flush, for 1 s at most
 * }
 * const guard = yield* shield(mutex.lock());      // the guard is ours even if we were cancelled
 * ```
 * @public
 */
export function shield<T>(body: Body<T>): Operation<T> {
  if (!isBody(body)) throw new TypeError(`shield() needs a generator function, an operation or a future, not ${describeValue(body)}`);
  return new FrameRequest(body, "shield");
}
