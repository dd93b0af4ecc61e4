// Driver rule 9: an error ends only the task that threw it; it is rethrown to every joiner; an
// error nobody joined is never dropped: run() rejects with it (AggregateError for several),
// unless onTaskError takes it.

import { expect } from "chai";
import { Runtime, run, sleep, spawn } from "../../lib/index";
import type { TaskInfo } from "../../lib/index";
import { rejection, thrown, virtual } from "./helpers";

describe("rule 9: a task's error is its joiners', or run()'s, never lost", () => {
  it("ends only the failing task: the others run to completion", () => {
    const rt = virtual({ onTaskError: () => {} });
    const log: string[] = [];
    rt.spawn(function* () {
      yield* sleep(1);
      throw new Error("one fails");
    });
    for (const name of ["a", "b"]) {
      rt.spawn(function* () {
        yield* sleep(2);
        log.push(name);
      });
    }
    rt.runSync();
    expect(log).to.deep.equal(["a", "b"]);
    expect(rt.metrics.failed).to.equal(1);
    expect(rt.metrics.completed).to.equal(2);
  });

  it("rethrows the same error object to every joiner", () => {
    const rt = virtual();
    const boom = new Error("shared");
    const h = rt.spawn(function* () {
      yield* sleep(3);
      throw boom;
    });
    const seen: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      rt.spawn(function* () {
        try {
          yield* h;
        } catch (e) {
          seen.push(e);
        }
      });
    }
    rt.runSync();
    expect(seen).to.deep.equal([boom, boom]);
    expect(seen[0]).to.equal(seen[1]);
  });

  it("rethrows the error to a joiner that joins after the task already failed", () => {
    const rt = virtual();
    const boom = new Error("early");
    const h = rt.spawn(function* () {
      throw boom;
    });
    let seen: unknown;
    rt.spawn(function* () {
      yield* sleep(10);
      try {
        yield* h;
      } catch (e) {
        seen = e;
      }
    });
    rt.runSync();
    expect(seen).to.equal(boom);
  });

  it("makes run() reject with the error of a task nobody joined", async () => {
    const rt = virtual();
    const boom = new Error("unjoined");
    rt.spawn(function* () {
      yield* sleep(1);
      throw boom;
    });
    expect(await rejection(rt.run())).to.equal(boom);
  });

  it("makes run() reject with an AggregateError holding both errors when two unjoined tasks fail", async () => {
    const rt = new Runtime();
    const e1 = new Error("first");
    const e2 = new Error("second");
    rt.spawn(function* () {
      yield* sleep(1);
      throw e1;
    });
    rt.spawn(function* () {
      yield* sleep(2);
      throw e2;
    });
    const err = await rejection(rt.run());
    expect(err).to.be.instanceOf(AggregateError);
    expect((err as AggregateError).errors).to.deep.equal([e1, e2]);
    expect((err as AggregateError).message).to.include("2 tasks failed");
  });

  it("makes runSync() throw the same way", () => {
    const rt = virtual();
    const boom = new Error("sync unjoined");
    rt.spawn(function* () {
      throw boom;
    });
    expect(thrown(() => rt.runSync())).to.equal(boom);
  });

  it("still runs the other tasks to the end before run() rejects", async () => {
    const rt = virtual();
    let finished = false;
    rt.spawn(function* () {
      throw new Error("early failure");
    });
    rt.spawn(function* () {
      yield* sleep(100);
      finished = true;
    });
    await rejection(rt.run());
    expect(finished).to.equal(true);
    expect(rt.now()).to.equal(100);
  });

  it("hands unjoined errors to onTaskError instead, with the task's id and name", async () => {
    const got: [unknown, TaskInfo][] = [];
    const rt = virtual({ onTaskError: (e, t) => got.push([e, t]) });
    const e1 = new Error("one");
    const e2 = new Error("two");
    const h1 = rt.spawn(
      function* () {
        throw e1;
      },
      { name: "first" },
    );
    const h2 = rt.spawn(function* () {
      yield* sleep(1);
      throw e2;
    });
    await rt.run();
    expect(got.map(([e]) => e)).to.deep.equal([e1, e2]);
    expect(got[0]?.[1]).to.deep.equal({ id: h1.id, name: "first" });
    expect(got[1]?.[1]).to.deep.equal({ id: h2.id, name: undefined });
  });

  it("does not report an error to onTaskError or run() when a joiner took it", () => {
    const reported: unknown[] = [];
    const rt = virtual({ onTaskError: (e) => reported.push(e) });
    const h = rt.spawn(function* () {
      yield* sleep(1);
      throw new Error("joined");
    });
    rt.spawn(function* () {
      try {
        yield* h;
      } catch {
        // taken
      }
    });
    rt.runSync();
    expect(reported).to.deep.equal([]);
  });

  it("counts an error as taken when a task joins it later, before the runtime is done", () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      throw new Error("joined late");
    });
    let seen: unknown;
    rt.spawn(function* () {
      yield* sleep(50);
      try {
        yield* h;
      } catch (e) {
        seen = e;
      }
    });
    rt.runSync(); // does not throw
    expect((seen as Error).message).to.equal("joined late");
  });

  it("does not treat cancellation as a failure to report", () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      yield* sleep(10);
    });
    rt.spawn(function* () {
      yield* sleep(1);
      h.abort();
    });
    rt.runSync(); // does not throw
    expect(rt.metrics.cancelled).to.equal(1);
  });

  // An error counts as taken only once a joiner received it, not when someone started waiting.
  it("reports the error of a child whose only joiner was cancelled before the child failed", () => {
    // The joiner never received the error, so nobody observed it.
    const rt = virtual();
    const boom = new Error("boom after the joiner left");
    const child = rt.spawn(function* () {
      yield* sleep(10);
      throw boom;
    });
    const parent = rt.spawn(function* () {
      yield* child;
    });
    rt.spawn(function* () {
      yield* sleep(1);
      parent.abort();
    });
    expect(thrown(() => rt.runSync())).to.equal(boom);
  });

  // Regression (was a core bug, now fixed): onTaskError runs at idle points (after the queue drained) and at the very end,
  // but the driver does not look at the queue again afterwards: a task the handler spawns (a
  // restart, a report) waits until the virtual clock jumped to the next timer (here t=10
  // instead of 0), waits for the next host timer on a real clock, and at the end of
  // runSync()/run() is left in the queue, never run. Fix: after reportFailures(), `continue`
  // the loop when the queue is not empty; in run()/runSync(), drive again while tasks are live.
  it("runs a task spawned by onTaskError before the virtual clock moves on", () => {
    const at: number[] = [];
    const rt: Runtime = virtual({
      onTaskError: () => {
        rt.spawn(function* () {
          at.push(rt.now());
        });
      },
    });
    rt.spawn(function* () {
      throw new Error("crash");
    });
    rt.spawn(function* () {
      yield* sleep(10);
    });
    rt.runSync();
    expect(at).to.deep.equal([0]);
  });

  it("does not finish runSync() with a task onTaskError has just spawned left unrun", () => {
    let restarted = false;
    const rt: Runtime = virtual({
      onTaskError: () => {
        rt.spawn(function* () {
          restarted = true;
        });
      },
    });
    rt.spawn(function* () {
      throw new Error("crash");
    });
    rt.runSync();
    expect(restarted).to.equal(true);
    expect(rt.metrics.live).to.equal(0);
  });

  // Regression (was a core bug, now fixed): driveSync() does not mark the runtime as running (only drive() sets `looping`),
  // so an onTaskError handler — called from the loop's idle point — may call rt.runSync() and
  // re-enter it. The inner run finishes every task; the outer loop then does not re-check
  // done() and throws a DeadlockError listing 0 parked tasks. Fix: set `looping` in
  // driveSync() too (refusing re-entry), and re-check done() after reportFailures().
  it("never ends runSync() with a DeadlockError that lists no parked task, even if onTaskError drives the runtime", () => {
    let inner: unknown = "not called";
    const rt: Runtime = virtual({
      onTaskError: () => {
        try {
          rt.runSync();
          inner = "ran";
        } catch (e) {
          inner = e;
        }
      },
    });
    rt.spawn(function* () {
      throw new Error("crash");
    });
    rt.spawn(function* () {
      yield* sleep(10);
    });
    rt.runSync();
    expect(inner).to.not.equal("not called");
    expect(rt.metrics.live).to.equal(0);
  });

  it("rethrows an error from a free-function run() main task", async () => {
    const boom = new Error("main failed");
    const err = await rejection(
      run(function* () {
        spawn(function* () {
          yield* sleep(1);
        });
        throw boom;
      }),
    );
    expect(err).to.equal(boom);
  });
});
