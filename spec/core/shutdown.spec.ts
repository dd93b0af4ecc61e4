// rt.shutdown(): cancel every task. Their finally blocks run: what is ready runs at once, and
// shielded cleanup that waits finishes during the next run()/runSync().

import { expect } from "chai";
import { Runtime, pending, shield, sleep } from "../../lib/index";
import { stepAll, virtual } from "./helpers";

describe("shutdown", () => {
  it("cancels every task and runs their finally blocks at once when they do not wait", () => {
    const rt = virtual();
    const log: number[] = [];
    for (let i = 0; i < 5; i++) {
      rt.spawn(function* () {
        try {
          yield* pending();
        } finally {
          log.push(i);
        }
      });
    }
    stepAll(rt);
    rt.shutdown();
    expect(log).to.deep.equal([0, 1, 2, 3, 4]);
    expect(rt.metrics.cancelled).to.equal(5);
    expect(rt.metrics.live).to.equal(0);
  });

  it("finishes shielded cleanup that waits during the next runSync()", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      try {
        yield* pending();
      } finally {
        yield* shield(sleep(7)); // a cancelled task cannot wait unless shielded (rule 8)
        log.push("slow cleanup done");
      }
    });
    stepAll(rt);
    rt.shutdown();
    expect(log).to.deep.equal([]);
    expect(rt.metrics.live).to.equal(1);
    rt.runSync();
    expect(log).to.deep.equal(["slow cleanup done"]);
    expect(rt.now()).to.equal(7);
    expect(rt.metrics.cancelled).to.equal(1);
  });

  it("cancels tasks that never started without running their bodies", () => {
    const rt = virtual();
    let ran = false;
    rt.spawn(function* () {
      ran = true;
    });
    rt.shutdown();
    expect(ran).to.equal(false);
    expect(rt.metrics.cancelled).to.equal(1);
  });

  it("ends a real-clock run() early when called from outside while it waits", async () => {
    const rt = new Runtime();
    const log: string[] = [];
    rt.spawn(function* () {
      try {
        yield* sleep(10_000);
      } finally {
        log.push("finally");
      }
    });
    const running = rt.run();
    setTimeout(() => rt.shutdown(), 5);
    const t0 = Date.now();
    await running;
    expect(Date.now() - t0).to.be.below(5_000);
    expect(log).to.deep.equal(["finally"]);
    expect(rt.metrics.timers).to.equal(0);
  });

  it("can be called from inside a task: every task, the caller included, unwinds", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      try {
        yield* pending();
      } finally {
        log.push("other");
      }
    });
    rt.spawn(function* () {
      try {
        yield* sleep(1);
        rt.shutdown();
        log.push("caller goes on until its next yield");
        yield* sleep(1);
        log.push("never");
      } finally {
        log.push("caller");
      }
    });
    rt.runSync();
    // The caller's own cancellation arrives at its next yield, in the same step.
    expect(log).to.deep.equal(["caller goes on until its next yield", "caller", "other"]);
    expect(rt.metrics.cancelled).to.equal(2);
  });

  it("leaves finished tasks' outcomes alone", async () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      return "kept";
    });
    rt.runSync();
    rt.shutdown();
    expect(await h).to.equal("kept");
    expect(rt.metrics.cancelled).to.equal(0);
  });
});
