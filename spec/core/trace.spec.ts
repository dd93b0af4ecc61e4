// Tracing: with `trace: true` the runtime records what it did, one event per decision, stamped
// with the runtime clock; wake, spawn and timer events say who caused them in `by` (a task id,
// "timer", or "outside").

import { expect } from "chai";
import { Runtime, fromPromise, ready, sleep, spawn, yieldNow } from "../../lib/index";
import type { TraceEvent } from "../../lib/index";
import { Gate, virtual } from "./helpers";

/** The events of one task, as [kind, detail?, by?] tuples (undefined fields dropped). */
function lane(events: readonly TraceEvent[], task: number): unknown[][] {
  return events
    .filter((e) => e.task === task)
    .map((e) => {
      const row: unknown[] = [e.kind];
      if (e.detail !== undefined || e.by !== undefined) row.push(e.detail);
      if (e.by !== undefined) row.push(e.by);
      return row;
    });
}

describe("trace", () => {
  it("records spawn, poll, park, timer, wake, ready and complete for a sleeper", () => {
    const rt = virtual({ trace: true });
    const h = rt.spawn(
      function* () {
        yield* sleep(5);
      },
      { name: "sleeper" },
    );
    rt.runSync();
    expect(lane(rt.trace, h.id)).to.deep.equal([
      ["spawn", undefined, "outside"],
      ["poll", "sleep(5)"],
      ["arm"],
      ["park", "sleep(5) until t=5"],
      ["timer", "deadline 5", "timer"],
      ["wake", undefined, "timer"],
      ["poll", "sleep(5) until t=5"],
      ["ready"],
      ["complete"],
    ]);
    expect(rt.trace.every((e) => e.name === "sleeper")).to.equal(true);
    expect(rt.trace.map((e) => e.t)).to.deep.equal([0, 0, 0, 0, 5, 5, 5, 5, 5]);
    const timerKeys = rt.trace.filter((e) => e.kind === "arm" || e.kind === "timer").map((e) => [e.kind, e.deadline, e.seq]);
    expect(timerKeys).to.deep.equal([["arm", 5, 0], ["timer", 5, 0]]);
  });

  it("names the waking task's id in `by` when one task wakes another", () => {
    const rt = virtual({ trace: true });
    const gate = new Gate("g");
    const waiter = rt.spawn(function* () {
      yield* gate;
    });
    const opener = rt.spawn(function* () {
      gate.open();
    });
    rt.runSync();
    const wakes = rt.trace.filter((e) => e.kind === "wake" && e.task === waiter.id);
    expect(wakes).to.have.length(1);
    expect(wakes[0]?.by).to.equal(opener.id);
  });

  it("names the spawning task in `by` for a spawn inside a task", () => {
    const rt = virtual({ trace: true });
    let child = -1;
    const parent = rt.spawn(function* () {
      child = spawn(function* () {}).id;
    });
    rt.runSync();
    const spawned = rt.trace.find((e) => e.kind === "spawn" && e.task === child);
    expect(spawned?.by).to.equal(parent.id);
  });

  it("records an abort as a wake with detail 'abort' by the aborting task, then a cancel", () => {
    const rt = virtual({ trace: true });
    const gate = new Gate("g");
    const victim = rt.spawn(function* () {
      yield* gate;
    });
    const killer = rt.spawn(function* () {
      victim.abort();
    });
    rt.runSync();
    const events = lane(rt.trace, victim.id);
    expect(events).to.deep.include(["wake", "abort", killer.id]);
    expect(events[events.length - 1]).to.deep.equal(["cancel"]);
  });

  it("records a failure with the error's name and message", () => {
    const rt = virtual({ trace: true, onTaskError: () => {} });
    const h = rt.spawn(function* () {
      throw new RangeError("out of range");
    });
    rt.runSync();
    expect(lane(rt.trace, h.id).pop()).to.deep.equal(["fail", "RangeError: out of range"]);
  });

  it("records a wake during the task's own poll and the reschedule that follows", () => {
    const rt = virtual({ trace: true });
    const h = rt.spawn(function* () {
      yield* yieldNow();
    });
    rt.runSync();
    const events = lane(rt.trace, h.id);
    expect(events).to.deep.include(["wake", "during its own poll", h.id]);
    expect(events).to.deep.include(["pending", "woken during its poll: rescheduled"]);
  });

  it("says 'outside' for a wake that comes from a Promise", async () => {
    const rt = new Runtime({ trace: true });
    const h = rt.spawn(function* () {
      yield* fromPromise(new Promise((r) => setTimeout(r, 1)));
    });
    await rt.run();
    const wake = rt.trace.find((e) => e.kind === "wake" && e.task === h.id);
    expect(wake?.by).to.equal("outside");
  });

  it("sends every event to a trace function as it happens, and records nothing itself", () => {
    const seen: TraceEvent[] = [];
    const rt = virtual({ trace: (e) => seen.push(e) });
    rt.spawn(function* () {
      yield* sleep(1);
    });
    rt.runSync();
    expect(seen.map((e) => e.kind)).to.deep.equal(["spawn", "poll", "arm", "park", "timer", "wake", "poll", "ready", "complete"]);
    expect(rt.trace).to.deep.equal([]);
  });

  it("records nothing without the option", () => {
    const rt = virtual();
    rt.spawn(function* () {
      yield* sleep(1);
    });
    rt.runSync();
    expect(rt.trace).to.deep.equal([]);
  });

  it("records a forced yield when the budget runs out", () => {
    const rt = virtual({ trace: true, budget: 2 });
    const h = rt.spawn(function* () {
      for (let i = 0; i < 3; i++) yield* ready(i);
    });
    rt.runSync();
    expect(lane(rt.trace, h.id)).to.deep.include(["pending", "budget spent: forced yield"]);
  });
});
