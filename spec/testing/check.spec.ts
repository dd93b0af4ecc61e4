// check(): explore, and throw a CounterexampleError whose message alone explains and replays
// the failure: the error, the replay token, the shrunk schedule, the deviations, the timeline.

import { expect } from "chai";
import { check, CounterexampleError, explore } from "../../lib/testing/index";
import { lostUpdate, philosophers } from "./bugs";
import { thrown } from "./helpers";

describe("check()", () => {
  it("returns quietly when every schedule passes", () => {
    check(lostUpdate.fixed, { strategy: "dfs" });
    check(lostUpdate.fixed, { strategy: "pct", runs: 200 });
  });

  it("throws a CounterexampleError whose message holds the error, the token, the shrunk schedule and the timeline", () => {
    const e = thrown(() => check(lostUpdate.buggy)) as CounterexampleError;
    expect(e).to.be.instanceOf(CounterexampleError);
    expect(e.name).to.equal("CounterexampleError");
    const m = e.message;
    expect(m).to.match(lostUpdate.error);
    expect(m).to.include('replay("w1:1")');
    expect(m).to.include("check(test, { replay: \"w1:1\" })");
    expect(m).to.include("{ choices: [1] }: 1 deviation from FIFO");
    expect(m).to.include('decision 0 at t=0: ran #2 "deposit 20" instead of #1 "deposit 10"');
    expect(m).to.include("timeline:").and.include("#1 deposit 10").and.include("#2 deposit 20");
    expect(e.cause).to.equal(e.failure.error);
    expect(e.failure.token).to.equal("w1:1");
  });

  it("replays one schedule with { replay }, without exploring or shrinking", () => {
    const e = thrown(() => check(lostUpdate.buggy, { replay: "w1:1" })) as CounterexampleError;
    expect(e.failure.token).to.equal("w1:1");
    expect(e.message).to.include("(replayed)");
    check(lostUpdate.buggy, { replay: "w1:" }); // FIFO passes
  });

  it("explains a deadlock with its wait-for cycle", () => {
    const e = thrown(() => check(philosophers.buggy)) as CounterexampleError;
    expect(e.message).to.include("a schedule deadlocks");
    expect(e.message).to.include('wait-for cycle: #1 "philosopher 0" → #2 "philosopher 1" → #3 "philosopher 2" → #1 "philosopher 0"');
  });

  it("says how the failure was found and how far it was shrunk", () => {
    const r = explore(lostUpdate.buggy, { strategy: "random", seed: 4 });
    expect(r.failure!.report).to.match(/\(random, seed 4, schedule \d+ of 1000; shrunk from \d+ to 1 deviation in \d+ runs; minimal/);
  });
});
