// Issue 9, case 3. One `notify.notified()` or `watch.changed()` future awaited by two tasks at
// once: both are registered, both are woken, both see the one outcome. A wakeful future may be
// awaited by several waiters, as a Promise can.
//
// How it failed before Core v2: the future kept one waker and the second poll replaced the
// first, so the first task was never woken: runSync() failed with "DeadlockError: deadlock at
// t=5: 1 task is parked and nothing can wake them".

import { expect } from "chai";
import { Notify, Runtime, sleep, watch } from "../../../lib/index";
import type { Operation } from "../../../lib/index";

/** Two tasks await `shared`; a third makes it ready at t=5 with `fire`. Returns who woke when. */
function twoWaiters(shared: Operation<unknown>, fire: () => void): string[] {
  const rt = new Runtime({ clock: "virtual" });
  const log: string[] = [];
  for (const name of ["A", "B"]) {
    rt.spawn(function* () {
      const v = yield* shared;
      log.push(`${name} woke at ${rt.now()} with ${String(v)}`);
    }, { name });
  }
  rt.spawn(function* () {
    yield* sleep(5);
    fire();
  }, { name: "F" });
  rt.runSync();
  return log.sort();
}

describe("Core v2 · case 3: one notify or watch future awaited by two tasks wakes both", () => {
  it("wakes both tasks awaiting one notified() future on notifyWaiters()", () => {
    const n = new Notify();
    const shared = n.notified();
    expect(twoWaiters(shared, () => n.notifyWaiters())).to.deep.equal(["A woke at 5 with undefined", "B woke at 5 with undefined"]);
  });

  it("wakes both tasks awaiting one notified() future on notifyOne(): the future's one outcome is seen by each", () => {
    const n = new Notify();
    const shared = n.notified();
    expect(twoWaiters(shared, () => n.notifyOne())).to.deep.equal(["A woke at 5 with undefined", "B woke at 5 with undefined"]);
  });

  it("wakes both tasks awaiting one changed() future", () => {
    const [tx, rx] = watch(0);
    const shared = rx.changed();
    expect(twoWaiters(shared, () => tx.send(1))).to.deep.equal(["A woke at 5 with undefined", "B woke at 5 with undefined"]);
  });

  it("still wakes the other waiter of a shared changed() future when one of them is aborted", () => {
    const rt = new Runtime({ clock: "virtual" });
    const [tx, rx] = watch(0);
    const shared = rx.changed();
    const log: string[] = [];
    const a = rt.spawn(function* () {
      yield* shared;
      log.push("A woke");
    }, { name: "A" });
    rt.spawn(function* () {
      yield* shared;
      log.push(`B woke at ${rt.now()}`);
    }, { name: "B" });
    rt.spawn(function* () {
      yield* sleep(2);
      a.abort(); // A's drop removes A's registration only
      yield* sleep(3);
      tx.send(1);
    }, { name: "F" });
    rt.runSync();
    expect(log).to.deep.equal(["B woke at 5"]);
  });
});
