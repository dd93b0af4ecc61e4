// Regressions of three bugs in wakeful/testing, each found by measuring it against published
// programs: scheduleArbitrary never steered past decision 10, pct's spin demotion broke its
// probability bound on long loops, and dfs called a program proved that a late event loop breaks.

import { expect } from "chai";
import fc from "fast-check";
import { sleep, yieldNow, type Runtime } from "../../lib/index";
import { check, explore, pct, scheduleArbitrary, type ScheduleTest } from "../../lib/testing/index";
import { runOnce } from "../../lib/testing/run";
import { longLoop } from "./literature";

/**
 * A lost update that only the 20th decision point or later can cause: a "ticker" and t1 keep
 * the run busy first, then t1 spawns t2, and t2's read-modify-write races t1's.
 */
function lateRace(rt: Runtime): () => void {
  let balance = 0;
  function* deposit() {
    const b = balance;
    yield* yieldNow(); // audit
    balance = b + 10;
  }
  rt.spawn(function* ticker() {
    for (let i = 0; i < 12; i++) yield* yieldNow();
  }, { name: "ticker" });
  rt.spawn(function* t1() {
    for (let i = 0; i < 12; i++) yield* yieldNow(); // warm up beside the ticker
    rt.spawn(function* () {
      yield* yieldNow();
      yield* deposit();
    }, { name: "t2" });
    yield* deposit();
  }, { name: "t1" });
  return () => {
    if (balance !== 20) throw new Error(`lost update: balance ${balance}`);
  };
}

describe("regressions", () => {
  describe("scheduleArbitrary honours maxDecisions", () => {
    it("generates schedules longer than fast-check's default of 10 entries, up to maxDecisions", () => {
      const lengths = fc.sample(scheduleArbitrary(), { numRuns: 300, seed: 1 }).map((s) => s.choices.length);
      expect(Math.max(...lengths)).to.be.above(10).and.at.most(64);
      const short = fc.sample(scheduleArbitrary({ maxDecisions: 30 }), { numRuns: 300, seed: 1 }).map((s) => s.choices.length);
      expect(Math.max(...short)).to.be.above(10).and.at.most(30);
    });

    it("finds a bug that needs a deviation after decision 10, under fast-check's defaults", () => {
      // The bug needs its deviation late: FIFO-relative choices before decision 20 cannot cause it.
      expect(explore(lateRace, { strategy: "dfs", maxDeviations: 1 }).failure!.schedule.choices.length).to.be.above(20);
      for (let seed = 0; seed < 5; seed++) {
        const out = fc.check(fc.property(scheduleArbitrary(), (schedule) => check(lateRace, { replay: schedule, shrink: false })), { seed });
        expect(out.failed, `fast-check seed ${seed}`).to.equal(true);
      }
    });
  });

  describe("pct keeps its bound on long loops (the spin demotion no longer acts within the horizon)", () => {
    // longLoop(50): n = 2 tasks; one run finds the bug with probability ≥ 1/n at depth 1 and
    // ≥ 1/(n·k) at depth 2, k ≈ 51 decision points. Seeds are fixed, so the counts are too.
    const rate = (depth: number, runs: number) => {
      let found = 0;
      for (let seed = 0; seed < runs; seed++) {
        if (runOnce(longLoop(50), pct(seed, depth, { steps: 51, horizon: 53 }), 100_000, false).kind !== undefined) found++;
      }
      return found / runs;
    };

    it("depth 1: about half the runs (bound 1/2)", () => {
      expect(rate(1, 200)).to.be.at.least(0.4);
    });

    it("depth 2: at least the bound 1/(n·k) = 1/102", () => {
      expect(rate(2, 1000)).to.be.at.least(1 / 102);
    });

    it("the default check() finds it within 1,000 schedules", () => {
      const r = explore(longLoop(50), { runs: 1000 });
      expect(r.ok).to.equal(false);
      expect(r.failure!.error).to.match(/t2 ran after t1 had finished its loop/);
    });

    it("still breaks a spin-wait livelock past the horizon", () => {
      const spin: ScheduleTest = (rt) => {
        let flag = false;
        rt.spawn(function* waiter() {
          while (!flag) yield* yieldNow();
        }, { name: "waiter" });
        rt.spawn(function* setter() {
          yield* yieldNow();
          flag = true;
        }, { name: "setter" });
      };
      const r = explore(spin, { strategy: "pct", runs: 200, depth: 1, maxSteps: 2000 });
      expect(r.ok, r.failure?.report).to.equal(true);
    });
  });

  describe("dfs says what its proof covers, and can model a late event loop", () => {
    // A writes at t=10, B at t=11; the check expects B's value last. On time, B always runs
    // after A; a loop that wakes late fires both timers in one phase, and B may run first.
    const lateTimers: ScheduleTest = (rt) => {
      let last = "";
      rt.spawn(function* a() {
        yield* sleep(10);
        last = "a";
      }, { name: "a" });
      rt.spawn(function* b() {
        yield* sleep(11);
        last = "b";
      }, { name: "b" });
      return () => {
        if (last !== "b") throw new Error(`last write was ${last}, not b`);
      };
    };

    it("without timerWindow: exhausted, and `covered` says late loops are not covered", () => {
      const r = explore(lateTimers, { strategy: "dfs" });
      expect(r.ok).to.equal(true);
      expect(r.exhausted).to.equal(true);
      expect(r.covered).to.match(/timers fire one deadline at a time.*not covered: set timerWindow/);
    });

    it("with timerWindow: 1, dfs finds the bug, and the report names the late phase", () => {
      const r = explore(lateTimers, { strategy: "dfs", timerWindow: 1 });
      expect(r.ok).to.equal(false);
      expect(r.failure!.error).to.match(/last write was a/);
      expect(r.failure!.schedule.choices).to.deep.equal([0, 1, 1]);
      expect(r.failure!.report).to.match(/event loop late: timers due t=10…11 fire in one phase/);
    });

    it("with timerWindow: 1, a program that orders its writes is proved, and `covered` says so", () => {
      const ordered: ScheduleTest = (rt) => {
        let last = "";
        rt.spawn(function* a() {
          yield* sleep(10);
          last = "a";
        }, { name: "a" });
        rt.spawn(function* b() {
          yield* sleep(11);
          while (last !== "a") yield* sleep(1);
          last = "b";
        }, { name: "b" });
        return () => expect(last).to.equal("b");
      };
      const r = explore(ordered, { strategy: "dfs", timerWindow: 1 });
      expect(r.ok, r.failure?.report).to.equal(true);
      expect(r.exhausted).to.equal(true);
      expect(r.covered).to.match(/within 1 ms of each other fire either on time or together/);
    });
  });

  describe("host clocks and random numbers read inside an explored program are nondeterminism", () => {
    for (const [source, read] of [
      ["Date.now()", () => Date.now()],
      ["performance.now()", () => performance.now()],
      ["Math.random()", () => Math.random()],
    ] as const) {
      it(`${source}: reported by name, with the task that read it`, () => {
        const r = explore((rt) => {
          rt.spawn(function* cache() {
            yield* yieldNow();
            if (read() < 0) throw new Error("never");
          }, { name: "cache" });
        });
        expect(r.ok).to.equal(false);
        expect(r.failure!.kind).to.equal("nondeterminism");
        expect(String(r.failure!.error)).to.include(`${source} read by task #1 "cache"`);
      });
    }

    it("a failure that branches on Date.now() is reported as nondeterminism, not as a plain failure", () => {
      const r = explore((rt) => {
        rt.spawn(function* () {
          yield* yieldNow();
          if (Date.now() > 0) throw new Error("expired token");
        }, { name: "auth" });
      });
      expect(r.failure!.kind).to.equal("nondeterminism");
      expect(String(r.failure!.error)).to.match(/Date\.now\(\) read by task #1 "auth".*the run also failed: expired token/);
    });

    it("puts the originals back after every run", () => {
      const now = Date.now;
      explore((rt) => void rt.spawn(function* () {
        Date.now();
      }));
      expect(Date.now).to.equal(now);
    });
  });
});
