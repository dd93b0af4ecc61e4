// RwLock: shared readers, one writer, fair and write-preferring (a queued writer holds back the
// readers behind it), downgrade, and cancel safety for both kinds of waiter.

import { expect } from "chai";
import { RwLock, RwLockReadGuard, RwLockWriteGuard, runSync, sleep } from "../../../lib/index";
import { Waiter } from "../../../lib/primitives/index";
import type { JoinHandle, Runtime } from "../../../lib/index";
import { deadlockOf, virtual, waitsOn } from "./helpers";

/** Spawns a task that reads (or writes) under `lock` for `hold` ms and logs when it got in. */
function user(rt: Runtime, lock: RwLock<number>, kind: "r" | "w", name: string, log: string[], hold = 10): JoinHandle<void> {
  return rt.spawn(
    function* () {
      const g = kind === "r" ? yield* lock.read() : yield* lock.write();
      log.push(`${name}@${rt.now()}`);
      yield* sleep(hold);
      g.release();
    },
    { name },
  );
}

describe("RwLock", () => {
  it("lets many readers in at once", () => {
    const lock = new RwLock(7);
    runSync(function* () {
      const a = yield* lock.read();
      const b = yield* lock.read();
      expect(lock.readers).to.equal(2);
      expect(a.value + b.value).to.equal(14);
      expect(lock.tryWrite()).to.equal(undefined);
      a.release();
      b.release();
      expect(lock.readers).to.equal(0);
      const w = lock.tryWrite() as RwLockWriteGuard<number>;
      expect(lock.writeLocked).to.equal(true);
      expect(lock.tryRead()).to.equal(undefined);
      w.value = 8;
      w.release();
      expect(lock.tryRead()?.value).to.equal(8);
    });
  });

  it("makes a writer wait for the readers, and readers that come after a queued writer wait for it", () => {
    const rt = virtual();
    const lock = new RwLock(0);
    const log: string[] = [];
    user(rt, lock, "r", "r1", log);
    rt.step();
    user(rt, lock, "w", "w1", log);
    rt.step();
    user(rt, lock, "r", "r2", log); // arrives while r1 reads, but behind w1
    rt.step();
    expect(lock.tryRead()).to.equal(undefined); // write-preferring: no barging past w1 either
    rt.runSync();
    expect(log).to.deep.equal(["r1@0", "w1@10", "r2@20"]);
  });

  it("admits the readers at the head together after a writer, and stops at the next writer", () => {
    const rt = virtual();
    const lock = new RwLock(0);
    const log: string[] = [];
    const order: [string, "r" | "w"][] = [["w0", "w"], ["r1", "r"], ["r2", "r"], ["w1", "w"], ["r3", "r"]];
    for (const [name, kind] of order) {
      user(rt, lock, kind, name, log);
      rt.step();
    }
    rt.runSync();
    expect(log).to.deep.equal(["w0@0", "r1@10", "r2@10", "w1@20", "r3@30"]);
  });

  it("downgrades a write guard to a read guard, letting queued readers in but not a queued writer", () => {
    const rt = virtual();
    const lock = new RwLock(1);
    const log: string[] = [];
    rt.spawn(function* () {
      const w = yield* lock.write();
      yield* sleep(5);
      w.value = 2;
      const r = w.downgrade();
      log.push(`downgraded, sees ${r.value}`);
      yield* sleep(10);
      r.release();
    });
    rt.step();
    user(rt, lock, "r", "r1", log);
    rt.step();
    user(rt, lock, "w", "w1", log);
    rt.step();
    rt.runSync();
    expect(log).to.deep.equal(["downgraded, sees 2", "r1@5", "w1@15"]);
  });

  describe("guards", () => {
    it("give read guards a read-only value and write guards a writable one", () => {
      const lock = new RwLock({ n: 1 });
      const r = lock.tryRead() as RwLockReadGuard<{ n: number }>;
      expect(r.value.n).to.equal(1);
      expect(() => {
        (r as unknown as { value: unknown }).value = { n: 2 };
      }).to.throw(TypeError);
      r.release();
      const w = lock.tryWrite() as RwLockWriteGuard<{ n: number }>;
      w.value = { n: 3 };
      w.release();
      expect(lock.tryRead()?.value.n).to.equal(3);
    });

    it("throw when released twice, or used after release or downgrade", () => {
      const lock = new RwLock(0, { name: "cfg" });
      const w = lock.tryWrite() as RwLockWriteGuard<number>;
      const r = w.downgrade();
      expect(() => w.value).to.throw(Error, /write guard of RwLock#\d+ "cfg" was released/);
      expect(() => w.downgrade()).to.throw(Error, /can no longer be downgraded/);
      expect(() => w.release()).to.throw(Error, /already released/);
      r.release();
      expect(() => r.release()).to.throw(Error, /read guard of RwLock#\d+ "cfg" was already released/);
      expect(() => r.value).to.throw(Error, /was released/);
      expect(lock.readers).to.equal(0);
      expect(lock.tryWrite()).to.not.equal(undefined);
    });

    it("are released by `using`", () => {
      const lock = new RwLock(0);
      runSync(function* () {
        {
          using _r = yield* lock.read();
          using _r2 = yield* lock.read();
          expect(lock.readers).to.equal(2);
        }
        {
          using w = yield* lock.write();
          w.value = 5;
        }
        expect(lock.writeLocked).to.equal(false);
      });
    });
  });

  describe("cancellation", () => {
    it("lets the readers behind a cancelled queued writer in at once", () => {
      const rt = virtual();
      const lock = new RwLock(0);
      const log: string[] = [];
      user(rt, lock, "r", "r1", log);
      rt.step();
      const w = user(rt, lock, "w", "w1", log);
      rt.step();
      user(rt, lock, "r", "r2", log);
      rt.step();
      rt.spawn(function* () {
        yield* sleep(2);
        w.abort();
      });
      rt.runSync();
      expect(log).to.deep.equal(["r1@0", "r2@2"]);
      expect(lock.readers).to.equal(0);
    });

    it("passes the lock on when a writer is cancelled after it was handed the lock", () => {
      const rt = virtual();
      const lock = new RwLock(0);
      const log: string[] = [];
      const r = lock.tryRead() as RwLockReadGuard<number>;
      const w = user(rt, lock, "w", "w1", log);
      rt.step();
      user(rt, lock, "r", "r2", log);
      rt.step();
      r.release(); // w1 now holds it, not yet run
      expect(lock.writeLocked).to.equal(true);
      w.abort();
      rt.runSync();
      expect(log).to.deep.equal(["r2@0"]);
      expect(lock.writeLocked).to.equal(false);
      expect(lock.readers).to.equal(0);
    });
  });

  it("describes waiters by what they want and who holds the lock", () => {
    const rt = virtual();
    const lock = new RwLock(0, { name: "cfg" });
    const readers = [1, 2].map((i) =>
      rt.spawn(function* () {
        yield* lock.read();
      }, { name: `reader${i}` }),
    );
    rt.spawn(function* () {
      yield* sleep(1);
      yield* lock.write();
    }, { name: "writer" });
    rt.spawn(function* () {
      yield* sleep(2);
      yield* lock.read();
    }, { name: "late reader" });
    const w = waitsOn(deadlockOf(rt));
    const holders = `read-locked by tasks #${readers[0]?.id} "reader1" (finished without releasing it), #${readers[1]?.id} "reader2" (finished without releasing it)`;
    expect(w.writer).to.equal(`write ${lock.label} (${holders})`);
    expect(w["late reader"]).to.equal(`read ${lock.label} (${holders}; behind a queued writer; 1 waiting ahead)`);
    expect(lock.holders).to.deep.equal(readers.map((h) => h.id));
  });

  it("says write-locked and names the writer in its waiters' descriptions", () => {
    const rt = virtual();
    const lock = new RwLock(0);
    const writer = rt.spawn(function* () {
      yield* lock.write();
      yield* sleep(100);
    }, { name: "writer" });
    rt.step();
    const r = lock.read();
    // Describe the future by hand, as a deadlock report would, once it is queued.
    rt.spawn(function* () {
      yield* r;
    }, { name: "reader" });
    rt.step();
    expect((r as Waiter<unknown>).describe()).to.equal(`read ${lock.label} (write-locked by task #${writer.id} "writer")`);
    rt.shutdown();
    rt.runSync();
  });
});
