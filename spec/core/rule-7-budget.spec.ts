// Driver rule 7: a task never monopolises the host. After `budget` polls in one turn of the
// host event loop the runtime yields to the host with a macrotask, and a task that could go on
// forever (an always-Ready loop) is moved to the back of the run queue.

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

describe("rule 7: the runtime yields to the host after `budget` polls", () => {
  it("lets a setImmediate callback queued by a task run during a long yield storm", async () => {
    const rt = new Runtime();
    let fired = false;
    const h = rt.spawn(function* () {
      setImmediate(() => (fired = true));
      return yield* yieldUntil(() => fired);
    });
    await rt.run();
    const n = await h;
    expect(fired).to.equal(true);
    expect(n).to.be.below(CAP);
    expect(n).to.be.at.most(2 * 128);
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

  it("yields to the host about once per `budget` polls: budget 1 yields far more often than the default", async () => {
    const N = 2_000;
    const storm = function* () {
      for (let i = 0; i < N; i++) yield* yieldNow();
    };
    const small = new Runtime({ budget: 1 });
    small.spawn(storm);
    await small.run();
    const dflt = new Runtime();
    dflt.spawn(storm);
    await dflt.run();
    // N yieldNow() = 2N polls. Budget 1: a host yield after (about) every poll.
    expect(small.metrics.hostYields).to.be.at.least(N);
    expect(dflt.metrics.hostYields).to.be.at.least(Math.floor((2 * N) / 128) - 1);
    expect(dflt.metrics.hostYields).to.be.at.most(Math.ceil((2 * N) / 128) + 1);
  });

  it("yields to the host with a macrotask on a virtual clock too, when run() drives it", async () => {
    const rt = virtual({ budget: 4 });
    let fired = false;
    const h = rt.spawn(function* () {
      setImmediate(() => (fired = true));
      return yield* yieldUntil(() => fired);
    });
    await rt.run();
    expect(await h).to.be.at.most(8);
    expect(rt.metrics.hostYields).to.be.at.least(1);
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
