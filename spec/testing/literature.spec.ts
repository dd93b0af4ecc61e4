// The literature corpus (literature.ts), program by program: FIFO passes; the default check()
// finds the bug within 1,000 schedules and shrinks it to a schedule proved minimal in deviations
// from FIFO, reported with its preemption count; scheduleArbitrary finds it under fast-check's
// default settings; iterative preemption bounding finds it at its least bound; and dfs with
// partial-order reduction proves the fixed version in no more schedules than plain dfs.

import { expect } from "chai";
import fc from "fast-check";
import { check, CounterexampleError, explore, scheduleArbitrary } from "../../lib/testing/index";
import { programs } from "./literature";

/** Least preemptions each bug needs (what pb reports): CHESS's measure, beside FIFO deviations. */
const preemptionsNeeded: Record<string, number> = {
  account: 1,
  bluetooth_driver: 1,
  circular_buffer: 1,
  lazy01: 0,
  reorder_3: 1,
  reorder_5: 1,
  stack: 0,
  token_ring: 0,
  twostage: 1,
  wronglock: 1,
  "long loop (PCT figure, n = 50)": 0,
  "Treiber stack ABA": 1,
  "get-or-create across an await": 1,
  "emit before listen": 0,
  "lost update in a callback": 0,
};

/** Full dfs of these takes too long for a spec (see docs/TESTING.md for the counts). */
const fullDfsTooLong = new Set(["reorder_5"]);

describe("the literature corpus", () => {
  it("has at least twelve programs, seven of them from SCTBench", () => {
    expect(programs.length).to.be.at.least(12);
    expect(programs.filter((p) => p.source.startsWith("SCTBench")).length).to.be.at.least(7);
  });

  for (const p of programs) {
    describe(`${p.name} (${p.source})`, () => {
      it("passes under FIFO", () => {
        expect(explore(p.buggy, { replay: "w1:" }).ok).to.equal(true);
      });

      it("is found by the default check() within 1,000 schedules, shrunk, with its preemption count", () => {
        let error: unknown;
        try {
          check(p.buggy);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(CounterexampleError);
        const f = (error as CounterexampleError).failure;
        expect(f.found.at).to.be.at.most(1000);
        expect(String(f.error)).to.match(p.error);
        expect(f.report).to.match(/preemptions: \d+ /);
        if (p.name.startsWith("long loop")) {
          // 49 deviations: the search that proves minimality is exponential in them, and says so.
          expect(f.report).to.include("a local minimum");
        } else {
          expect(f.report).to.include("minimal: no smaller schedule fails this way");
        }
        expect(explore(p.buggy, { replay: f.preemptionToken }).ok).to.equal(false);
      });

      if (!p.name.startsWith("long loop")) {
        // The long loop needs 49 deviations in a row: a uniform pick of choices (what an
        // arbitrary generates, like a random walk) meets them with probability (7/8)^49.
        it("is found by scheduleArbitrary under fast-check's defaults", () => {
          const out = fc.check(fc.property(scheduleArbitrary(), (schedule) => check(p.buggy, { replay: schedule, shrink: false })), { seed: 1 });
          expect(out.failed).to.equal(true);
        });
      }

      it(`needs ${preemptionsNeeded[p.name]} preemption(s): iterative preemption bounding finds it there`, () => {
        const r = explore(p.buggy, { strategy: "pb", maxPreemptions: 3, shrink: false });
        expect(r.ok).to.equal(false);
        expect(r.failure!.found.preemptions).to.equal(preemptionsNeeded[p.name]);
      });

      it("is fixed: dfs with partial-order reduction proves it, in no more schedules than full dfs", function () {
        this.timeout(60_000);
        const reduced = explore(p.fixed, { strategy: "dfs", runs: 100_000 });
        expect(reduced.ok, reduced.failure?.report).to.equal(true);
        expect(reduced.exhausted).to.equal(true);
        if (fullDfsTooLong.has(p.name)) return;
        const full = explore(p.fixed, { strategy: "dfs", reduction: "none", runs: 100_000 });
        expect(full.ok && full.exhausted).to.equal(true);
        expect(reduced.schedules).to.be.at.most(full.schedules);
      });
    });
  }
});
