// Interval v2: reset anchors at the reset() call, not at the next poll; the reset variants and
// intervalAt; a tick late by at most TICK_TOLERANCE_MS counts as on time (no drift of a "delay"
// interval on a real clock, whose timers are always a little late); the behavior can change.

import { expect } from "chai";
import { TICK_TOLERANCE_MS, interval, intervalAt, now, runSync, sleep } from "../../lib/index";

describe("time: interval reset and tolerance", () => {
  it("anchors reset() at the call: reset at 100, tick polled at 350 → due at 400", () => {
    const out = runSync(function* () {
      const every = interval(300);
      yield* every.tick(); // 0
      yield* sleep(100);
      every.reset();
      yield* sleep(250);
      return [yield* every.tick(), now()];
    });
    expect(out).to.deep.equal([400, 400]);
  });

  it("resetImmediately, resetAfter and resetAt move the next tick; the grid continues from it", () => {
    const out = runSync(function* () {
      const every = interval(100);
      const seen: number[] = [yield* every.tick()]; // 0
      yield* sleep(10);
      every.resetImmediately();
      seen.push(yield* every.tick()); // 10
      every.resetAfter(25);
      seen.push(yield* every.tick()); // 35
      every.resetAt(300);
      seen.push(yield* every.tick(), yield* every.tick()); // 300, 400
      return seen;
    });
    expect(out).to.deep.equal([0, 10, 35, 300, 400]);
  });

  it("intervalAt starts the grid at the given time", () => {
    const out = runSync(function* () {
      const every = intervalAt(now() + 50, 100);
      return [yield* every.tick(), yield* every.tick(), yield* every.tick()];
    });
    expect(out).to.deep.equal([50, 150, 250]);
  });

  it(`treats a tick late by at most ${TICK_TOLERANCE_MS} ms as on time (delay does not drift)`, () => {
    const out = runSync(function* () {
      const every = interval(100, { missedTick: "delay" });
      const seen: number[] = [yield* every.tick()];
      for (let i = 0; i < 3; i++) {
        yield* sleep(100 + 1); // as a host timer: always a little late
        seen.push(yield* every.tick());
      }
      return seen;
    });
    expect(out).to.deep.equal([0, 100, 200, 300]);
  });

  it("a tick later than the tolerance follows the behavior, which setMissedTickBehavior changes", () => {
    const out = runSync(function* () {
      const every = interval(100, { missedTick: "delay" });
      const seen: number[] = [yield* every.tick()];
      yield* sleep(120);
      seen.push(yield* every.tick()); // due 100, taken at 120: delay → next at 220
      every.setMissedTickBehavior("burst");
      yield* sleep(150);
      seen.push(yield* every.tick(), yield* every.tick()); // burst: 220, then 320 on the grid
      return [seen, every.missedTick];
    });
    expect(out).to.deep.equal([[0, 100, 220, 320], "burst"]);
  });

  it("refuses a bad missed-tick behavior and a bad reset time", () => {
    const every = interval(10);
    expect(() => every.setMissedTickBehavior("never" as "burst")).to.throw(RangeError, /"never"/);
    expect(() => every.resetAfter(-1)).to.throw(RangeError);
    expect(() => intervalAt(Number.NaN, 10)).to.throw(TypeError, /start time/);
  });
});
