// Deadlock: on a virtual clock, when every task is parked and nothing can wake any of them,
// run()/runSync() fail with a DeadlockError that lists every parked task (id, name, what it
// waits on) and flags a future that returned Pending without reading cx.waker.

import { expect } from "chai";
import { DeadlockError, Poll, Runtime, pending, pollFn, runSync, sleep } from "../../lib/index";
import type { JoinHandle } from "../../lib/index";
import { rejection, thrown, virtual } from "./helpers";

/** Two tasks joining each other, one waiting forever, one with a lost waker, one sleeping and done. */
function deadlocked(rt: Runtime): JoinHandle<unknown>[] {
  const box: JoinHandle<unknown>[] = [];
  box.push(
    rt.spawn(
      function* () {
        yield* box[1] as JoinHandle<unknown>;
      },
      { name: "a" },
    ),
  );
  box.push(
    rt.spawn(
      function* () {
        yield* box[0] as JoinHandle<unknown>;
      },
      { name: "b" },
    ),
  );
  box.push(
    rt.spawn(function* () {
      yield* pending();
    }),
  );
  box.push(
    rt.spawn(
      function* () {
        yield* pollFn(function forgetful() {
          return Poll.pending; // never reads cx.waker: nothing can ever wake this task
        });
      },
      { name: "lost" },
    ),
  );
  rt.spawn(function* () {
    yield* sleep(5); // finishes: not part of the report
  });
  return box;
}

describe("deadlock detection", () => {
  it("throws DeadlockError from runSync listing every parked task with id, name and what it waits on", () => {
    const rt = virtual();
    const [a, b, p, lost] = deadlocked(rt) as JoinHandle<unknown>[];
    const e = thrown(() => rt.runSync()) as DeadlockError;
    expect(e).to.be.instanceOf(DeadlockError);
    expect(e.name).to.equal("DeadlockError");
    expect(e.at).to.equal(5);
    expect(e.tasks).to.deep.equal([
      { id: a.id, name: "a", waitsOn: `join task #${b.id} "b"`, lostWaker: false },
      { id: b.id, name: "b", waitsOn: `join task #${a.id} "a"`, lostWaker: false },
      { id: p.id, name: undefined, waitsOn: "pending() (never ready)", lostWaker: false },
      { id: lost.id, name: "lost", waitsOn: "pollFn(forgetful)", lostWaker: true },
    ]);
    expect(e.message).to.include("deadlock at t=5: 4 tasks are parked");
    expect(e.message).to.include(`task #${a.id} "a" waits on join task #${b.id} "b"`);
    expect(e.message).to.include(`task #${p.id} waits on pending() (never ready)`);
    expect(e.message).to.match(/"lost" waits on pollFn\(forgetful\) — its future returned Pending without reading cx.waker/);
  });

  it("rejects run() on a virtual clock the same way", async () => {
    const rt = virtual();
    deadlocked(rt);
    const e = await rejection(rt.run());
    expect(e).to.be.instanceOf(DeadlockError);
    expect((e as DeadlockError).tasks).to.have.length(4);
  });

  it("uses singular words for one parked task", () => {
    const e = thrown(() =>
      runSync(function* () {
        yield* pending();
      }),
    ) as DeadlockError;
    expect(e.message).to.include("1 task is parked");
    expect(e.tasks[0]?.name).to.equal("main");
  });

  it("does not call a wait on an armed timer a deadlock", () => {
    const rt = virtual();
    rt.spawn(function* () {
      yield* sleep(1e9);
    });
    rt.runSync();
    expect(rt.now()).to.equal(1e9);
  });

  it("rejects run() on a real clock when the host signals it has nothing left to run (beforeExit)", async () => {
    // Node emits beforeExit when its event loop is empty; mocha's own process never gets there,
    // so the signal is raised by hand once the runtime has gone idle.
    const rt = new Runtime();
    rt.spawn(
      function* () {
        yield* pending();
      },
      { name: "stuck" },
    );
    const running = rt.run();
    await new Promise((r) => setImmediate(r));
    process.emit("beforeExit", 0);
    const e = (await rejection(running)) as DeadlockError;
    expect(e).to.be.instanceOf(DeadlockError);
    expect(e.message).to.include("the host has nothing left that could wake it");
    expect(e.message).to.include('"stuck" waits on pending() (never ready)');
  });

  it("does not treat beforeExit as a deadlock while a timer is armed", async () => {
    const rt = new Runtime();
    rt.spawn(function* () {
      yield* sleep(5);
    });
    const running = rt.run();
    await new Promise((r) => setImmediate(r));
    process.emit("beforeExit", 0);
    await running;
    expect(rt.metrics.completed).to.equal(1);
  });
});
