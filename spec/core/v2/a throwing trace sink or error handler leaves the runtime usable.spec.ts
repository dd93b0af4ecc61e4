// Issue 9, case 6. A trace sink or an onTaskError handler is user code the runtime calls while it
// drives. If it throws, that call may fail, but the runtime must stay usable: a later runSync(),
// step() or run() on the same runtime drives its tasks as usual.
//
// How it failed before Core v2: a sink that threw while timers fired left the driver's `driving`
// flag set, so every later runSync(), step() or run() on that runtime failed with
// "Error: this runtime is already running".

import { expect } from "chai";
import { Runtime, sleep } from "../../../lib/index";
import type { TraceEvent } from "../../../lib/index";

/** A virtual-clock runtime whose trace sink throws on the first timer event, and then never again. */
function withSinkThatThrowsOnce(): { rt: Runtime; thrown: () => number } {
  let thrown = 0;
  const rt = new Runtime({
    clock: "virtual",
    trace: (e: TraceEvent) => {
      if (e.kind === "timer" && thrown === 0) {
        thrown++;
        throw new Error("the sink failed");
      }
    },
  });
  return { rt, thrown: () => thrown };
}

/** Run `f`, ignoring what it throws: the first drive may report the sink's error. */
function attempt(f: () => void): void {
  try {
    f();
  } catch {
    // the sink's own error may surface here; what matters is what comes after
  }
}

/** A runtime whose sink threw once while a timer fired during runSync(). */
function afterSinkThrewWhileTimersFired(): Runtime {
  const { rt, thrown } = withSinkThatThrowsOnce();
  rt.spawn(function* () {
    yield* sleep(5);
  });
  attempt(() => rt.runSync());
  expect(thrown()).to.equal(1);
  return rt;
}

describe("Core v2 · case 6: a throwing trace sink or error handler leaves the runtime usable", () => {
  it("runs a later runSync() after a sink threw while timers fired", () => {
    const rt = afterSinkThrewWhileTimersFired();
    const h = rt.spawn(function* () {
      yield* sleep(5);
      return "later";
    });
    rt.runSync(); // before: "this runtime is already running"
    expect(h.finished).to.equal(true);
    expect(rt.metrics.live).to.equal(0);
  });

  it("lets step() drive after a sink threw while timers fired", () => {
    const rt = afterSinkThrewWhileTimersFired();
    const h = rt.spawn(function* () {
      return "stepped";
    });
    let steps = 0;
    while (!h.finished && steps++ < 100) rt.step();
    expect(h.finished).to.equal(true);
  });

  it("runs a later run() after a sink threw while timers fired", async () => {
    const { rt, thrown } = withSinkThatThrowsOnce();
    rt.spawn(function* () {
      yield* sleep(5);
    });
    try {
      await rt.run();
    } catch {
      // the sink's error may surface here
    }
    expect(thrown()).to.equal(1);
    const h = rt.spawn(function* () {
      yield* sleep(1);
      return 1;
    });
    await rt.run();
    expect(h.finished).to.equal(true);
  });

  it("runs a later runSync() after an onTaskError handler threw", () => {
    let calls = 0;
    const rt = new Runtime({
      clock: "virtual",
      onTaskError: () => {
        calls++;
        if (calls === 1) throw new Error("the handler failed");
      },
    });
    rt.spawn(function* () {
      yield* sleep(1);
      throw new Error("task failure");
    });
    attempt(() => rt.runSync());
    expect(calls).to.equal(1);
    const h = rt.spawn(function* () {
      yield* sleep(1);
      return "later";
    });
    rt.runSync();
    expect(h.finished).to.equal(true);
    expect(rt.metrics.live).to.equal(0);
  });
});
