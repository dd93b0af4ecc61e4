// rt.metrics: live counters of spawned, completed, failed and cancelled tasks, polls, wakes,
// parked and ready tasks, armed timers and fired ones.

import { expect } from "chai";
import { pending, sleep } from "../../lib/index";
import { Gate, virtual } from "./helpers";

describe("metrics", () => {
  it("counts tasks, polls, wakes, parked and ready through a small program", () => {
    const rt = virtual({ onTaskError: () => {} });
    const m = rt.metrics;
    rt.spawn(function* () {
      yield* sleep(5);
    });
    rt.spawn(function* () {
      throw new Error("fails");
    });
    const c = rt.spawn(function* () {
      yield* pending();
    });
    expect([m.spawned, m.ready, m.live, m.parked, m.polls]).to.deep.equal([3, 3, 3, 0, 0]);

    rt.step();
    rt.step();
    rt.step(); // (a fourth step would jump the virtual clock to the sleeper's deadline)
    expect([m.ready, m.parked, m.live, m.failed, m.polls, m.timers]).to.deep.equal([0, 2, 2, 1, 2, 1]);

    c.abort();
    expect([m.ready, m.parked]).to.deep.equal([1, 1]);

    rt.runSync();
    expect({
      spawned: m.spawned,
      completed: m.completed,
      failed: m.failed,
      cancelled: m.cancelled,
      polls: m.polls,
      wakes: m.wakes,
      parked: m.parked,
      ready: m.ready,
      live: m.live,
      timers: m.timers,
      timersFired: m.timersFired,
      forcedYields: m.forcedYields,
    }).to.deep.equal({
      spawned: 3,
      completed: 1,
      failed: 1,
      cancelled: 1,
      polls: 3,
      wakes: 1,
      parked: 0,
      ready: 0,
      live: 0,
      timers: 0,
      timersFired: 1,
      forcedYields: 0,
    });
  });

  it("counts every wake() call, deduplicated ones included", () => {
    const rt = virtual();
    const gate = new Gate("g");
    rt.spawn(function* () {
      yield* gate;
    });
    rt.step();
    gate.held = true;
    const w = gate.waker;
    w?.wake();
    w?.wake();
    w?.wake();
    rt.runSync();
    expect(rt.metrics.wakes).to.equal(3);
    expect(rt.metrics.polls).to.equal(2);
  });

  it("is a live view: the same object, read at any time", () => {
    const rt = virtual();
    const m = rt.metrics;
    rt.spawn(function* () {});
    expect(m.live).to.equal(1);
    rt.runSync();
    expect(m.live).to.equal(0);
    expect(rt.metrics).to.equal(m);
    expect(Object.isFrozen(m)).to.equal(true);
  });
});
