// A wakeful future walks itself through `yield*` and keeps no walk state: one slot marks the walk
// that has begun and not yielded yet. These specs pin what that must keep: several tasks walking
// one future at once, walks nested and interleaved, and iteration by hand that never finishes.

import { expect } from "chai";
import { runSync, sleep, spawn, yieldNow } from "../../lib/index";
import { Counted } from "./helpers";
import type { Future } from "../../lib/index";

describe("the walk of a future through yield*", () => {
  it("lets several tasks walk one future at once, each getting its value", () => {
    const out = runSync(function* () {
      const shared = sleep(10);
      const answer = new Counted(7);
      const hs = [0, 1, 2].map((i) =>
        spawn(function* () {
          yield* shared;
          const a = yield* answer;
          return a + i;
        }),
      );
      const values: number[] = [];
      for (const h of hs) values.push(yield* h);
      return { values, polls: answer.polls };
    });
    expect(out).to.deep.equal({ values: [7, 8, 9], polls: 3 });
  });

  it("is not disturbed by a walk begun by hand and abandoned, or by destructuring", () => {
    const out = runSync(function* () {
      const a = new Counted(1);
      const b = new Counted(2);
      const abandoned = b[Symbol.iterator](); // begun, never stepped
      void abandoned;
      const [first] = new Counted(3); // destructuring steps once and closes the walk
      const x = yield* a;
      yield* yieldNow();
      const y = yield* b;
      return { x, y, first: first === undefined ? "none" : "the future", polls: [a.polls, b.polls] };
    });
    expect(out).to.deep.equal({ x: 1, y: 2, first: "the future", polls: [1, 1] });
  });

  it("nests: a future walked inside the walk of a generator inside another", () => {
    function* inner(n: number): Generator<Future<unknown>, number, unknown> {
      const v = yield* new Counted(n);
      yield* yieldNow();
      return v + (yield* new Counted(1));
    }
    function* outer(): Generator<Future<unknown>, number, unknown> {
      return (yield* inner(10)) + (yield* inner(20));
    }
    expect(runSync(outer)).to.equal(32);
  });
});
