// Issue 9, case 4. `poll()` must return a Poll. Anything else (undefined, null, 5, {}) is a
// TypeError thrown into the task at that yield, naming what came back: the task can catch it, its
// finally runs, and no deadlock follows. A yield of a value that is not a future is a TypeError
// that names the task.
//
// How it failed before Core v2: undefined and null crashed the step (an internal TypeError outside
// the task; the task stayed RUNNING, its finally never ran, and runSync() failed with an
// AggregateError of that TypeError and a bogus DeadlockError); 5 and {} were silently taken as
// Pending and blamed on a lost waker ("DeadlockError: … waits on a future — its future returned
// Pending without reading cx.waker").

import { expect } from "chai";
import { runSync } from "../../../lib/index";
import type { Future } from "../../../lib/index";

const BAD_ANSWERS: ReadonlyArray<[string, unknown, RegExp]> = [
  ["undefined", undefined, /undefined/],
  ["null", null, /null/],
  ["5", 5, /\b5\b/],
  ["{}", {}, /\{\}|object/i],
];

/** A hand-written future whose poll answers `answer`. */
function answering(answer: unknown): Future<unknown> {
  return { poll: () => answer as never, describe: () => "a future with a bad answer" } as Future<unknown>;
}

describe("Core v2 · case 4: a poll that answers something other than a Poll is a TypeError at the yield", () => {
  for (const [label, answer, named] of BAD_ANSWERS) {
    it(`throws a TypeError naming ${label} into the task, which catches it and runs its finally`, () => {
      const log: string[] = [];
      const value = runSync(function* () {
        try {
          yield answering(answer);
          log.push("after the yield");
          return "went on";
        } catch (error) {
          log.push(`caught ${(error as Error).name}`);
          expect((error as Error).message).to.match(named);
          expect((error as Error).message).to.match(/poll/i); // says that poll() answered it
          return "caught";
        } finally {
          log.push("finally");
        }
      });
      expect(value).to.equal("caught");
      expect(log).to.deep.equal(["caught TypeError", "finally"]);
    });

    it(`fails only the task that yielded the future answering ${label}, with that TypeError`, () => {
      let error: unknown;
      try {
        runSync(function* () {
          yield answering(answer);
        });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TypeError); // not an AggregateError with a DeadlockError
      expect((error as Error).message).to.match(named);
    });
  }

  it("names the task in the TypeError for a yield of something that is not a future", () => {
    let error: unknown;
    try {
      runSync(function* () {
        yield 42 as never;
      }, {});
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(/\b42\b/);
    expect((error as Error).message).to.match(/main/); // runSync names its task "main"
  });
});
