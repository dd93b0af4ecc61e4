// Driver rule 7: nothing monopolises anything. A task that made `budget` polls in one step goes
// to the back of the run queue (a coop budget, part of the schedule); run() yields to the host
// with a macrotask after each `slice` ms of continuous stepping (a time slice, not a poll count),
// and those host yields never change the order of the runtime's own tasks.

import { expect } from "chai";
import { Runtime, ready, yieldNow } from "../../lib/index";
import { virtual } from "./helpers";

const CAP = 1_000_000;

/** Yield until `flag()` is true or CAP yields passed; how many yields it took. */
function* yieldUntil(flag: () => boolean) {
  let n = 0;
  while (!flag() && n < CAP) {
    yield* yieldNow();
    n++;
  }
  return n;
}

describe("rule 7: a budget of polls per task step, a time slice per host turn", () => {
  it("lets a setImmediate callback queued by a task run during a long yield storm", async () => {
    // A tiny slice: the host gets its turn after the first few steps, however fast they are.
    const rt = new Runtime({ slice: 0.001 });
    let fired = false;
    const h = rt.spawn(function* () {
      setImmediate(() => (fired = true));
      return yield* yieldUntil(() => fired);
    });
    await rt.run();
    const n = await h;
    expect(fired).to.equal(true);
    expect(n).to.be.below(CAP);
    expect(n).to.be.at.most(64);
  });

  it("lets a setTimeout(0) callback queued by a task run during a long yield storm", async () => {
    const rt = new Runtime();
    let fired = false;
    const h = rt.spawn(function* () {
      setTimeout(() => (fired = true), 0);
      return yield* yieldUntil(() => fired);
    });
    await rt.run();
    expect(fired).to.equal(true);
    expect(await h).to.be.below(CAP);
  });

  it("yields to the host per time slice, not per number of polls: a slice longer than the run never yields", async () => {
    const N = 20_000;
    const storm = function* () {
      for (let i = 0; i < N; i++) yield* yieldNow();
    };
    const long = new Runtime({ slice: 1e9 });
    long.spawn(storm);
    await long.run();
    const tiny = new Runtime({ slice: 0.001 });
    tiny.spawn(storm);
    await tiny.run();
    expect(long.metrics.hostYields).to.equal(0); // 40,000 polls, not one macrotask
    expect(tiny.metrics.hostYields).to.be.at.least(10);
    // The budget is per task step and is the same in both: the schedule did not change.
    expect(tiny.metrics.forcedYields).to.equal(long.metrics.forcedYields);
  });

  it("yields to the host with a macrotask on a virtual clock too, when run() drives it", async () => {
    const rt = virtual({ slice: 0.001 });
    let fired = false;
    const h = rt.spawn(function* () {
      setImmediate(() => (fired = true));
      return yield* yieldUntil(() => fired);
    });
    await rt.run();
    expect(await h).to.be.at.most(64);
    expect(rt.metrics.hostYields).to.be.at.least(1);
  });

  it("rejects a slice that is not a positive finite number of ms", () => {
    for (const slice of [0, -1, NaN, Infinity, "1"]) {
      expect(() => new Runtime({ slice: slice as number })).to.throw(RangeError, /slice must be a positive, finite number of ms/);
    }
  });

  it("moves a task in an always-Ready loop to the back of the queue after `budget` polls", () => {
    const rt = virtual({ budget: 16 });
    let iterations = 0;
    let seenAt = -1;
    rt.spawn(function* () {
      for (let i = 0; i < 100; i++) {
        yield* ready(i);
        iterations++;
      }
    });
    rt.spawn(function* () {
      seenAt = iterations;
    });
    rt.runSync();
    expect(seenAt).to.equal(16);
    expect(iterations).to.equal(100);
    expect(rt.metrics.forcedYields).to.equal(Math.floor(100 / 16));
  });

  it("counts no forced yield for a task that parks within its budget", () => {
    const rt = virtual({ budget: 16 });
    rt.spawn(function* () {
      for (let i = 0; i < 10; i++) yield* ready(i);
    });
    rt.runSync();
    expect(rt.metrics.forcedYields).to.equal(0);
  });

  it("stops a hand-driven step() after `budget` polls of an always-Ready loop", () => {
    const rt = virtual({ budget: 8 });
    const h = rt.spawn(function* () {
      for (let i = 0; i < 20; i++) yield* ready(i);
    });
    const e = rt.step();
    expect(e?.kind).to.equal("pending");
    expect(e?.detail).to.equal("8 polls");
    expect(h.finished).to.equal(false);
    rt.runSync();
    expect(h.finished).to.equal(true);
  });

  it("uses 128 polls as the default budget", () => {
    const rt = virtual();
    let seenAt = -1;
    let iterations = 0;
    rt.spawn(function* () {
      for (let i = 0; i < 300; i++) {
        yield* ready(i);
        iterations++;
      }
    });
    rt.spawn(function* () {
      seenAt = iterations;
    });
    rt.runSync();
    expect(seenAt).to.equal(128);
  });
});
