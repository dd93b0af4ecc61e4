// The bar, bug by bug: classic concurrency bugs that plain FIFO does not show. For each,
// pct and random find it within 1,000 schedules, the failure shrinks to its minimal schedule
// (and no schedule with fewer deviations fails: a bounded dfs proves it), the token replays the
// same error, and the fixed program passes an exhaustive dfs.

import { expect } from "chai";
import { explore } from "../../lib/testing/index";
import * as corpus from "./bugs";

const bugs: corpus.Bug[] = [
  corpus.lostUpdate,
  corpus.checkThenAct,
  corpus.tornRead,
  corpus.timerTie,
  corpus.lockOrder,
  corpus.wrongLock,
  corpus.philosophers,
  corpus.handshake,
];

/** The error's message, with lock and channel ids masked: sync primitives number themselves per process, not per run. */
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/(Mutex|channel)#\d+/g, "$1#…");
const deviations = (choices: readonly number[]) => choices.filter((c) => c !== 0).length;

describe("the bug corpus", () => {
  for (const bug of bugs) {
    describe(bug.name, () => {
      it("passes under plain FIFO", () => {
        expect(explore(bug.buggy, { replay: { choices: [] } }).ok).to.equal(true);
      });

      for (const strategy of ["pct", "random"] as const) {
        it(`is found by ${strategy} within 1,000 schedules and shrunk to ${JSON.stringify(bug.minimal.choices)}`, () => {
          const r = explore(bug.buggy, { strategy, runs: 1000 });
          expect(r.ok).to.equal(false);
          expect(r.schedules).to.be.at.most(1000);
          const f = r.failure!;
          expect(message(f.error)).to.match(bug.error);
          expect(f.schedule).to.deep.equal(bug.minimal);
          expect(f.report).to.include("minimal: no smaller schedule fails this way");
        });
      }

      it("needs that many deviations: every schedule with fewer passes", () => {
        const fewer = deviations(bug.minimal.choices) - 1;
        const r = explore(bug.buggy, { strategy: "dfs", maxDeviations: fewer, runs: 100_000 });
        expect(r.ok, r.failure?.report).to.equal(true);
        expect(r.exhausted).to.equal(true);
      });

      it("replays from its token with the same error", () => {
        const f = explore(bug.buggy, { strategy: "random", seed: 99 }).failure!;
        const again = explore(bug.buggy, { replay: f.token });
        expect(again.ok).to.equal(false);
        expect(message(again.failure!.error)).to.equal(message(f.error));
      });

      it("is fixed: the fixed program passes every schedule (exhaustive dfs)", () => {
        const r = explore(bug.fixed, { strategy: "dfs", runs: 100_000 });
        expect(r.ok, r.failure?.report).to.equal(true);
        expect(r.exhausted).to.equal(true);
      });
    });
  }

  it("reports the same shrunk schedule whichever strategy and seed found the bug", () => {
    for (const bug of [corpus.philosophers, corpus.handshake]) {
      const tokens = new Set<string>();
      for (let seed = 0; seed < 6; seed++) {
        for (const strategy of ["pct", "random"] as const) tokens.add(explore(bug.buggy, { strategy, seed }).failure!.token);
      }
      expect([...tokens], bug.name).to.have.length(1);
    }
  });
});
