// check(): explore, and throw a CounterexampleError carrying the whole report when a schedule
// fails: the one-line way to use exploration from mocha, jest or inside a fast-check property.
// Invariant: the thrown message alone is enough to understand and replay the failure.

import { explore, type ExploreFailure, type ExploreOptions } from "./explore";
import type { ScheduleTest } from "./run";

/**
 * A schedule made the test fail. The message is the full report (error, replay token, shrunk
 * schedule, timeline); `failure` has the parts, and `cause` is the program's own error.
 * @public
 */
export class CounterexampleError extends Error {
  /** Always `"CounterexampleError"`. */
  override readonly name = "CounterexampleError";
  constructor(
    /** The failure, shrunk, with its parts (token, schedule, timeline, the error). */
    readonly failure: ExploreFailure,
  ) {
    super(failure.report, { cause: failure.error });
  }
}

/**
 * {@link explore}, then throw a {@link CounterexampleError} if a schedule fails.
 *
 * ```ts
 * it("two increments never lose an update", () => {
 *   check((rt) => { … spawn the tasks … ; return () => expect(counter).to.equal(2); }, { runs: 500 });
 * });
 * // replay a reported failure:  check(test, { replay: "w1:01" })
 * ```
 * @public
 */
export function check(test: ScheduleTest, options: ExploreOptions = {}): void {
  const result = explore(test, options);
  if (!result.ok) throw new CounterexampleError(result.failure as ExploreFailure);
}
