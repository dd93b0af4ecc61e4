// Issue 9, case 1. A race/select that finds one branch ready at once drops the other branches
// without ever having polled them. When such a branch is a future another task already waits on
// (a JoinHandle, a shared sleep deadline, a fromPromise), that drop must not touch the other
// task's registration: `drop(cx)` removes only the registration made with that cx, and a waiter
// that never polled has none.
//
// How it failed before Core v2: `drop()` did not know who dropped, so the race's drop cleared the
// only waker the future kept. The waiting task W was never woken: runSync()/run() on a virtual
// clock failed with "DeadlockError: deadlock at t=10: 1 task is parked and nothing can wake them"
// (t=1 for the sleep, t=0 for the promise), a real clock hung, and `await handle` from async code
// never settled although the task had finished.

import { expect } from "chai";
import { Poll, Runtime, channel, fromPromise, race, select, sleep } from "../../../lib/index";
import type { Context, Future, JoinHandle, Waker } from "../../../lib/index";
import { within } from "./helpers";

/** A waker that only counts its wakes (a hand-made context, as the tutorial builds them). */
function countingContext(): { cx: Context; wakes: () => number } {
  let n = 0;
  const waker: Waker = {
    wake: () => void n++,
    wakeByRef: () => void n++,
    clone: () => waker,
    willWake: (other) => other === waker,
  };
  return { cx: { waker }, wakes: () => n };
}

/** Task R: after `delay` ms, make `rx.recv()` ready and race it against `shared` (never polled). */
function racer<T>(rt: Runtime, shared: Future<T>, how: "race" | "select", delay = 1): JoinHandle<string> {
  const [tx, rx] = channel<number>();
  return rt.spawn(
    function* () {
      if (delay > 0) yield* sleep(delay);
      tx.trySend(1);
      if (how === "race") {
        const won = yield* race(rx.recv(), shared);
        return `race won by ${String(won)}`;
      }
      const won = yield* select({ recv: rx.recv(), shared });
      return `select won by ${won.key}`;
    },
    { name: "R" },
  );
}

describe("Core v2 · case 1: a race that drops a future it never polled leaves the other waiters woken", () => {
  for (const how of ["race", "select"] as const) {
    describe(`with ${how}`, () => {
      it("wakes a task that joins the same JoinHandle", () => {
        const rt = new Runtime({ clock: "virtual" });
        const t = rt.spawn(function* () {
          yield* sleep(10);
          return 7;
        }, { name: "T" });
        const w = rt.spawn(function* () {
          return yield* t;
        }, { name: "W" });
        const r = racer(rt, t, how);
        rt.runSync(); // before: DeadlockError at t=10, W parked on T
        expect(w.finished).to.equal(true);
        expect(r.finished).to.equal(true);
        expect(rt.now()).to.equal(10);
        expect(rt.metrics.completed).to.equal(3);
      });

      it("wakes a task that waits on the same sleep deadline", () => {
        const rt = new Runtime({ clock: "virtual" });
        const shared = sleep(10);
        const log: string[] = [];
        rt.spawn(function* () {
          yield* shared;
          log.push(`W woke at ${rt.now()}`);
        }, { name: "W" });
        racer(rt, shared, how);
        rt.runSync(); // before: DeadlockError at t=1 (the race disarmed the shared timer)
        expect(log).to.deep.equal(["W woke at 10"]);
      });

      it("wakes a task that waits on the same fromPromise", async () => {
        const rt = new Runtime({ clock: "virtual" });
        const shared = fromPromise(Promise.resolve(3));
        const seen: number[] = [];
        rt.spawn(function* () {
          seen.push(yield* shared);
        }, { name: "W" });
        racer(rt, shared, how, 0);
        const outcome = await within(rt.run(), 2_000); // before: rejected with DeadlockError at t=0
        expect(outcome).to.deep.equal({ value: undefined });
        expect(seen).to.deep.equal([3]);
      });
    });
  }

  it("wakes the joiner on a real clock instead of hanging", async () => {
    const rt = new Runtime();
    const t = rt.spawn(function* () {
      yield* sleep(10);
      return 7;
    }, { name: "T" });
    const w = rt.spawn(function* () {
      return yield* t;
    }, { name: "W" });
    racer(rt, t, "race");
    const outcome = await within(rt.run(), 2_000);
    expect(outcome).to.deep.equal({ value: undefined });
    expect(w.finished).to.equal(true);
  });

  it("settles `await handle` from async code after a race dropped that handle", async () => {
    const rt = new Runtime({ clock: "virtual" });
    const t = rt.spawn(function* () {
      yield* sleep(10);
      return 7;
    }, { name: "T" });
    // An outside waiter, registered now (then() is called synchronously), before the race runs.
    const outside = new Promise<number>((resolve, reject) => t.then(resolve, reject));
    racer(rt, t, "race");
    await rt.run();
    expect(t.finished).to.equal(true);
    expect(await within(outside, 2_000)).to.deep.equal({ value: 7 }); // before: still pending
  });

  it("leaves a JoinHandle's registration alone when drop(cx) comes from a waiter that never polled", () => {
    const rt = new Runtime({ clock: "virtual" });
    const t = rt.spawn(function* () {
      yield* sleep(10);
      return 7;
    });
    rt.step(); // T parks on its sleep
    const polled = countingContext();
    const stranger = countingContext();
    expect(t.poll(polled.cx)).to.deep.equal(Poll.pending);
    t.drop?.(stranger.cx); // a waiter that never polled: changes nothing
    rt.runSync();
    expect(polled.wakes()).to.be.greaterThan(0);
    expect(stranger.wakes()).to.equal(0);
  });

  it("removes exactly the dropping waiter's registration and wakes the others", () => {
    const rt = new Runtime({ clock: "virtual" });
    const t = rt.spawn(function* () {
      yield* sleep(10);
      return 7;
    });
    rt.step();
    const a = countingContext();
    const b = countingContext();
    expect(t.poll(a.cx).ready).to.equal(false);
    expect(t.poll(b.cx).ready).to.equal(false);
    t.drop?.(a.cx);
    rt.runSync();
    expect(a.wakes(), "a dropped waiter is not woken").to.equal(0);
    expect(b.wakes(), "the other waiter is").to.be.greaterThan(0);
  });
});
