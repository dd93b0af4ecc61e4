// The runtime lists a task only once it outlives its first step (a task that finishes in its
// first step never touches the list). Everything that needs every live task — shutdown(),
// deadlock reports, the live count — must still see each one: parked, waiting for its first
// turn, or running its first step.

import { expect } from "chai";
import { CancelledError, DeadlockError, Runtime, current, pending, sleep, spawn } from "../../lib/index";

describe("live tasks", () => {
  it("shutdown() cancels tasks that parked and tasks that never ran", () => {
    const rt = new Runtime({ clock: "virtual" });
    const parked = rt.spawn(pending());
    rt.step(); // `parked` runs its first step and parks
    const unstarted = rt.spawn(function* () {
      yield* sleep(1);
    });
    expect(rt.metrics.live).to.equal(2);
    rt.shutdown();
    expect(parked.finished && unstarted.finished).to.equal(true);
    expect(rt.metrics.live).to.equal(0);
  });

  it("shutdown() from a task in its first step reaches that task and the ones it spawned", () => {
    const rt = new Runtime({ clock: "virtual" });
    const log: string[] = [];
    let child: { finished: boolean } | undefined;
    const main = rt.spawn(function* () {
      child = spawn(pending());
      current().shutdown();
      try {
        yield* sleep(5);
        log.push("slept (must not happen)");
      } catch (error) {
        log.push(error instanceof CancelledError ? "cancelled at its yield" : String(error));
        throw error;
      }
    });
    rt.runSync();
    expect(log).to.deep.equal(["cancelled at its yield"]);
    expect(main.finished && child?.finished).to.equal(true);
    expect(rt.metrics.live).to.equal(0);
  });

  it("a deadlock report names every parked task, oldest first, and counts finished ones out", () => {
    const rt = new Runtime({ clock: "virtual" });
    for (let i = 0; i < 3; i++) rt.spawn(function* () {}, { name: `short${i}` }); // finish in their first step
    rt.spawn(pending(), { name: "a" });
    rt.spawn(
      function* () {
        yield* sleep(1);
        yield* pending();
      },
      { name: "b" },
    );
    let error: unknown;
    try {
      rt.runSync();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeadlockError);
    expect((error as DeadlockError).tasks.map((t) => t.name)).to.deep.equal(["a", "b"]);
    expect(rt.metrics.live).to.equal(2);
  });
});
