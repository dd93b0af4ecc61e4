// explore(): strategies, the failure kinds it reports (errors, deadlocks, the step limit,
// nondeterminism, lost wakers), replay, progress, determinism and bad options.

import { expect } from "chai";
import { DeadlockError, Mutex, Poll, fromPromise, pollFn, sleep, yieldNow, type Waker } from "../../lib/index";
import {
  NondeterminismError,
  StepLimitError,
  decodeSchedule,
  explore,
  type ExploreOptions,
  type ExploreProgress,
  type ScheduleTest,
} from "../../lib/testing/index";
import { lostUpdate } from "./bugs";
import { thrown, yielders } from "./helpers";

/** Passes only under FIFO: b must take its second step before a's second. */
const failsOffFifo: ScheduleTest = (rt) => {
  const log: string[] = [];
  yielders(["a", "b"], 1, log)(rt);
  return () => {
    if (log.join("") !== "abab") throw new Error(`order ${log.join("")}`);
  };
};

describe("explore()", () => {
  describe("strategies", () => {
    it("runs FIFO first: a test that fails under FIFO fails at schedule 1 with the empty schedule", () => {
      const r = explore((rt) => {
        const log: string[] = [];
        yielders(["a", "b"], 1, log)(rt);
        return () => {
          if (log.join("") === "abab") throw new Error("FIFO order");
        };
      });
      expect(r.ok).to.equal(false);
      expect(r.schedules).to.equal(1);
      expect(r.failure?.schedule).to.deep.equal({ choices: [] });
      expect(r.failure?.token).to.equal("w1:");
      expect(r.failure?.report).to.include("plain FIFO");
    });

    for (const strategy of ["random", "pct", "dfs"] as const) {
      it(`${strategy}: finds a failure that needs one deviation and shrinks it to that deviation`, () => {
        const r = explore(failsOffFifo, { strategy, runs: 200 });
        expect(r.ok).to.equal(false);
        expect(r.failure?.schedule).to.deep.equal({ choices: [1] });
        expect(r.failure?.error).to.be.instanceOf(Error);
      });
    }

    it("random and pct try exactly `runs` schedules when nothing fails", () => {
      const ok: ScheduleTest = yielders(["a", "b", "c"], 2, []);
      for (const strategy of ["random", "pct"] as const) {
        const r = explore(ok, { strategy, runs: 37 });
        expect(r).to.include({ ok: true, schedules: 37, exhausted: false, strategy });
      }
    });

    it("dfs enumerates every interleaving exactly once and says it covered them all", () => {
      // Two tasks of 3 steps each, both always ready: C(6, 3) = 20 interleavings.
      const seen = new Set<string>();
      let runs = 0;
      const r = explore(
        (rt) => {
          const log: string[] = [];
          runs++;
          yielders(["a", "b"], 2, log)(rt);
          return () => void seen.add(log.join(""));
        },
        { strategy: "dfs" },
      );
      expect(r).to.include({ ok: true, exhausted: true, schedules: 20 });
      expect(runs).to.equal(20);
      expect(seen.size).to.equal(20);
    });

    it("dfs stops at `runs` and then does not claim to be exhausted", () => {
      const r = explore(yielders(["a", "b"], 2, []), { strategy: "dfs", runs: 5 });
      expect(r).to.include({ ok: true, exhausted: false, schedules: 5 });
    });

    it("dfs with maxDeviations covers only schedules within that many deviations", () => {
      const test = yielders(["a", "b"], 2, []);
      expect(explore(test, { strategy: "dfs", maxDeviations: 0 })).to.include({ exhausted: true, schedules: 1 });
      const one = explore(test, { strategy: "dfs", maxDeviations: 1 });
      expect(one.exhausted).to.equal(true);
      expect(one.schedules).to.be.greaterThan(1).and.lessThan(20);
    });

    it("is deterministic: the same options give the same schedules and the same failure", () => {
      for (const strategy of ["random", "pct"] as const) {
        const a = explore(lostUpdate.buggy, { strategy, seed: 11 });
        const b = explore(lostUpdate.buggy, { strategy, seed: 11 });
        expect(a.schedules).to.equal(b.schedules);
        expect(a.failure?.found.token).to.equal(b.failure?.found.token);
        expect(a.failure?.report).to.equal(b.failure?.report);
      }
    });

    it("reports the largest number of decision points a schedule met", () => {
      expect(explore(yielders(["a", "b"], 2, []), { runs: 3 }).maxDecisions).to.equal(5);
    });
  });

  describe("a failure", () => {
    it("carries the error, a token that decodes to the schedule, the steps, the timeline and the deviations", () => {
      const f = explore(lostUpdate.buggy).failure!;
      expect((f.error as Error).message).to.match(lostUpdate.error);
      expect(f.kind).to.equal("error");
      expect(decodeSchedule(f.token)).to.deep.equal(f.schedule);
      expect(f.steps).to.be.greaterThan(0);
      expect(f.timeline).to.include("deposit 10").and.include("deposit 20");
      expect(f.deviations).to.have.length(f.schedule.choices.filter((c) => c !== 0).length);
      expect(f.deviations[0]).to.include('ran #2 "deposit 20" instead of #1 "deposit 10"');
      expect(f.found.at).to.be.greaterThan(1);
    });

    it("replays from its token with the same error", () => {
      const f = explore(lostUpdate.buggy, { strategy: "random", seed: 5 }).failure!;
      const again = explore(lostUpdate.buggy, { replay: f.token });
      expect(again).to.include({ ok: false, schedules: 1, strategy: "replay" });
      expect((again.failure!.error as Error).message).to.equal((f.error as Error).message);
      expect(again.failure!.token).to.equal(f.token);
    });

    it("is left as found with shrink: false", () => {
      const f = explore(lostUpdate.buggy, { strategy: "random", shrink: false }).failure!;
      expect(f.schedule).to.deep.equal(f.found.schedule);
      expect(f.shrinkRuns).to.equal(1); // the run that checked it reproduces
    });

    it("comes from an error thrown by the test's setup", () => {
      const f = explore(() => {
        throw new RangeError("bad fixture");
      }).failure!;
      expect(f.kind).to.equal("error");
      expect(f.error).to.be.instanceOf(RangeError);
      expect(f.schedule).to.deep.equal({ choices: [] });
    });

    it("comes from a task error nobody joined, but not from one a joiner handled", () => {
      const unjoined = explore((rt) => {
        rt.spawn(function* () {
          yield* yieldNow();
          throw new Error("boom");
        }, { name: "worker" });
      });
      expect((unjoined.failure?.error as Error).message).to.equal("boom");
      const handled = explore((rt) => {
        const h = rt.spawn(function* () {
          yield* yieldNow();
          throw new Error("boom");
        });
        rt.spawn(function* () {
          try {
            yield* h;
          } catch {
            // handled
          }
        });
      });
      expect(handled.ok).to.equal(true);
    });

    it("gathers several unjoined task errors into an AggregateError", () => {
      const f = explore((rt) => {
        for (const name of ["x", "y"]) {
          rt.spawn(function* () {
            yield* yieldNow();
            throw new Error(name);
          });
        }
      }).failure!;
      expect(f.error).to.be.instanceOf(AggregateError);
      expect((f.error as AggregateError).errors.map((e: Error) => e.message)).to.deep.equal(["x", "y"]);
    });

    it("comes from the final check the test returns", () => {
      const f = explore(() => () => {
        throw new Error("final state is wrong");
      }).failure!;
      expect((f.error as Error).message).to.equal("final state is wrong");
    });

    it("refuses a test that returns something other than a check function", () => {
      const f = explore(() => 42 as unknown as void).failure!;
      expect(f.error).to.be.instanceOf(TypeError);
      expect((f.error as Error).message).to.include("42");
    });
  });

  describe("deadlocks", () => {
    it("are failures that name every parked task, what it waits on, and who holds the lock", () => {
      const f = explore((rt) => {
        const a = new Mutex(0, { name: "a" });
        const b = new Mutex(0, { name: "b" });
        rt.spawn(function* () {
          const g = yield* a.lock();
          yield* yieldNow();
          const h = yield* b.lock();
          h.release();
          g.release();
        }, { name: "left" });
        rt.spawn(function* () {
          const g = yield* b.lock();
          yield* yieldNow();
          const h = yield* a.lock();
          h.release();
          g.release();
        }, { name: "right" });
      }).failure!;
      expect(f.kind).to.equal("deadlock");
      expect(f.error).to.be.instanceOf(DeadlockError);
      expect(f.deadlock).to.equal(f.error);
      const tasks = (f.error as DeadlockError).tasks;
      expect(tasks.map((t) => t.name)).to.deep.equal(["left", "right"]);
      expect(tasks[0].waitsOn).to.include('"b"').and.include('held by task #2 "right"');
      expect(f.report).to.include('wait-for cycle: #1 "left" → #2 "right" → #1 "left"');
    });

    it("name a lost waker: a future that returned Pending without reading cx.waker", () => {
      const f = explore((rt) => {
        rt.spawn(function* () {
          yield* pollFn(function forgetful() {
            return Poll.pending; // never reads cx.waker: nothing can wake this task
          });
        }, { name: "forgetful reader" });
      }).failure!;
      expect(f.kind).to.equal("deadlock");
      expect((f.error as DeadlockError).tasks[0].lostWaker).to.equal(true);
      expect(f.report).to.include('lost waker: #1 "forgetful reader" waits on pollFn(forgetful)');
    });

    it("are reported beside a task error that caused them", () => {
      const f = explore((rt) => {
        const m = new Mutex(0, { name: "m" });
        rt.spawn(function* () {
          yield* m.lock(); // never released: the task fails while holding it
          yield* yieldNow();
          throw new Error("failed while holding the lock");
        }, { name: "holder" });
        rt.spawn(function* () {
          yield* yieldNow();
          yield* m.lock();
        }, { name: "waiter" });
      }).failure!;
      expect(f.kind).to.equal("error");
      expect((f.error as Error).message).to.equal("failed while holding the lock");
      expect(f.deadlock).to.be.instanceOf(DeadlockError);
      expect(f.report).to.include("and tasks were left deadlocked").and.include('"waiter"');
    });
  });

  describe("the step limit", () => {
    it("fails a livelock with a StepLimitError naming the tasks that keep running", () => {
      const f = explore(
        (rt) => {
          for (const me of [0, 1]) {
            rt.spawn(function* () {
              for (;;) {
                // Each politely hands the turn to the other: neither ever proceeds.
                yield* yieldNow();
              }
            }, { name: `polite ${me}` });
          }
        },
        { maxSteps: 500 },
      ).failure!;
      expect(f.kind).to.equal("maxSteps");
      expect(f.error).to.be.instanceOf(StepLimitError);
      expect((f.error as StepLimitError).maxSteps).to.equal(500);
      expect((f.error as StepLimitError).tasks.map((t) => t.name).sort()).to.deep.equal(["polite 0", "polite 1"]);
      expect(f.report).to.include("maxSteps = 500").and.include("yielded");
    });

    it("catches a spin-wait on a timer, which a virtual clock never reaches while the spinner runs", () => {
      const f = explore(
        (rt) => {
          let done = false;
          rt.spawn(function* () {
            yield* sleep(5);
            done = true;
          }, { name: "sleeper" });
          rt.spawn(function* () {
            while (!done) yield* yieldNow();
          }, { name: "spinner" });
        },
        { maxSteps: 300 },
      ).failure!;
      expect(f.kind).to.equal("maxSteps");
      expect((f.error as StepLimitError).tasks.map((t) => t.name)).to.deep.equal(["spinner"]);
    });
  });

  describe("nondeterminism", () => {
    it("is reported when tasks wait on a Promise, naming them, instead of being waited out", () => {
      const f = explore((rt) => {
        rt.spawn(function* () {
          yield* fromPromise(Promise.resolve(1));
        }, { name: "fetcher" });
      }).failure!;
      expect(f.kind).to.equal("nondeterminism");
      expect(f.error).to.be.instanceOf(NondeterminismError);
      expect((f.error as Error).message).to.include('"fetcher"').and.include("Promise");
    });

    it("is reported when a wake comes from outside the runtime's own steps", () => {
      const f = explore((rt) => {
        let waker: Waker | undefined;
        rt.spawn(function* () {
          yield* pollFn((cx) => {
            if (waker !== undefined) return Poll.ready(undefined);
            waker = cx.waker;
            return Poll.pending;
          });
        });
        rt.step(); // the setup drives the runtime itself, then wakes the task from outside
        waker!.wake();
      }).failure!;
      expect(f.kind).to.equal("nondeterminism");
      expect((f.error as Error).message).to.include("from outside the runtime");
    });

    it("is reported when a failing schedule passes on replay (state shared between runs)", () => {
      let run = 0;
      const f = explore(
        (rt) => {
          const mine = ++run;
          rt.spawn(function* () {
            yield* yieldNow();
            if (mine === 3) throw new Error("only the third run fails");
          });
          rt.spawn(function* () {
            yield* yieldNow();
          });
        },
        { strategy: "random" },
      ).failure!;
      expect(f.kind).to.equal("nondeterminism");
      expect((f.error as Error).message).to.include("replaying the same choices passed").and.include("only the third run fails");
    });

    it("is reported by dfs when the same prefix leads to different decisions", () => {
      let run = 0;
      const f = explore(
        (rt) => {
          const tasks = ++run === 2 ? 1 : 3; // the second run spawns fewer tasks
          yielders(["a", "b", "c"].slice(0, tasks), 1, [])(rt);
        },
        { strategy: "dfs" },
      ).failure!;
      expect(f.kind).to.equal("nondeterminism");
      expect((f.error as Error).message).to.include("dfs");
    });
  });

  describe("progress", () => {
    it("is reported every progressEvery schedules, and when a failure is found and shrunk", () => {
      const seen: ExploreProgress[] = [];
      explore(yielders(["a", "b"], 3, []), { strategy: "random", runs: 50, progressEvery: 10, onProgress: (p) => seen.push(p) });
      expect(seen.map((p) => p.schedules)).to.deep.equal([10, 20, 30, 40, 50]);
      expect(seen.every((p) => p.phase === "explore" && p.failures === 0)).to.equal(true);

      const during: ExploreProgress[] = [];
      explore(lostUpdate.buggy, { strategy: "random", progressEvery: 2, onProgress: (p) => during.push(p) });
      expect(during.some((p) => p.failures === 1 && p.phase === "explore")).to.equal(true);
      expect(during.some((p) => p.phase === "shrink" && p.shrinkRuns > 0)).to.equal(true);
    });
  });

  describe("bad options", () => {
    const refuses = (o: unknown, type: Function, word: string) => {
      const e = thrown(() => explore(() => undefined, o as ExploreOptions));
      expect(e).to.be.instanceOf(type);
      expect((e as Error).message).to.include(word);
    };
    it("refuses an unknown strategy", () => refuses({ strategy: "bfs" }, RangeError, '"bfs"'));
    it("refuses runs of 0", () => refuses({ runs: 0 }, RangeError, "runs"));
    it("refuses a fractional maxSteps", () => refuses({ maxSteps: 2.5 }, RangeError, "2.5"));
    it("refuses a seed that is not an integer", () => refuses({ seed: 0.5 }, TypeError, "0.5"));
    it("refuses a depth of 0", () => refuses({ depth: 0 }, RangeError, "depth"));
    it("refuses a malformed replay token", () => refuses({ replay: "w1:!" }, RangeError, '"!"'));
    it("refuses an onProgress that is not a function", () => refuses({ onProgress: 1 }, TypeError, "onProgress"));
    it("refuses a test that is not a function", () => {
      expect(thrown(() => explore(42 as unknown as ScheduleTest))).to.be.instanceOf(TypeError);
    });
  });
});
