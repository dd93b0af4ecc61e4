// Partial-order reduction: steps say what they touch, dfs runs one schedule per class of
// equivalent ones, and the reduction never loses a final state or a failure that full dfs finds.

import { expect } from "chai";
import fc from "fast-check";
import { Mutex, Runtime, captureYieldSites, step, yieldNow } from "../../lib/index";
import { explore, type ScheduleTest } from "../../lib/testing/index";
import { conflicts, endStep, startCollecting, stopCollecting, ALL } from "../../lib/footprint";
import { reorder } from "./literature";

/** A random program: each task runs a list of operations on registers 0–2, each its own step. */
type Op = { kind: "read" | "write" | "add"; reg: number };
function program(tasks: Op[][], finals: Set<string>): ScheduleTest {
  return (rt) => {
    const regs = [0, 0, 0];
    const seen: number[][] = tasks.map(() => []);
    tasks.forEach((ops, t) => {
      rt.spawn(function* () {
        for (const op of ops) {
          yield* step(`${op.kind} r${op.reg}`, `r${op.reg}`);
          if (op.kind === "read") seen[t].push(regs[op.reg]);
          else if (op.kind === "write") regs[op.reg] = t + 1;
          else regs[op.reg] += t + 1;
        }
      }, { name: `t${t}` });
    });
    return () => void finals.add(JSON.stringify([regs, seen]));
  };
}

const opArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom("read", "write", "add"), reg: fc.nat({ max: 2 }) }) as fc.Arbitrary<Op>;

describe("partial-order reduction", () => {
  it("footprints: undeclared code conflicts with everything, declared code with what it names", () => {
    expect(conflicts(ALL, new Set())).to.equal(true);
    expect(conflicts(new Set(["a"]), new Set(["b"]))).to.equal(false);
    expect(conflicts(new Set(["a", "b"]), new Set(["b"]))).to.equal(true);
    startCollecting();
    try {
      expect(endStep(1)).to.equal(ALL); // task 1 declared nothing
    } finally {
      stopCollecting();
    }
  });

  it("reaches every final state full dfs reaches, on random programs (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 }), (tasks) => {
        const full = new Set<string>();
        const reduced = new Set<string>();
        const a = explore(program(tasks, full), { strategy: "dfs", reduction: "none", runs: 100_000 });
        const b = explore(program(tasks, reduced), { strategy: "dfs", runs: 100_000 });
        expect(a.exhausted && b.exhausted).to.equal(true);
        expect([...reduced].sort()).to.deep.equal([...full].sort());
        expect(b.schedules).to.be.at.most(a.schedules);
      }),
      { numRuns: 100, seed: 12 },
    );
  });

  it("finds the failure full dfs finds (reorder_3)", () => {
    const r = explore(reorder(2, false), { strategy: "dfs" });
    expect(r.ok).to.equal(false);
    expect(String(r.failure!.error)).to.match(/reorder: checker saw/);
  });

  it("proves the fixed reorder_5 in 5! = 120 schedules, one per order of its five critical sections", () => {
    const r = explore(reorder(4, true), { strategy: "dfs", runs: 10_000 });
    expect(r.ok, r.failure?.report).to.equal(true);
    expect(r.exhausted).to.equal(true);
    expect(r.schedules).to.equal(120);
    expect(r.covered).to.match(/partial-order reduction/);
  });

  it("treats steps without a declaration as touching everything: no reduction, same count as full dfs", () => {
    const plain: ScheduleTest = (rt) => {
      for (const name of ["a", "b", "c"]) {
        rt.spawn(function* () {
          yield* yieldNow();
          yield* yieldNow();
        }, { name });
      }
    };
    const full = explore(plain, { strategy: "dfs", reduction: "none" });
    const reduced = explore(plain, { strategy: "dfs" });
    expect(reduced.schedules).to.equal(full.schedules);
  });

  it("locks report themselves: two tasks on two different mutexes commute", () => {
    const twoLocks: ScheduleTest = (rt) => {
      for (const name of ["a", "b"]) {
        const m = new Mutex(0, { name });
        rt.spawn(function* () {
          yield* step("start", name);
          for (let i = 0; i < 3; i++) {
            const g = yield* m.lock();
            g.value++;
            g.release();
            yield* step("next", name);
          }
        }, { name });
      }
    };
    const full = explore(twoLocks, { strategy: "dfs", reduction: "none" });
    const reduced = explore(twoLocks, { strategy: "dfs" });
    expect(full.schedules).to.be.above(10);
    expect(reduced.schedules).to.equal(1);
  });

  it("rejects a deviation bound with the reduction", () => {
    expect(() => explore(reorder(2, true), { strategy: "dfs", reduction: "dpor", maxDeviations: 1 })).to.throw(/cannot combine reduction "dpor" with maxDeviations/);
  });

  it("trace events carry a step's label, and its yield site when sites are captured", () => {
    const traced = (capture: boolean) => {
      const was = captureYieldSites(capture);
      try {
        const rt = new Runtime({ clock: "virtual", trace: true });
        rt.spawn(function* () {
          yield* step("write balance", "balance");
        });
        rt.runSync();
        return rt.trace.find((e) => e.kind === "poll" && e.stepLabel !== undefined)!;
      } finally {
        captureYieldSites(was);
      }
    };
    const off = traced(false);
    expect(off.stepLabel).to.equal("write balance");
    expect(off.site).to.equal(undefined);
    expect(traced(true).site).to.match(/reduction\.spec\.ts:\d+$/);
  });
});
