// Issue 9, case 5. When the host runs out of work while run() waits, and the tasks left wait on
// something that can never become ready (a fromPromise that never settles included), run()
// rejects with a DeadlockError naming each parked task and what it waits on: on a real clock and
// on a virtual one, every time, not only the first. These programs run in child processes,
// because the failure being guarded is a silent exit of the whole process.
//
// How it failed before Core v2: `run()` of a task waiting on `fromPromise(neverSettles)` left
// the process to exit silently with code 0 on both clocks (the fixture printed nothing); in a
// process with two real-clock deadlocks, the first was reported and the second was not (the
// process exited 0 here, 13 with top-level await, without a message).

import { expect } from "chai";
import { runFixture } from "./helpers";

describe("Core v2 · case 5: a run that waits on a promise that never settles rejects with a DeadlockError", () => {
  for (const clock of ["real", "virtual"]) {
    it(`reports the deadlock on a ${clock} clock instead of letting the process exit silently`, async () => {
      const exit = await runFixture("never-settling-promise.ts", [clock]);
      expect(exit.signal, "the process hung").to.equal(null);
      expect(exit.stdout).to.match(/^DeadlockError: /m);
      expect(exit.stdout).to.match(/task #1 "main" waits on fromPromise/);
      expect(exit.code, "a deadlock exits non-zero").to.not.equal(0);
    });
  }

  it("reports a second real-clock deadlock in the same process, naming its task and promise", async () => {
    const exit = await runFixture("two-real-clock-deadlocks.ts");
    expect(exit.signal, "the process hung").to.equal(null);
    const lines = exit.stdout;
    expect(lines).to.match(/^first: DeadlockError: .*\n\s+task #1 "main" waits on pending\(\)/m);
    expect(lines).to.match(/^second: DeadlockError: .*\n\s+task #1 "main" waits on fromPromise/m);
    expect(exit.code).to.not.equal(0);
  });
});
