// Structure: long chains of tasks joining each other finish without growing the JS stack
// (completion wakes joiners through the run queue, never by recursion), and JoinHandle is a
// Future, an Operation and a PromiseLike.

import { expect } from "chai";
import { CancelledError, Runtime, TimeoutError, noopContext, run, sleep, spawn, timeout } from "../../lib/index";
import type { JoinHandle, Operation } from "../../lib/index";
import { rejection, virtual } from "./helpers";

function* chain(n: number): Operation<number> {
  if (n === 0) return 0;
  const next = spawn(chain(n - 1));
  return 1 + (yield* next);
}

describe("structure: tasks and join handles", () => {
  it("finishes a chain of 100,000 tasks, each joining the next, without a RangeError", function () {
    this.timeout(60_000);
    const rt = virtual();
    const h = rt.spawn(chain(100_000));
    rt.runSync();
    expect(rt.metrics.spawned).to.equal(100_001);
    expect(rt.metrics.completed).to.equal(100_001);
    expect(rt.metrics.live).to.equal(0);
    return h.then((v) => expect(v).to.equal(100_000));
  });

  it("unwinds a chain of 10,000 failing tasks, each rethrowing the next one's error", function () {
    this.timeout(60_000);
    const boom = new Error("bottom of the chain");
    function* failing(n: number): Operation<number> {
      if (n === 0) throw boom;
      return yield* spawn(failing(n - 1));
    }
    const rt = virtual();
    const h = rt.spawn(failing(10_000));
    let got: unknown;
    rt.spawn(function* () {
      try {
        yield* h;
      } catch (e) {
        got = e;
      }
    });
    rt.runSync();
    expect(got).to.equal(boom);
    expect(rt.metrics.failed).to.equal(10_001);
  });

  describe("JoinHandle", () => {
    it("is awaitable as a Promise of the task's value", async () => {
      const rt = new Runtime();
      const h = rt.spawn(function* () {
        yield* sleep(1);
        return "value";
      });
      const running = rt.run();
      expect(await h).to.equal("value");
      await running;
    });

    it("rejects its Promise with the task's error, which then counts as observed", async () => {
      const rt = virtual();
      const boom = new Error("awaited failure");
      const h = rt.spawn(function* () {
        yield* sleep(1);
        throw boom;
      });
      const p = h.then(
        () => "resolved",
        (e: unknown) => e,
      );
      await rt.run(); // does not reject: the promise took the error
      expect(await p).to.equal(boom);
    });

    it("rejects with CancelledError for an aborted task", async () => {
      const rt = virtual();
      const h = rt.spawn(function* () {
        yield* sleep(100);
      });
      h.abort();
      await rt.run();
      expect(await rejection(h)).to.be.instanceOf(CancelledError);
    });

    it("resolves a Promise taken after the task finished", async () => {
      const rt = virtual();
      const h = rt.spawn(function* () {
        return 3;
      });
      rt.runSync();
      expect(await h).to.equal(3);
    });

    it("gives the same Promise every time", () => {
      const rt = virtual();
      const h = rt.spawn(function* () {});
      expect(h.toPromise()).to.equal(h.toPromise());
      rt.runSync();
    });

    it("reports id, name and finished", () => {
      const rt = virtual();
      const h = rt.spawn(function* () {}, { name: "worker" });
      const anon = rt.spawn(function* () {});
      expect(h.name).to.equal("worker");
      expect(anon.name).to.equal(undefined);
      expect(anon.id).to.equal(h.id + 1);
      expect(h.finished).to.equal(false);
      rt.runSync();
      expect(h.finished).to.equal(true);
    });

    it("can be polled by hand as a Future: Pending while running, then the value", () => {
      const rt = virtual();
      const h = rt.spawn(function* () {
        yield* sleep(1);
        return 9;
      });
      expect(h.poll(noopContext).ready).to.equal(false);
      rt.runSync();
      expect(h.poll(noopContext)).to.deep.equal({ ready: true, value: 9 });
    });

    it("is a typed Operation: yield* evaluates to the task's value", () => {
      const rt = virtual();
      let got: number | undefined;
      const h: JoinHandle<number> = rt.spawn(function* () {
        return 5;
      });
      rt.spawn(function* () {
        got = (yield* h) * 2;
      });
      rt.runSync();
      expect(got).to.equal(10);
    });

    // Regression (was a core bug, now fixed): JoinHandle has no drop(), so a joiner that stops waiting (timed out, cancelled,
    // lost a race) stays in the joined task's WakerSet until that task ends: a long-lived task
    // joined under timeouts by many short-lived tasks accumulates every one of their wakers
    // (5,000 joiners → 5,000 held wakers, and WakerSet.add scans them: quadratic), and wakes
    // them all, uselessly, when it finishes. Fix: JoinHandle.drop() deletes the current task's
    // waker from task.joiners.
    it("forgets a joiner that stopped waiting, and does not wake it when the task ends", () => {
      const rt = virtual();
      const server = rt.spawn(function* () {
        yield* sleep(100);
      });
      for (let i = 0; i < 100; i++) {
        rt.spawn(function* () {
          try {
            yield* timeout(1, server);
          } catch (e) {
            if (!(e instanceof TimeoutError)) throw e;
          }
        });
      }
      let before = -1;
      rt.spawn(function* () {
        yield* sleep(50); // every joiner has given up and finished by now
        before = rt.metrics.wakes;
      });
      rt.runSync();
      expect(rt.metrics.wakes - before).to.equal(1); // the server's own timer, nothing else
    });

    it("describes itself as a join of its task", () => {
      const rt = virtual();
      const child = rt.spawn(
        function* () {
          yield* sleep(5);
        },
        { name: "child" },
      );
      rt.spawn(function* () {
        yield* child;
      });
      rt.step();
      const e = rt.step();
      expect(e?.detail).to.equal(`waits on join task #${child.id} "child"`);
      rt.runSync();
    });

    it("runs a whole program through the free run(): its value, after the rest is cancelled", async () => {
      const log: string[] = [];
      const v = await run(function* () {
        spawn(function* () {
          try {
            yield* sleep(1000);
          } finally {
            log.push("background cancelled");
          }
        });
        yield* sleep(1);
        return "main done";
      });
      expect(v).to.equal("main done");
      expect(log).to.deep.equal(["background cancelled"]);
    });
  });
});
