// Time: interval(period, { missedTick }). The first tick is ready at once (as in tokio); each
// tick evaluates to the time it was scheduled for; ticks missed while the task was busy are
// fired back to back ("burst"), re-based on the late tick ("delay") or dropped ("skip").

import { expect } from "chai";
import { interval, now, runSync, sleep } from "../../lib/index";
import type { MissedTickBehavior } from "../../lib/index";
import { virtual } from "./helpers";

/** Tick once, sleep `busy` ms, then tick `more` times; [scheduled, observed] per tick. */
function ticks(missedTick: MissedTickBehavior, busy: number, more: number): [number, number][] {
  return runSync(function* () {
    const every = interval(100, { missedTick });
    const out: [number, number][] = [];
    out.push([yield* every.tick(), now()]);
    yield* sleep(busy);
    for (let i = 0; i < more; i++) out.push([yield* every.tick(), now()]);
    return out;
  });
}

describe("time: interval", () => {
  it("ticks at once the first time, then once per period", () => {
    expect(ticks("burst", 0, 3)).to.deep.equal([
      [0, 0],
      [100, 100],
      [200, 200],
      [300, 300],
    ]);
  });

  it("fixes its first tick at the first poll, not at creation", () => {
    const out = runSync(function* () {
      const every = interval(10);
      yield* sleep(5);
      return [yield* every.tick(), yield* every.tick()];
    });
    expect(out).to.deep.equal([5, 15]);
  });

  it("bursts missed ticks back to back, then returns to the grid (burst, the default)", () => {
    expect(ticks("burst", 350, 5)).to.deep.equal([
      [0, 0],
      [100, 350],
      [200, 350],
      [300, 350],
      [400, 400],
      [500, 500],
    ]);
  });

  it("restarts the period from the late tick (delay)", () => {
    expect(ticks("delay", 350, 3)).to.deep.equal([
      [0, 0],
      [100, 350],
      [450, 450],
      [550, 550],
    ]);
  });

  it("drops missed ticks and stays on the original grid (skip)", () => {
    expect(ticks("skip", 350, 3)).to.deep.equal([
      [0, 0],
      [100, 350],
      [400, 400],
      [500, 500],
    ]);
  });

  it("keeps the grid when a tick is late by less than a period (burst and skip)", () => {
    expect(ticks("burst", 150, 2)).to.deep.equal([
      [0, 0],
      [100, 150],
      [200, 200],
    ]);
    expect(ticks("skip", 150, 2)).to.deep.equal([
      [0, 0],
      [100, 150],
      [200, 200],
    ]);
  });

  // "delay" re-bases on any late tick (tokio's Delay), not only on one late by a whole period.
  it("restarts the period from a tick that is late by less than a period (delay)", () => {
    expect(ticks("delay", 150, 2)).to.deep.equal([
      [0, 0],
      [100, 150],
      [250, 250],
    ]);
  });

  it("starts a new period from now after reset()", () => {
    const out = runSync(function* () {
      const every = interval(100);
      const seen = [yield* every.tick()];
      yield* sleep(30);
      every.reset();
      seen.push(yield* every.tick());
      seen.push(yield* every.tick());
      return seen;
    });
    expect(out).to.deep.equal([0, 130, 230]);
  });

  it("leaves no armed timer when a task waiting on a tick is cancelled", () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      const every = interval(1000);
      for (;;) yield* every.tick();
    });
    rt.spawn(function* () {
      yield* sleep(10);
      h.abort();
    });
    rt.runSync();
    expect(rt.metrics.timers).to.equal(0);
    expect(rt.now()).to.equal(10);
  });

  it("describes a pending tick", () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      const every = interval(25);
      yield* every.tick();
      yield* every.tick();
    });
    expect(rt.step()?.detail).to.equal("waits on interval(25) tick");
    rt.runSync();
    expect(h.finished).to.equal(true);
  });
});
