// Driver rule 6: spawn queues a task and does not run it; with the default scheduler, tasks run
// in the order they became ready (FIFO), one poll step at a time.

import { expect } from "chai";
import { spawn, yieldNow } from "../../lib/index";
import { stepAll, virtual } from "./helpers";

describe("rule 6: spawn queues, and ready tasks run in FIFO order", () => {
  it("does not run a spawned task's body until the runtime is driven", () => {
    const rt = virtual();
    let started = false;
    const h = rt.spawn(function* () {
      started = true;
    });
    expect(started).to.equal(false);
    expect(h.finished).to.equal(false);
    expect(rt.metrics.ready).to.equal(1);
    rt.step();
    expect(started).to.equal(true);
  });

  it("first polls tasks in the order they were spawned", () => {
    const rt = virtual();
    const log: number[] = [];
    for (let i = 0; i < 10; i++) {
      rt.spawn(function* () {
        log.push(i);
      });
    }
    rt.runSync();
    expect(log).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("does not run a child spawned inside a task until the parent's step ends", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      log.push("parent starts");
      spawn(function* () {
        log.push("child");
      });
      log.push("parent still running");
      yield* yieldNow();
      log.push("parent resumes");
    });
    rt.spawn(function* () {
      log.push("sibling spawned earlier than the child");
    });
    rt.runSync();
    expect(log).to.deep.equal([
      "parent starts",
      "parent still running",
      "sibling spawned earlier than the child",
      "child",
      "parent resumes",
    ]);
  });

  it("interleaves ready tasks one step at a time, round-robin", () => {
    const rt = virtual();
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) {
      rt.spawn(function* () {
        for (let i = 0; i < 3; i++) {
          log.push(`${name}${i}`);
          yield* yieldNow();
        }
      });
    }
    const events = stepAll(rt);
    expect(log.join(" ")).to.equal("a0 b0 c0 a1 b1 c1 a2 b2 c2");
    expect(events.filter((e) => e.kind === "complete").map((e) => e.task)).to.deep.equal([1, 2, 3]);
  });

  it("gives tasks ids in spawn order", () => {
    const rt = virtual();
    const ids = [rt.spawn(function* () {}), rt.spawn(function* () {}), rt.spawn(function* () {})].map((h) => h.id);
    expect(ids).to.deep.equal([ids[0], (ids[0] as number) + 1, (ids[0] as number) + 2]);
    rt.runSync();
  });
});
