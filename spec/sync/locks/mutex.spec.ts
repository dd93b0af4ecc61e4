// Mutex: strict FIFO hand-off, guards released exactly once, cancel safety before and after the
// lock is handed over, and deadlock reports that name who holds what.

import { expect } from "chai";
import { Mutex, MutexGuard, noopContext, runSync, sleep, spawn, yieldNow } from "../../../lib/index";
import { Waiter } from "../../../lib/primitives/index";
import type { JoinHandle } from "../../../lib/index";
import { deadlockOf, virtual, waitsOn } from "./helpers";

describe("Mutex", () => {
  it("hands the lock at once when it is free, and tryLock fails while it is held", () => {
    const m = new Mutex(1);
    runSync(function* () {
      const g = yield* m.lock();
      expect(g).to.be.instanceOf(MutexGuard);
      expect(m.locked).to.equal(true);
      expect(m.tryLock()).to.equal(undefined);
      g.release();
      expect(m.locked).to.equal(false);
      const g2 = m.tryLock();
      expect(g2?.value).to.equal(1);
      g2?.release();
    });
  });

  it("serves waiters in the order they asked", () => {
    const m = new Mutex<string[]>([]);
    runSync(function* () {
      const hs: JoinHandle<void>[] = [];
      for (const who of ["a", "b", "c", "d", "e"]) {
        hs.push(
          spawn(function* () {
            const g = yield* m.lock();
            g.value.push(who);
            yield* sleep(3);
            g.release();
          }),
        );
        yield* yieldNow(); // each one asks before the next is spawned
      }
      for (const h of hs) yield* h;
    });
    expect(m.tryLock()?.value).to.deep.equal(["a", "b", "c", "d", "e"]);
  });

  it("hands a released lock to the head waiter, so a newcomer's tryLock cannot barge in", () => {
    const m = new Mutex(0);
    runSync(function* () {
      const first = yield* m.lock();
      const waiter = spawn(function* () {
        const g = yield* m.lock();
        g.release();
        return "got it";
      });
      yield* yieldNow(); // the waiter queues
      first.release();
      expect(m.locked).to.equal(true); // already the waiter's, though it has not run yet
      expect(m.tryLock()).to.equal(undefined);
      expect(yield* waiter).to.equal("got it");
      expect(m.locked).to.equal(false);
    });
  });

  it("keeps no lost updates when every task reads, yields and writes under the lock", () => {
    const m = new Mutex(0);
    runSync(function* () {
      const hs: JoinHandle<void>[] = [];
      for (let i = 0; i < 20; i++) {
        hs.push(
          spawn(function* () {
            const g = yield* m.lock();
            const seen = g.value;
            yield* yieldNow();
            g.value = seen + 1;
            g.release();
          }),
        );
      }
      for (const h of hs) yield* h;
    });
    expect(m.tryLock()?.value).to.equal(20);
  });

  describe("guards", () => {
    it("read and write the protected value while held", () => {
      const m = new Mutex({ n: 1 });
      const g = m.tryLock() as MutexGuard<{ n: number }>;
      g.value.n++;
      g.value = { n: g.value.n * 10 };
      g.release();
      expect(m.tryLock()?.value).to.deep.equal({ n: 20 });
    });

    it("refuse the value after release, naming the mutex", () => {
      const m = new Mutex(1, { name: "acct" });
      const g = m.tryLock() as MutexGuard<number>;
      g.release();
      expect(() => g.value).to.throw(Error, /MutexGuard of Mutex#\d+ "acct" was released: it can no longer read the value/);
      expect(() => {
        g.value = 2;
      }).to.throw(Error, /can no longer set the value/);
    });

    it("throw when released twice, and dispose after release does nothing", () => {
      const m = new Mutex(1);
      const g = m.tryLock() as MutexGuard<number>;
      g.release();
      expect(g.released).to.equal(true);
      expect(() => g.release()).to.throw(Error, /was already released/);
      g[Symbol.dispose]();
      expect(m.locked).to.equal(false);
      const again = m.tryLock();
      expect(again).to.not.equal(undefined);
      g[Symbol.dispose](); // still a no-op: the stale guard cannot release the new holder's lock
      expect(m.locked).to.equal(true);
    });

    it("are released by `using` at the end of the block, and when the block throws", () => {
      const m = new Mutex(0);
      runSync(function* () {
        {
          using g = yield* m.lock();
          g.value++;
          expect(m.locked).to.equal(true);
        }
        expect(m.locked).to.equal(false);
        try {
          using g = yield* m.lock();
          g.value++;
          throw new Error("boom");
        } catch (e) {
          expect((e as Error).message).to.equal("boom");
        }
        expect(m.locked).to.equal(false);
      });
      expect(m.tryLock()?.value).to.equal(2);
    });

    it("are released by `using` when the task holding them is aborted", () => {
      const rt = virtual();
      const m = new Mutex(0);
      const holder = rt.spawn(function* () {
        using _g = yield* m.lock();
        yield* sleep(100);
      });
      const next = rt.spawn(function* () {
        yield* sleep(1);
        holder.abort();
        using _guard = yield* m.lock();
        return rt.now();
      });
      rt.runSync();
      expect(next.finished).to.equal(true);
      expect(m.locked).to.equal(false);
    });
  });

  describe("cancellation", () => {
    it("removes a waiter cancelled while queued, and the others keep their order", () => {
      const rt = virtual();
      const m = new Mutex<string[]>([]);
      const order: string[] = [];
      const holder = m.tryLock() as MutexGuard<string[]>;
      const hs = ["a", "b", "c"].map((who) =>
        rt.spawn(
          function* () {
            const g = yield* m.lock();
            order.push(who);
            g.release();
          },
          { name: who },
        ),
      );
      rt.step();
      rt.step();
      rt.step(); // a, b, c queued
      expect(m.waiting).to.deep.equal(hs.map((h) => h.id));
      hs[1]?.abort();
      rt.step(); // b runs its cancellation: leaves the queue
      expect(m.waiting).to.deep.equal([hs[0]?.id, hs[2]?.id]);
      holder.release();
      rt.runSync();
      expect(order).to.deep.equal(["a", "c"]);
      expect(m.locked).to.equal(false);
    });

    it("passes on the lock when its waiter is cancelled after the hand-off but before it ran", () => {
      const rt = virtual();
      const m = new Mutex(0);
      const got: string[] = [];
      const holder = m.tryLock() as MutexGuard<number>;
      const b = rt.spawn(function* () {
        yield* m.lock();
        got.push("b"); // never: b is aborted before it sees the lock
      });
      const c = rt.spawn(function* () {
        const g = yield* m.lock();
        got.push("c");
        g.release();
      });
      rt.step();
      rt.step(); // b and c queued
      holder.release(); // the lock is now b's, b is woken
      expect(m.holders).to.deep.equal([b.id]);
      b.abort(); // … and b is cancelled before it runs
      rt.runSync();
      expect(got).to.deep.equal(["c"]);
      expect(c.finished).to.equal(true);
      expect(m.locked).to.equal(false);
    });

    it("takes nothing when the waiting task is aborted before its first poll", () => {
      const rt = virtual();
      const m = new Mutex(0);
      const h = rt.spawn(function* () {
        yield* m.lock();
      });
      h.abort();
      rt.runSync();
      expect(m.locked).to.equal(false);
      expect(m.waiting).to.deep.equal([]);
    });
  });

  describe("deadlock reports", () => {
    it("name the lock each task waits on and the task holding it", () => {
      const rt = virtual();
      const a = new Mutex(0, { name: "a" });
      const b = new Mutex(0, { name: "b" });
      function* transfer(first: Mutex<number>, second: Mutex<number>) {
        using _x = yield* first.lock();
        yield* sleep(1);
        using _y = yield* second.lock();
      }
      const ab = rt.spawn(transfer(a, b), { name: "a→b" });
      const ba = rt.spawn(transfer(b, a), { name: "b→a" });
      const error = deadlockOf(rt);
      expect(waitsOn(error)).to.deep.equal({
        "a→b": `lock ${b.label} (held by task #${ba.id} "b→a")`,
        "b→a": `lock ${a.label} (held by task #${ab.id} "a→b")`,
      });
      expect(a.holders).to.deep.equal([ab.id]);
      expect(a.waiting).to.deep.equal([ba.id]);
      expect(b.holders).to.deep.equal([ba.id]);
      expect(error.message).to.contain(`lock Mutex#${b.id} "b" (held by task #${ba.id} "b→a")`);
    });

    it("say so when the holder finished without releasing, and how many wait ahead", () => {
      const rt = virtual();
      const m = new Mutex(0, { name: "leaky" });
      const leaker = rt.spawn(
        function* () {
          yield* m.lock(); // the guard is dropped on the floor
        },
        { name: "leaker" },
      );
      rt.spawn(function* () {
        yield* sleep(1);
        yield* m.lock();
      }, { name: "w1" });
      rt.spawn(function* () {
        yield* sleep(2);
        yield* m.lock();
      }, { name: "w2" });
      const w = waitsOn(deadlockOf(rt));
      expect(w.w1).to.equal(`lock ${m.label} (held by task #${leaker.id} "leaker" (finished without releasing it))`);
      expect(w.w2).to.equal(`lock ${m.label} (held by task #${leaker.id} "leaker" (finished without releasing it); 1 waiting ahead)`);
    });
  });

  describe("waiter futures", () => {
    it("are Waiters that expose the mutex they wait on", () => {
      const m = new Mutex(0);
      const f = m.lock();
      expect(f).to.be.instanceOf(Waiter);
      expect((f as Waiter<unknown>).resource).to.equal(m);
      expect((f as Waiter<unknown>).describe()).to.equal(`lock ${m.label}`);
    });

    it("throw when polled again after they completed", () => {
      const m = new Mutex(0);
      const f = m.lock();
      const p = f.poll(noopContext);
      expect(p.ready).to.equal(true);
      expect(() => f.poll(noopContext)).to.throw(Error, /already completed/);
    });
  });

  it("rejects options that are not an object, and a name that is not a string", () => {
    expect(() => new Mutex(0, 5 as never)).to.throw(TypeError, /Mutex options must be an object/);
    expect(() => new Mutex(0, { name: 7 as never })).to.throw(TypeError, /a Mutex name must be a string, not 7/);
    expect(new Mutex(0, { name: "x" }).label).to.match(/^Mutex#\d+ "x"$/);
    expect(String(new Mutex(0))).to.match(/^Mutex#\d+$/);
  });
});
