// The Runtime's ways of driving tasks: run(), runSync(), blockOn(), step(), and the free
// functions spawn() and current(); what each refuses, and what happens when they are misused.

import { expect } from "chai";
import { DeadlockError, Runtime, current, pending, run, runSync, shield, sleep, spawn, yieldNow } from "../../lib/index";
import { Gate, rejection, thrown, virtual } from "./helpers";

describe("runtime: driving tasks", () => {
  describe("blockOn", () => {
    it("spawns the body, drives until it finishes, and resolves with its value", async () => {
      const rt = virtual();
      const v = await rt.blockOn(function* () {
        yield* sleep(5);
        return "blocked on";
      });
      expect(v).to.equal("blocked on");
      expect(rt.now()).to.equal(5);
    });

    it("rejects with the body's error", async () => {
      const rt = virtual();
      const boom = new Error("blockOn body failed");
      const err = await rejection(
        rt.blockOn(function* () {
          throw boom;
        }),
      );
      expect(err).to.equal(boom);
    });

    it("leaves other tasks where they are when the body finishes", async () => {
      const rt = virtual();
      let other = "not finished";
      rt.spawn(function* () {
        yield* sleep(100);
        other = "finished";
      });
      await rt.blockOn(function* () {
        yield* sleep(1);
      });
      expect(other).to.equal("not finished");
      expect(rt.metrics.live).to.equal(1);
      await rt.run();
      expect(other).to.equal("finished");
    });

    it("works on a real clock", async () => {
      const rt = new Runtime();
      expect(
        await rt.blockOn(function* () {
          yield* sleep(2);
          return 1;
        }),
      ).to.equal(1);
    });

    // blockOn must refuse before it spawns: a body spawned anyway would run unobserved.
    it("does not run (and lose the error of) its body when the runtime is already running", async () => {
      const rt = new Runtime();
      rt.spawn(function* () {
        yield* sleep(20);
      });
      const running = rt.run();
      let ran = false;
      const refused = await rejection(
        rt.blockOn(function* () {
          ran = true;
          throw new Error("lost");
        }),
      );
      expect((refused as Error).message).to.include("already running");
      await running;
      expect(ran).to.equal(false);
    });
  });

  describe("run and runSync", () => {
    it("runSync on a real clock throws an error that says to use a virtual clock or run()", () => {
      const rt = new Runtime();
      rt.spawn(function* () {});
      const e = thrown(() => rt.runSync());
      expect((e as Error).message).to.include("virtual clock");
      expect((e as Error).message).to.include("run()");
    });

    it("refuses a second run() while the first is still going", async () => {
      const rt = new Runtime();
      rt.spawn(function* () {
        yield* sleep(5);
      });
      const first = rt.run();
      const err = await rejection(rt.run());
      expect((err as Error).message).to.include("already running");
      await first;
    });

    it("refuses to be driven from inside one of its own tasks", () => {
      const rt = virtual();
      let err: unknown;
      rt.spawn(function* () {
        try {
          rt.runSync();
        } catch (e) {
          err = e;
        }
      });
      rt.runSync();
      expect((err as Error).message).to.include("already running");
    });

    it("lets a task drive a different runtime synchronously, and restores its own context", () => {
      const outer = virtual();
      let innerValue: number | undefined;
      let outerRuntime: Runtime | undefined;
      outer.spawn(function* () {
        innerValue = runSync(function* () {
          yield* sleep(3);
          return 3;
        });
        outerRuntime = current();
        yield* sleep(1);
      });
      outer.runSync();
      expect(innerValue).to.equal(3);
      expect(outerRuntime).to.equal(outer);
    });

    it("resolves run() at once for a runtime with nothing to do", async () => {
      await new Runtime().run();
      new Runtime({ clock: "virtual" }).runSync();
    });

    it("runs a runtime again after it finished, for tasks spawned later", async () => {
      const rt = virtual();
      rt.spawn(function* () {
        yield* sleep(1);
      });
      rt.runSync();
      const h = rt.spawn(function* () {
        yield* sleep(1);
        return "again";
      });
      await rt.run();
      expect(await h).to.equal("again");
      expect(rt.now()).to.equal(2);
    });

    it("free run() and runSync() cancel what the main task leaves behind, running finally blocks", () => {
      const log: string[] = [];
      const v = runSync(function* () {
        spawn(function* () {
          try {
            yield* pending();
          } finally {
            yield* shield(sleep(2)); // a cancelled task cannot wait unless shielded (rule 8)
            log.push("cleaned");
          }
        });
        yield* yieldNow();
        return 1;
      });
      expect(v).to.equal(1);
      expect(log).to.deep.equal(["cleaned"]);
    });

    it("free run() on a real clock returns the main task's value", async () => {
      expect(
        await run(function* () {
          yield* sleep(1);
          return "real";
        }),
      ).to.equal("real");
    });
  });

  describe("spawn() and current() outside a task", () => {
    it("spawn() outside a task throws an error that says so", () => {
      const e = thrown(() => spawn(function* () {}));
      expect((e as Error).message).to.include("spawn()");
      expect((e as Error).message).to.include("outside a task");
    });

    it("current() outside a task throws an error that says so", () => {
      const e = thrown(() => current());
      expect((e as Error).message).to.include("current()");
      expect((e as Error).message).to.include("outside a task");
    });

    it("current() inside a task is the task's runtime, and spawn() spawns on it", () => {
      const rt = virtual();
      let seen: Runtime | undefined;
      rt.spawn(function* () {
        seen = current();
        yield* spawn(function* () {});
      });
      rt.runSync();
      expect(seen).to.equal(rt);
      expect(rt.metrics.spawned).to.equal(2);
    });
  });

  describe("step", () => {
    it("returns undefined when nothing is ready, and jumps a virtual clock to the next timer", () => {
      const rt = virtual();
      expect(rt.step()).to.equal(undefined);
      rt.spawn(function* () {
        yield* sleep(10);
      });
      expect(rt.step()?.kind).to.equal("park");
      const e = rt.step();
      expect(e?.kind).to.equal("complete");
      expect(e?.t).to.equal(10);
    });

    it("reports park, pending, complete, fail and cancel", () => {
      const rt = virtual({ onTaskError: () => {} });
      const gate = new Gate("g");
      rt.spawn(function* () {
        yield* gate;
      });
      rt.spawn(function* () {
        yield* yieldNow();
      });
      rt.spawn(function* () {
        throw new Error("x");
      });
      const c = rt.spawn(function* () {});
      c.abort();
      expect([rt.step(), rt.step(), rt.step(), rt.step()].map((e) => e?.kind)).to.deep.equal(["park", "pending", "fail", "cancel"]);
      expect(rt.step()?.kind).to.equal("complete");
      gate.open();
      expect(rt.step()?.kind).to.equal("complete");
      rt.runSync();
    });

    it("refuses to step while the runtime is running (inside a task)", () => {
      const rt = virtual();
      let err: unknown;
      rt.spawn(function* () {
        try {
          rt.step();
        } catch (e) {
          err = e;
        }
      });
      rt.runSync();
      expect((err as Error).message).to.include("step()");
    });

    it("refuses to step while run() is awaiting", async () => {
      const rt = new Runtime();
      rt.spawn(function* () {
        yield* sleep(5);
      });
      const running = rt.run();
      await new Promise((r) => setImmediate(r));
      expect(() => rt.step()).to.throw(/step\(\)/);
      await running;
    });

    it("keeps a failure seen only through step() for the next run to report", () => {
      const rt = virtual();
      const boom = new Error("stepped failure");
      rt.spawn(function* () {
        throw boom;
      });
      expect(rt.step()?.kind).to.equal("fail");
      expect(thrown(() => rt.runSync())).to.equal(boom);
    });
  });

  describe("re-entrancy and host errors", () => {
    // A host error escaping a step must not leave currentTask() set or the runtime marked driving.
    it("leaves no task marked as running after a trace sink throws", () => {
      const rt = virtual({
        trace: (e) => {
          if (e.kind === "poll") throw new Error("sink failed");
        },
      });
      rt.spawn(function* () {
        yield* sleep(1);
      });
      expect(() => rt.runSync()).to.throw("sink failed");
      expect(() => spawn(function* () {})).to.throw(/outside a task/);
    });

    // A malformed IteratorResult is the task's error, not the driver's.
    it("fails a task whose iterator returns a non-object, instead of crashing the driver", () => {
      const rt = virtual({ onTaskError: () => {} });
      const h = rt.spawn({ next: () => undefined } as never);
      rt.runSync();
      expect(h.finished).to.equal(true);
      expect(rt.metrics.failed).to.equal(1);
    });
  });

  it("DeadlockError is exported and named", () => {
    expect(new DeadlockError([], 0).name).to.equal("DeadlockError");
  });
});
