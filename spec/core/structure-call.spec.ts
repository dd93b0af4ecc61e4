// Structure: call(body) runs an operation as a frame on the task's own stack, so recursion a
// million levels deep works, and errors, values and finally blocks pass through it as through
// yield*.

import { expect } from "chai";
import { call, runSync, sleep, spawn } from "../../lib/index";
import type { Operation } from "../../lib/index";
import { Counted, virtual } from "./helpers";

function* depth(n: number): Operation<number> {
  if (n === 0) return 0;
  return 1 + (yield* call(() => depth(n - 1)));
}

describe("structure: call()", () => {
  it("recurses 1,000,000 levels deep", function () {
    this.timeout(60_000);
    expect(runSync(() => depth(1_000_000))).to.equal(1_000_000);
  });

  it("recurses deep while yielding futures at every level, and resumes each frame", function () {
    this.timeout(60_000);
    function* sum(n: number): Operation<number> {
      if (n === 0) return 0;
      const here = yield* new Counted(n);
      return here + (yield* call(() => sum(n - 1)));
    }
    expect(runSync(() => sum(20_000))).to.equal((20_000 * 20_001) / 2);
  });

  it("handles a depth at which native yield* overflows the JS stack", function () {
    this.timeout(60_000);
    function* native(n: number): Generator<never, number, unknown> {
      if (n === 0) return 0;
      return 1 + (yield* native(n - 1));
    }
    expect(() => runSync(() => native(100_000))).to.throw(RangeError);
    expect(runSync(() => depth(100_000))).to.equal(100_000);
  });

  it("throws an error from a deep frame up through every caller's catch and finally", () => {
    const log: string[] = [];
    function* dive(n: number): Operation<void> {
      try {
        if (n === 0) throw new Error("bottom");
        yield* call(() => dive(n - 1));
      } finally {
        if (n % 1000 === 0) log.push(`finally ${n}`);
      }
    }
    let caught: unknown;
    runSync(function* () {
      try {
        yield* call(() => dive(3000));
      } catch (e) {
        caught = e;
      }
    });
    expect((caught as Error).message).to.equal("bottom");
    expect(log).to.deep.equal(["finally 0", "finally 1000", "finally 2000", "finally 3000"]);
  });

  it("lets a caller catch a frame's error and go on", () => {
    const v = runSync(function* () {
      try {
        yield* call(function* () {
          yield* sleep(1);
          throw new Error("inner");
        });
      } catch (e) {
        return `recovered from ${(e as Error).message}`;
      }
      return "no error";
    });
    expect(v).to.equal("recovered from inner");
  });

  it("runs a future, a generator object or a generator function as the frame", () => {
    const v = runSync(function* () {
      const a = yield* call(new Counted(1));
      const b = yield* call(depth(3));
      const c = yield* call(() => depth(2));
      return a + b + c;
    });
    expect(v).to.equal(6);
  });

  it("treats a raw `yield call(...)` like `yield* call(...)`", () => {
    const v = runSync(function* () {
      return (yield call(() => depth(5)) as never) as number;
    });
    expect(v).to.equal(5);
  });

  it("fails the calling frame with a TypeError when the body is not runnable", () => {
    let caught: unknown;
    runSync(function* () {
      try {
        yield* call((() => 5) as never);
      } catch (e) {
        caught = e;
      }
    });
    expect(caught).to.be.instanceOf(TypeError);
    expect((caught as Error).message).to.include("call()");
  });

  it("keeps each task's frame stack its own", () => {
    const rt = virtual();
    const hs = [3, 5, 7].map((n) =>
      rt.spawn(function* () {
        function* slow(k: number): Operation<number> {
          if (k === 0) return 0;
          yield* sleep(1);
          return 1 + (yield* call(() => slow(k - 1)));
        }
        return yield* call(() => slow(n));
      }),
    );
    rt.runSync();
    return Promise.all(hs).then((vs) => expect(vs).to.deep.equal([3, 5, 7]));
  });

  it("can spawn from inside a deep frame", () => {
    const v = runSync(function* () {
      function* at(n: number): Operation<number> {
        if (n === 0) return yield* spawn(() => depth(10));
        return yield* call(() => at(n - 1));
      }
      return yield* call(() => at(1000));
    });
    expect(v).to.equal(10);
  });
});
