// Barrier: n tasks meet, exactly one leader per generation (the last to arrive), reusable, and a
// waiter cancelled before its generation completes is not counted.

import { expect } from "chai";
import { Barrier, runSync, sleep, spawn } from "../../../lib/index";
import type { BarrierWaitResult, JoinHandle } from "../../../lib/index";
import { deadlockOf, virtual, waitsOn } from "./helpers";

describe("Barrier", () => {
  it("releases everyone when the n-th task arrives, and makes that task the only leader", () => {
    const b = new Barrier(3);
    const log: string[] = [];
    runSync(function* () {
      const hs: JoinHandle<void>[] = [];
      for (const [name, delay] of [["a", 5], ["b", 1], ["c", 3]] as const) {
        hs.push(
          spawn(function* () {
            yield* sleep(delay);
            const { leader } = yield* b.wait();
            log.push(`${name}${leader ? " (leader)" : ""} at ${delay}`);
          }),
        );
      }
      for (const h of hs) yield* h;
    });
    expect(log).to.deep.equal(["a (leader) at 5", "b at 1", "c at 3"]);
  });

  it("is reusable: each group of n waits is a generation with one leader", () => {
    const b = new Barrier(2);
    const results: BarrierWaitResult[] = [];
    runSync(function* () {
      const hs: JoinHandle<void>[] = [];
      for (let i = 0; i < 6; i++) {
        hs.push(
          spawn(function* () {
            yield* sleep(i);
            results.push(yield* b.wait());
          }),
        );
      }
      for (const h of hs) yield* h;
    });
    expect(results.filter((r) => r.leader)).to.have.length(3);
    expect(b.generation).to.equal(3);
  });

  it("makes every wait a leader when n is 1", () => {
    const b = new Barrier(1);
    runSync(function* () {
      expect((yield* b.wait()).leader).to.equal(true);
      expect((yield* b.wait()).leader).to.equal(true);
    });
    expect(b.generation).to.equal(2);
  });

  it("rejects n below 1 or not whole with a RangeError naming the value", () => {
    expect(() => new Barrier(0)).to.throw(RangeError, /new Barrier\(n\): n must be a whole number ≥ 1, not 0/);
    expect(() => new Barrier(-2)).to.throw(RangeError, /not -2/);
    expect(() => new Barrier(2.5)).to.throw(RangeError, /not 2.5/);
  });

  it("does not count a waiter cancelled before its generation completed", () => {
    const rt = virtual();
    const b = new Barrier(2, { name: "meet" });
    const log: string[] = [];
    const a = rt.spawn(function* () {
      yield* b.wait();
      log.push("a");
    });
    rt.spawn(function* () {
      yield* sleep(1);
      a.abort();
      yield* sleep(1);
      const r = yield* b.wait(); // a left: this is the first of the generation, not the second
      log.push(`b leader=${r.leader}`);
    }, { name: "b" });
    const w = waitsOn(deadlockOf(rt));
    expect(w.b).to.equal(`wait on ${b.label} (1 of 2 arrived)`);
    expect(log).to.deep.equal([]);
    expect(b.generation).to.equal(0);
  });

  it("lets a waiter cancelled after its generation completed go without undoing anything", () => {
    const rt = virtual();
    const b = new Barrier(2);
    const a = rt.spawn(function* () {
      yield* b.wait();
      throw new Error("a was aborted before it ran: it must not get here");
    });
    rt.step(); // a waits
    const leader = rt.spawn(function* () {
      return (yield* b.wait()).leader;
    });
    rt.step(); // the leader arrives, a is released (woken, not yet run)
    a.abort();
    rt.runSync();
    expect(b.generation).to.equal(1);
    expect(b.waiting).to.deep.equal([]);
    expect(leader.finished).to.equal(true);
    expect(b.arrived).to.equal(0);
  });
});
