// tokio's Sleep API on wakeful's sleeps: the deadline, isElapsed(), and reset(deadline) that
// moves a sleep earlier or later even while tasks wait on it.

import { expect } from "chai";
import { now, runSync, sleep, sleepUntil, spawn } from "../../lib/index";

describe("time: a sleep's deadline, isElapsed and reset", () => {
  it("fixes the deadline at the first poll and reports when it has elapsed", () => {
    const seen = runSync(function* () {
      const s = sleep(10);
      const before = [s.deadline, s.isElapsed()];
      yield* sleep(5);
      spawn(function* () {
        yield* s;
      });
      yield* sleep(1); // the spawned task polled it at t=5: deadline 15
      const armed = [s.deadline, s.isElapsed()];
      yield* sleep(20);
      return [before, armed, [s.deadline, s.isElapsed()]];
    });
    expect(seen).to.deep.equal([
      [-1, false],
      [15, false],
      [15, true],
    ]);
  });

  it("moves a sleep later while a task waits on it", () => {
    const at = runSync(function* () {
      const s = sleep(10);
      const waiter = spawn(function* () {
        yield* s;
        return now();
      });
      yield* sleep(2);
      s.reset(40);
      return yield* waiter;
    });
    expect(at).to.equal(40);
  });

  it("moves a sleep earlier while a task waits on it, and to the past (ready at the next poll)", () => {
    const at = runSync(function* () {
      const a = sleepUntil(100);
      const waiter = spawn(function* () {
        yield* a;
        return now();
      });
      yield* sleep(3);
      a.reset(1); // already past: the waiter wakes and finds it elapsed
      return yield* waiter;
    });
    expect(at).to.equal(3);
  });

  it("rejects a deadline that is not a finite number of ms ≥ 0", () => {
    const s = sleep(1);
    for (const bad of [-1, NaN, Infinity, "5"]) expect(() => s.reset(bad as number)).to.throw(RangeError, /reset needs a deadline/);
  });
});
