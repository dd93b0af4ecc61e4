// Driver rule 4: if poll throws, the error is thrown into the generator at that yield.

import { expect } from "chai";
import { Op, Poll, pollFn } from "../../lib/index";
import type { Context } from "../../lib/index";
import { Gate, virtual } from "./helpers";

class Exploding extends Op<number> {
  polls = 0;
  constructor(private readonly error: unknown, private readonly afterPolls = 0) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.polls++ < this.afterPolls) {
      cx.waker.wake();
      return Poll.pending;
    }
    throw this.error;
  }
}

describe("rule 4: a poll that throws throws at the yield", () => {
  it("throws the poll's error into the generator, where a catch sees the same object", () => {
    const rt = virtual();
    const boom = new Error("boom");
    let caught: unknown;
    const h = rt.spawn(function* () {
      try {
        yield* new Exploding(boom);
      } catch (e) {
        caught = e;
      }
      return "recovered";
    });
    rt.runSync();
    expect(caught).to.equal(boom);
    expect(h.finished).to.equal(true);
    expect(rt.metrics.completed).to.equal(1);
  });

  it("throws at the yield also when the poll throws on a later poll, after a wake", () => {
    const rt = virtual();
    const boom = new Error("late boom");
    const log: string[] = [];
    rt.spawn(function* () {
      log.push("before");
      try {
        yield* new Exploding(boom, 2);
        log.push("never");
      } catch (e) {
        log.push((e as Error).message);
      }
      log.push("after");
    });
    rt.runSync();
    expect(log).to.deep.equal(["before", "late boom", "after"]);
  });

  it("fails the task with the poll's error when the generator does not catch it", () => {
    const rt = virtual();
    const boom = new TypeError("bad poll");
    const h = rt.spawn(function* () {
      yield* new Exploding(boom);
    });
    let joined: unknown;
    rt.spawn(function* () {
      try {
        yield* h;
      } catch (e) {
        joined = e;
      }
    });
    rt.runSync();
    expect(joined).to.equal(boom);
    expect(rt.metrics.failed).to.equal(1);
  });

  it("keeps the task usable after a throwing poll: it can yield and park again", () => {
    const rt = virtual();
    const gate = new Gate("next");
    const h = rt.spawn(function* () {
      try {
        yield* pollFn(() => {
          throw new RangeError("first");
        });
      } catch {
        // handled
      }
      return yield* gate;
    });
    rt.step();
    expect(h.finished).to.equal(false);
    gate.open();
    rt.runSync();
    expect(h.finished).to.equal(true);
    expect(gate.taken).to.equal(true);
  });

  it("passes a thrown non-Error value through unchanged", () => {
    const rt = virtual();
    let caught: unknown;
    rt.spawn(function* () {
      try {
        yield* new Exploding("a string");
      } catch (e) {
        caught = e;
      }
    });
    rt.runSync();
    expect(caught).to.equal("a string");
  });
});
