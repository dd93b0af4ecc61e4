// Shrinking, seen through explore(): toward fewer, earlier, smaller deviations; never to a
// different kind of failure; proven minimal when the search completes, and honest when not.

import { expect } from "chai";
import fc from "fast-check";
import { explore, type ScheduleTest } from "../../lib/testing/index";
import { checkThenAct, philosophers } from "./bugs";
import { yielders } from "./helpers";

const deviations = (choices: readonly number[]) => choices.filter((c) => c !== 0).length;

/** Fails with a RangeError when b takes the first step, with a TypeError for any other non-FIFO order. */
const twoKinds: ScheduleTest = (rt) => {
  const log: string[] = [];
  yielders(["a", "b"], 2, log)(rt);
  return () => {
    const order = log.join("");
    if (order.startsWith("b")) throw new RangeError(`b went first: ${order}`);
    if (order !== "ababab") throw new TypeError(`out of order: ${order}`);
  };
};

describe("shrinking", () => {
  it("never ends larger than the failure it started from, and the result replays the same error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom("pct" as const, "random" as const), (seed, strategy) => {
        const f = explore(checkThenAct.buggy, { strategy, seed }).failure!;
        expect(deviations(f.schedule.choices)).to.be.at.most(deviations(f.found.schedule.choices));
        const again = explore(checkThenAct.buggy, { replay: f.token }).failure!;
        expect((again.error as Error).message).to.equal((f.error as Error).message);
      }),
      { numRuns: 25 },
    );
  });

  it("keeps the kind of failure it found: an error of one class never shrinks into another", () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const f = explore(twoKinds, { strategy: "random", seed }).failure!;
      const found = explore(twoKinds, { replay: f.found.token }).failure!;
      expect((f.error as Error).name, `seed ${seed}`).to.equal((found.error as Error).name);
      kinds.add((f.error as Error).name);
    }
    expect([...kinds].sort()).to.deep.equal(["RangeError", "TypeError"]); // both kinds were found and kept
  });

  it("moves a deviation to the earliest decision where it still fails the same way", () => {
    for (let seed = 0; seed < 10; seed++) {
      const f = explore(twoKinds, { strategy: "random", seed }).failure!;
      // b first is decision 0; the earliest other reordering is a taking two steps in a row.
      if (f.error instanceof RangeError) expect(f.schedule).to.deep.equal({ choices: [1] });
      else expect(f.schedule).to.deep.equal({ choices: [0, 1] });
    }
  });

  it("says when the budget ran out before it could prove the result minimal", () => {
    const f = explore(philosophers.buggy, { strategy: "random", maxShrinkRuns: 3 }).failure!;
    expect(f.report).to.include("a local minimum");
    expect(f.shrinkRuns).to.be.at.most(1 + 3);
  });

  it("proves the result minimal when the search completes", () => {
    const f = explore(philosophers.buggy, { strategy: "random" }).failure!;
    expect(f.report).to.include("minimal: no smaller schedule fails this way");
    expect(f.schedule).to.deep.equal(philosophers.minimal);
  });
});
