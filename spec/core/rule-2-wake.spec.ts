// Driver rule 2: wake() moves a parked task to the back of the run queue exactly once; a wake
// during its own poll reschedules it; a wake after it finished is a no-op; old wakers still work.

import { expect } from "chai";
import { Poll, pollFn, yieldNow } from "../../lib/index";
import type { Waker } from "../../lib/index";
import { Gate, stepAll, virtual } from "./helpers";

describe("rule 2: wake-ups are deduplicated, never lost, and never outlive the task", () => {
  it("polls a task once however many times it is woken before it runs", () => {
    const rt = virtual();
    const gate = new Gate("g");
    rt.spawn(function* () {
      yield* gate;
    });
    rt.step();
    const w = gate.waker as Waker;
    gate.held = true;
    w.wake();
    w.wake();
    w.wakeByRef();
    w.clone().wake();
    expect(rt.metrics.ready).to.equal(1);
    const events = stepAll(rt);
    expect(events.map((e) => e.kind)).to.deep.equal(["complete"]);
    expect(gate.polls).to.equal(2);
  });

  it("moves a woken task to the back of the run queue", () => {
    const rt = virtual();
    const log: string[] = [];
    const gate = new Gate("g");
    rt.spawn(function* () {
      yield* gate;
      log.push("woken");
    });
    rt.step(); // parks
    rt.spawn(function* () {
      log.push("first in line");
      gate.open();
      log.push("still running after the wake");
    });
    rt.spawn(function* () {
      log.push("queued before the wake");
    });
    stepAll(rt);
    expect(log).to.deep.equal(["first in line", "still running after the wake", "queued before the wake", "woken"]);
  });

  it("reschedules a task whose future wakes it during its own poll and returns Pending", () => {
    const rt = virtual();
    let polls = 0;
    const h = rt.spawn(function* () {
      return yield* pollFn<number>((cx) => {
        if (++polls < 3) {
          cx.waker.wakeByRef();
          return Poll.pending;
        }
        return Poll.ready(polls);
      });
    });
    const kinds = stepAll(rt).map((e) => e.kind);
    expect(kinds).to.deep.equal(["pending", "pending", "complete"]);
    expect(polls).to.equal(3);
    expect(h.finished).to.equal(true);
  });

  it("does not lose a wake that arrives while the task runs, before a poll that returns Pending", () => {
    // The waker is woken by code the task itself runs (here: an earlier waker of its own) before
    // its next Pending: the Pending must not strand it.
    const rt = virtual();
    let own: Waker | undefined;
    let polls = 0;
    const h = rt.spawn(function* () {
      yield* pollFn<void>((cx) => {
        own = cx.waker;
        return Poll.ready(undefined);
      });
      (own as Waker).wake(); // woken while RUNNING
      yield* pollFn<void>(() => (++polls === 1 ? Poll.pending : Poll.ready(undefined))); // Pending without arranging a wake
    });
    stepAll(rt);
    expect(polls).to.equal(2);
    expect(h.finished).to.equal(true);
  });

  it("ignores a wake after the task finished", () => {
    const rt = virtual();
    let w: Waker | undefined;
    const h = rt.spawn(function* () {
      yield* pollFn<void>((cx) => {
        w = cx.waker;
        return Poll.ready(undefined);
      });
      return "done";
    });
    rt.runSync();
    const polls = rt.metrics.polls;
    (w as Waker).wake();
    (w as Waker).wakeByRef();
    expect(rt.metrics.ready).to.equal(0);
    expect(rt.step()).to.equal(undefined);
    expect(rt.metrics.polls).to.equal(polls);
    expect(rt.metrics.completed).to.equal(1);
    expect(h.finished).to.equal(true);
  });

  it("still wakes the task with a waker from an older poll", () => {
    const rt = virtual();
    const wakers: Waker[] = [];
    let gates = 0;
    const h = rt.spawn(function* () {
      yield* yieldNow();
      // Park twice; the second park is woken with the waker the first poll received.
      for (let i = 0; i < 2; i++) {
        yield* pollFn<void>((cx) => {
          if (wakers.length === i) {
            wakers.push(cx.waker);
            return Poll.pending;
          }
          gates++;
          return Poll.ready(undefined);
        });
      }
      return gates;
    });
    stepAll(rt);
    (wakers[0] as Waker).wake();
    stepAll(rt);
    expect(wakers).to.have.length(2);
    (wakers[0] as Waker).wake(); // the old waker, not wakers[1]
    stepAll(rt);
    expect(h.finished).to.equal(true);
  });

  it("tolerates spurious wake-ups: the future is simply polled again", () => {
    const rt = virtual();
    const gate = new Gate("g");
    const h = rt.spawn(function* () {
      return yield* gate;
    });
    rt.step();
    (gate.waker as Waker).wake(); // spurious: the gate is still closed
    expect(rt.step()?.kind).to.equal("park");
    expect(gate.polls).to.equal(2);
    gate.open();
    stepAll(rt);
    expect(h.finished).to.equal(true);
  });
});
