// Preemption bounding: the non-preemptive baseline, p1: tokens, iterative bounds as in CHESS,
// and every counterexample reported in both measures (FIFO deviations and preemptions).

import { expect } from "chai";
import { yieldNow } from "../../lib/index";
import { decodePreemptions, encodePreemptions, explore, replay, type ScheduleTest } from "../../lib/testing/index";
import { runOnce } from "../../lib/testing/run";
import { PreemptionReplay } from "../../lib/testing/preemption";
import { lostUpdate, philosophers } from "./bugs";
import { longLoop } from "./literature";
import { thrown } from "./helpers";

/** Two tasks of three steps each, logging their steps. */
const pair = (log: string[]): ScheduleTest => (rt) => {
  for (const name of ["a", "b"]) {
    rt.spawn(function* () {
      for (let i = 0; i < 3; i++) {
        log.push(name);
        yield* yieldNow();
      }
    }, { name });
  }
};

describe("preemption bounding", () => {
  it("p1: tokens round-trip and reject other formats by name", () => {
    expect(encodePreemptions({ choices: [0, 0, 1, 0] })).to.equal("p1:001");
    expect(decodePreemptions("p1:_6_2").choices).to.deep.equal([0, 0, 0, 0, 0, 0, 2]);
    expect(String(thrown(() => decodePreemptions("p2:1")))).to.match(/format p2.*reads p1:/);
    expect(String(thrown(() => decodePreemptions("w1:1")))).to.match(/these tokens start with "p1:"/);
  });

  it("the baseline keeps the last task running while it is ready (a yield is not a switch)", () => {
    const log: string[] = [];
    const o = runOnce(pair(log), new PreemptionReplay({ choices: [] }), 100, false);
    expect(log.join("")).to.equal("aaabbb");
    expect(o.preemptions).to.equal(0);
  });

  it("one p1 choice is one preemption: it runs the other task while the last is still ready", () => {
    const log: string[] = [];
    const o = runOnce(pair(log), new PreemptionReplay({ choices: [0, 1] }), 100, false);
    expect(log.join("")).to.equal("abbbaa"); // decision 0 has no last task: FIFO; decision 1 preempts a
    expect(o.preemptions).to.equal(1);
    // FIFO itself preempts at every alternation in this measure.
    const fifo: string[] = [];
    const f = runOnce(pair(fifo), replay({ choices: [] }), 100, false);
    expect(fifo.join("")).to.equal("ababab");
    expect(f.preemptions).to.equal(6); // decisions 1 to 6 each switch away from a ready task
  });

  it("finds a bug at the least bound that shows it, and reports both measures", () => {
    const r = explore(lostUpdate.buggy, { strategy: "pb" });
    expect(r.ok).to.equal(false);
    const f = r.failure!;
    expect(f.found.preemptions).to.equal(1); // bound 0 passed, bound 1 failed
    expect(f.schedule).to.deep.equal(lostUpdate.minimal); // shrunk in FIFO deviations, as always
    expect(f.preemptions).to.equal(3); // the FIFO-minimal schedule alternates: 3 switches from a ready task
    expect(f.report).to.match(/preemptions: 3 .* replay\("p1:[0-9a-z_.]*"\)/);
    const again = explore(lostUpdate.buggy, { replay: f.preemptionToken });
    expect(again.ok).to.equal(false);
    expect(String(again.failure!.error)).to.equal(String(f.error));
  });

  it("needs no preemption for the long-loop bug that costs 49 deviations from FIFO", () => {
    const r = explore(longLoop(50), { strategy: "pb", shrink: false });
    expect(r.schedules).to.equal(1);
    expect(r.failure!.found.preemptions).to.equal(0);
    expect(r.failure!.schedule.choices.filter((c) => c !== 0).length).to.be.at.least(49);
  });

  it("exhausts a bound and says so; dining philosophers need 1 preemption and are fixed by a lock order", () => {
    const found = explore(philosophers.buggy, { strategy: "pb", maxPreemptions: 2 });
    expect(found.failure!.found.preemptions).to.equal(1);
    const proved = explore(philosophers.fixed, { strategy: "pb", maxPreemptions: 2 });
    expect(proved.ok).to.equal(true);
    expect(proved.exhausted).to.equal(true);
    expect(proved.covered).to.match(/every schedule with at most 2 preemptions/);
  });
});
