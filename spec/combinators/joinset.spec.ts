// JoinSet<T>: tasks joined in the order they finish; abortAll, shutdown, joinAll, and what
// disposing a set does to the tasks still in it.

import { expect } from "chai";
import { CancelledError, JoinSet, now, pending, sleep, spawn } from "../../lib/index";
import { Boom, outcome, virtual, worker } from "./helpers";

describe("JoinSet", () => {
  it("joinNext gives values in the order the tasks finish, then undefined once empty", () => {
    const log: string[] = [];
    const r = outcome(function* () {
      const set = new JoinSet<string>();
      set.spawn(worker(log, "c", { ms: 30 }));
      set.spawn(worker(log, "a", { ms: 10 }));
      set.spawn(worker(log, "b", { ms: 20 }));
      const got: unknown[] = [set.size];
      for (let v = (yield* set.joinNext())?.value; v !== undefined; v = (yield* set.joinNext())?.value) got.push(v, set.size);
      got.push((yield* set.joinNext())?.value);
      return got;
    });
    expect(r.value).to.deep.equal([3, "a", 2, "b", 1, "c", 0, undefined]);
  });

  it("joinNext throws a task's error (the same object) and the set goes on", () => {
    let boom: unknown;
    const r = outcome(function* () {
      const set = new JoinSet<string>();
      set.spawn(function* () {
        yield* sleep(1);
        throw (boom = new Boom("task"));
      });
      set.spawn(function* () {
        yield* sleep(2);
        return "after";
      });
      let caught: unknown;
      try {
        yield* set.joinNext();
      } catch (error) {
        caught = error;
      }
      return [caught === boom, (yield* set.joinNext())?.value, set.size];
    });
    expect(r.value).to.deep.equal([true, "after", 0]);
    expect(() => r.rt.runSync()).not.to.throw(); // the error was joined by the set, not left unobserved
  });

  it("tryJoinNext takes a finished task's value without waiting, or gives undefined", () => {
    const r = outcome(function* () {
      const set = new JoinSet<number>();
      set.spawn(function* () {
        yield* sleep(5);
        return 5;
      });
      const before = set.tryJoinNext()?.value;
      yield* sleep(6);
      return [before, set.tryJoinNext()?.value, set.tryJoinNext()?.value, set.size];
    });
    expect(r.value).to.deep.equal([undefined, 5, undefined, 0]);
  });

  it("joinAll waits for every task and gives their values in finishing order", () => {
    const log: string[] = [];
    const r = outcome(function* () {
      const set = new JoinSet<string>();
      set.spawn(worker(log, "slow", { ms: 9 }));
      set.spawn(worker(log, "fast", { ms: 1 }));
      const all = yield* set.joinAll();
      return [all, set.size];
    });
    expect(r.value).to.deep.equal([["fast", "slow"], 0]);
  });

  it("joinAll: the first error aborts the other tasks and is thrown once they have unwound", () => {
    const log: string[] = [];
    const r = outcome(function* () {
      const set = new JoinSet<string>();
      set.spawn(worker(log, "other", { ms: 50, cleanupMs: 2 }));
      set.spawn(worker(log, "bad", { ms: 3, fail: true }));
      try {
        yield* set.joinAll();
      } finally {
        log.push(`joinAll ended; ${set.size} left`);
      }
    });
    expect((r.error as Error).message).to.equal("bad failed");
    expect(r.at).to.equal(5);
    expect(log).to.deep.equal(["bad finally", "other finally", "other cleaned", "joinAll ended; 0 left"]);
  });

  it("abortAll cancels the tasks, which stay in the set until joined: joinNext then throws their CancelledError", () => {
    const log: string[] = [];
    const r = outcome(function* () {
      const set = new JoinSet<string>();
      set.spawn(worker(log, "x", { ms: 50 }));
      yield* sleep(1);
      set.abortAll();
      const size = set.size;
      let caught: unknown;
      try {
        yield* set.joinNext();
      } catch (error) {
        caught = error;
      }
      return [size, caught instanceof CancelledError, set.size];
    });
    expect(r.value).to.deep.equal([1, true, 0]);
    expect(log).to.deep.equal(["x finally"]);
  });

  it("shutdown aborts every task and waits until all have unwound; it throws what their cleanup threw", () => {
    const log: string[] = [];
    const cleanup = new Error("cleanup");
    const r = outcome(function* () {
      const set = new JoinSet<string>();
      set.spawn(worker(log, "a", { ms: 50, cleanupMs: 4, cleanupError: cleanup }));
      set.spawn(worker(log, "b", { ms: 1 }));
      yield* sleep(2); // b finished: its value is discarded by shutdown
      try {
        yield* set.shutdown();
      } finally {
        log.push(`shutdown ended at t=${now()}; ${set.size} left`);
      }
    });
    expect(r.error).to.equal(cleanup);
    expect(log).to.deep.equal(["b done", "b finally", "a finally", "a cleaned", "shutdown ended at t=6; 0 left"]);
  });

  it("wakes every task waiting on joinNext: two consumers share the outcomes", () => {
    const rt = virtual();
    const got: string[] = [];
    rt.spawn(function* () {
      const set = new JoinSet<string>();
      for (const [name, ms] of [["one", 3], ["two", 6]] as const) {
        set.spawn(function* () {
          yield* sleep(ms);
          return name;
        });
      }
      const consumer = function* (who: string) {
        const v = (yield* set.joinNext())?.value;
        got.push(`${who} got ${v}`);
      };
      const a = spawn(consumer("A"));
      const b = spawn(consumer("B"));
      yield* a;
      yield* b;
    });
    rt.runSync();
    expect(got).to.deep.equal(["A got one", "B got two"]);
  });

  describe("disposing (using set = new JoinSet())", () => {
    it("aborts every task still in the set when the block exits; they unwind in the background", () => {
      const log: string[] = [];
      const rt = virtual();
      rt.spawn(function* () {
        {
          using set = new JoinSet<string>();
          set.spawn(worker(log, "left behind", { ms: 100, cleanupMs: 5 }));
          set.spawn(worker(log, "taken", { ms: 1 }));
          log.push(`took ${(yield* set.joinNext())?.value}`);
        }
        log.push(`block exited at t=${rt.now()}`);
        yield* sleep(10);
      });
      rt.runSync();
      expect(log).to.deep.equal(["taken done", "taken finally", "took taken", "block exited at t=1", "left behind finally", "left behind cleaned"]);
      expect(rt.metrics.live).to.equal(0);
    });

    it("throws from the dispose the errors of tasks that had failed but were never joined", () => {
      const log: string[] = [];
      const r = outcome(function* () {
        using set = new JoinSet<string>();
        set.spawn(worker(log, "failed", { ms: 1, fail: true }));
        yield* sleep(5);
      });
      expect((r.error as Error).message).to.equal("failed failed");
    });

    it("hands an error thrown by a disposed task's cleanup to the runtime, like a detached task's failure", () => {
      const log: string[] = [];
      const cleanup = new Error("cleanup after dispose");
      const rt = virtual();
      rt.spawn(function* () {
        const set = new JoinSet<string>();
        set.spawn(worker(log, "w", { ms: 100, cleanupMs: 2, cleanupError: cleanup }));
        yield* sleep(1);
        set[Symbol.dispose]();
        expect(set.size).to.equal(0);
        yield* sleep(10);
      });
      let reported: unknown;
      try {
        rt.runSync();
      } catch (error) {
        reported = error;
      }
      expect(reported).to.equal(cleanup);
    });

    it("leaves the set empty and reusable", () => {
      const r = outcome(function* () {
        const set = new JoinSet<number>();
        set.spawn(pending());
        set[Symbol.dispose]();
        set.spawn(function* () {
          return 7;
        });
        return [(yield* set.joinNext())?.value, (yield* set.joinNext())?.value];
      });
      expect(r.value).to.deep.equal([7, undefined]);
    });
  });

  it("refuses a joinNext future polled again after it completed (it would take a second task's outcome)", () => {
    const r = outcome(function* () {
      const set = new JoinSet<number>();
      set.spawn(function* () {
        return 1;
      });
      set.spawn(function* () {
        return 2;
      });
      const next = set.joinNext();
      yield* next;
      yield* next;
    });
    expect((r.error as Error).message).to.match(/joinNext on JoinSet#\d+ of 1 task was polled again after it completed/);
  });

  it("describes what joinNext waits on for deadlock reports", () => {
    const rt = virtual();
    rt.spawn(function* () {
      const set = new JoinSet<never>();
      set.spawn(pending());
      yield* set.joinNext();
    });
    expect(() => rt.runSync()).to.throw(/waits on joinNext on JoinSet#\d+ of 1 task/);
  });

  it("refuses a spawn from a task of another runtime", () => {
    const set = new JoinSet<number>();
    const first = virtual();
    first.spawn(function* () {
      set.spawn(function* () {
        return 1;
      });
    });
    first.runSync();
    const other = virtual();
    let error: unknown;
    other.spawn(function* () {
      try {
        set.spawn(function* () {
          return 2;
        });
      } catch (e) {
        error = e;
      }
    });
    other.runSync();
    expect((error as Error).message).to.equal("JoinSet.spawn(): this set's tasks run on another runtime than the calling task's");
  });

  it("rejects a body that is not one, and a spawn outside any task", () => {
    const set = new JoinSet<number>();
    expect(() => set.spawn(3 as never)).to.throw(TypeError, /JoinSet.spawn\(\) needs a generator function, an operation or a future, not 3/);
    expect(() => set.spawn(function* () {
      return 1;
    })).to.throw(/JoinSet.spawn\(\) must be used inside a wakeful task/);
  });
});
