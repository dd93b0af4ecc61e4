// Notify: notifyOne wakes the oldest waiter or stores one permit, notifyLast the newest,
// notifyWaiters everyone waiting now and stores nothing; a notifyOne given to a waiter that is
// cancelled before it runs is passed on.

import { expect } from "chai";
import { Notify, sleep } from "../../../lib/index";
import { Waiter } from "../../../lib/primitives/index";
import type { JoinHandle, Runtime } from "../../../lib/index";
import { deadlockOf, virtual, waitsOn } from "./helpers";

/** Spawns `n` waiters, one per step, each logging its name when notified. */
function waiters(rt: Runtime, notify: Notify, names: string[], log: string[]): JoinHandle<void>[] {
  return names.map((name) => {
    const h = rt.spawn(
      function* () {
        yield* notify.notified();
        log.push(name);
      },
      { name },
    );
    rt.step();
    return h;
  });
}

describe("Notify", () => {
  it("wakes the oldest waiter with notifyOne", () => {
    const rt = virtual();
    const n = new Notify();
    const log: string[] = [];
    const hs = waiters(rt, n, ["a", "b", "c"], log);
    expect(n.waiting).to.deep.equal(hs.map((h) => h.id));
    n.notifyOne();
    n.notifyOne();
    rt.step();
    rt.step();
    expect(log).to.deep.equal(["a", "b"]);
    expect(n.hasPermit).to.equal(false);
    n.notifyOne();
    rt.runSync();
    expect(log).to.deep.equal(["a", "b", "c"]);
  });

  it("stores one permit when nobody waits, however many notifyOne calls, and the next wait takes it at once", () => {
    const rt = virtual();
    const n = new Notify();
    n.notifyOne();
    n.notifyOne();
    expect(n.hasPermit).to.equal(true);
    const log: string[] = [];
    waiters(rt, n, ["first"], log);
    expect(log).to.deep.equal(["first"]);
    expect(n.hasPermit).to.equal(false);
    waiters(rt, n, ["second"], log);
    expect(log).to.deep.equal(["first"]); // only one permit was stored
    n.notifyOne();
    rt.runSync();
    expect(log).to.deep.equal(["first", "second"]);
  });

  it("wakes the newest waiter with notifyLast", () => {
    const rt = virtual();
    const n = new Notify();
    const log: string[] = [];
    waiters(rt, n, ["a", "b", "c"], log);
    n.notifyLast();
    rt.step();
    expect(log).to.deep.equal(["c"]);
    n.notifyWaiters();
    rt.runSync();
    expect(log).to.deep.equal(["c", "a", "b"]);
  });

  it("wakes everyone waiting with notifyWaiters and stores no permit for later waiters", () => {
    const rt = virtual();
    const n = new Notify({ name: "go" });
    const log: string[] = [];
    waiters(rt, n, ["a", "b", "c"], log);
    n.notifyWaiters();
    rt.step();
    rt.step();
    rt.step();
    expect(log).to.deep.equal(["a", "b", "c"]);
    expect(n.hasPermit).to.equal(false);
    waiters(rt, n, ["late"], log);
    const w = waitsOn(deadlockOf(rt));
    expect(w.late).to.equal(`notified on ${n.label}`);
    expect(n.label).to.match(/^Notify#\d+ "go"$/);
  });

  it("completes a notified() future created before notifyWaiters even if first polled after it", () => {
    const rt = virtual();
    const n = new Notify();
    const early = n.notified();
    n.notifyWaiters();
    const late = n.notified();
    const log: string[] = [];
    rt.spawn(function* () {
      yield* early;
      log.push("early");
    });
    rt.step();
    expect(log).to.deep.equal(["early"]);
    rt.spawn(function* () {
      yield* late;
      log.push("late");
    });
    rt.step();
    expect(log).to.deep.equal(["early"]);
    n.notifyOne();
    rt.runSync();
    expect(log).to.deep.equal(["early", "late"]);
  });

  describe("cancellation", () => {
    it("passes a notifyOne on to the next waiter when its waiter is cancelled before it ran", () => {
      const rt = virtual();
      const n = new Notify();
      const log: string[] = [];
      const [a] = waiters(rt, n, ["a", "b"], log);
      n.notifyOne(); // a is chosen …
      a?.abort(); // … and cancelled before it sees it
      rt.runSync();
      expect(log).to.deep.equal(["b"]);
      expect(n.hasPermit).to.equal(false);
    });

    it("stores the permit again when the cancelled waiter was the only one", () => {
      const rt = virtual();
      const n = new Notify();
      const [a] = waiters(rt, n, ["a"], []);
      n.notifyOne();
      a?.abort();
      rt.runSync();
      expect(n.hasPermit).to.equal(true);
    });

    it("passes a notifyLast on to the newest remaining waiter", () => {
      const rt = virtual();
      const n = new Notify();
      const log: string[] = [];
      const hs = waiters(rt, n, ["a", "b", "c"], log);
      n.notifyLast();
      hs[2]?.abort();
      rt.step();
      rt.step();
      expect(log).to.deep.equal(["b"]);
      n.notifyWaiters();
      rt.runSync();
    });

    it("does not pass on a notifyWaiters wake-up, which was meant only for those waiting then", () => {
      const rt = virtual();
      const n = new Notify();
      const log: string[] = [];
      const [a] = waiters(rt, n, ["a"], log);
      n.notifyWaiters();
      a?.abort();
      rt.runSync();
      expect(n.hasPermit).to.equal(false);
      expect(log).to.deep.equal([]);
    });

    it("removes a waiter cancelled while it waits, so notifyOne goes to the one behind it", () => {
      const rt = virtual();
      const n = new Notify();
      const log: string[] = [];
      const [a] = waiters(rt, n, ["a", "b"], log);
      rt.spawn(function* () {
        yield* sleep(1);
        a?.abort();
        yield* sleep(1);
        n.notifyOne();
      });
      rt.runSync();
      expect(log).to.deep.equal(["b"]);
    });
  });

  it("gives futures that are Waiters pointing at their Notify, held by nobody", () => {
    const n = new Notify();
    const f = n.notified();
    expect(f).to.be.instanceOf(Waiter);
    expect((f as Waiter<unknown>).resource).to.equal(n);
    expect(n.holders).to.deep.equal([]);
  });
});
