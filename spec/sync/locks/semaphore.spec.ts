// Semaphore: permits served strictly FIFO (a large head is not overtaken), misuse caught at the
// call, close() failing the waiters, and no permit lost to a cancelled waiter.

import { expect } from "chai";
import { Permit, Semaphore, SemaphoreClosedError, runSync, sleep, spawn, yieldNow } from "../../../lib/index";
import type { JoinHandle } from "../../../lib/index";
import { deadlockOf, virtual, waitsOn } from "./helpers";

describe("Semaphore", () => {
  it("grants permits at once while they last, then makes the next acquire wait for a release", () => {
    const sem = new Semaphore(3);
    const log: string[] = [];
    runSync(function* () {
      const p1 = yield* sem.acquire(2);
      const p2 = yield* sem.acquire();
      expect(sem.available).to.equal(0);
      const w = spawn(function* () {
        const p = yield* sem.acquire();
        log.push(`got 1 with ${sem.available} free`);
        p.release();
      });
      yield* sleep(5);
      expect(w.finished).to.equal(false);
      p2.release();
      yield* w;
      p1.release();
    });
    expect(log).to.deep.equal(["got 1 with 0 free"]);
    expect(sem.available).to.equal(3);
  });

  it("is strictly FIFO: a large request at the head is not overtaken by later small ones", () => {
    const sem = new Semaphore(3);
    const order: string[] = [];
    runSync(function* () {
      const held = yield* sem.acquire(2); // 1 free
      const big = spawn(function* () {
        const p = yield* sem.acquire(3);
        order.push("big");
        p.release();
      });
      yield* yieldNow();
      const small = spawn(function* () {
        const p = yield* sem.acquire(1); // 1 is free, but big is ahead
        order.push("small");
        p.release();
      });
      yield* yieldNow();
      expect(sem.available).to.equal(1);
      expect(sem.tryAcquire(1)).to.equal(undefined); // nor may tryAcquire overtake
      expect(order).to.deep.equal([]);
      held.release();
      yield* big;
      yield* small;
    });
    expect(order).to.deep.equal(["big", "small"]);
  });

  it("lets the waiters behind a large head go when that head is cancelled", () => {
    const rt = virtual();
    const sem = new Semaphore(3, { name: "s" });
    const held = sem.tryAcquire(2) as Permit;
    const big = rt.spawn(function* () {
      yield* sem.acquire(3);
    });
    const small = rt.spawn(function* () {
      const p = yield* sem.acquire(1);
      p.release();
      return "small ran";
    });
    rt.step();
    rt.step(); // both queued
    expect(sem.waiting).to.deep.equal([big.id, small.id]);
    big.abort();
    rt.runSync();
    expect(small.finished).to.equal(true);
    held.release();
    expect(sem.available).to.equal(3);
  });

  it("returns the permits of a waiter cancelled after they were granted, and the next waiter gets them", () => {
    const rt = virtual();
    const sem = new Semaphore(2);
    const held = sem.tryAcquire(2) as Permit;
    const a = rt.spawn(function* () {
      yield* sem.acquire(2);
      throw new Error("a must never see its permits");
    });
    const b = rt.spawn(function* () {
      const p = yield* sem.acquire(2);
      p.release();
    });
    rt.step();
    rt.step();
    held.release(); // a is granted both permits
    expect(sem.holders).to.deep.equal([a.id]);
    a.abort();
    rt.runSync();
    expect(b.finished).to.equal(true);
    expect(sem.available).to.equal(2);
    expect(sem.holders).to.deep.equal([]);
  });

  describe("misuse", () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, "2"]) {
      it(`rejects acquire(${JSON.stringify(bad) ?? String(bad)}) and tryAcquire of it with a RangeError`, () => {
        const sem = new Semaphore(3);
        expect(() => sem.acquire(bad as number)).to.throw(RangeError, /must be a whole number ≥ 1, not/);
        expect(() => sem.tryAcquire(bad as number)).to.throw(RangeError, /must be a whole number ≥ 1, not/);
      });
    }

    it("accepts acquire(n) above the total (it waits for addPermits); tryAcquire of it says not now", () => {
      const sem = new Semaphore(3, { name: "pool" });
      expect(() => sem.acquire(4)).not.to.throw();
      expect(sem.tryAcquire(4)).to.equal(undefined);
      sem.addPermits(1);
      expect(sem.total).to.equal(4);
      expect(sem.tryAcquire(4)?.permits).to.equal(4);
    });

    it("rejects a negative or fractional permit count, and accepts zero", () => {
      expect(() => new Semaphore(-1)).to.throw(RangeError, /permits must be a whole number ≥ 0, not -1/);
      expect(() => new Semaphore(1.5)).to.throw(RangeError, /not 1.5/);
      expect(() => new Semaphore("3" as never)).to.throw(RangeError, /not "3"/);
      const empty = new Semaphore(0);
      expect(empty.available).to.equal(0);
      expect(empty.tryAcquire()).to.equal(undefined); // a semaphore of 0 is a signal: acquire() waits for addPermits
    });

    it("rejects addPermits of a negative or fractional count", () => {
      const sem = new Semaphore(1);
      expect(() => sem.addPermits(-1)).to.throw(RangeError, /addPermits\(n\): n must be a whole number ≥ 0, not -1/);
      expect(() => sem.addPermits(0.5)).to.throw(RangeError);
      expect(() => sem.addPermits(Number.MAX_SAFE_INTEGER)).to.throw(RangeError, /would exceed/);
      sem.addPermits(0);
      expect(sem.total).to.equal(1);
    });

    it("throws when a permit is released twice; dispose after release does nothing", () => {
      const sem = new Semaphore(2, { name: "s" });
      const p = sem.tryAcquire(2) as Permit;
      p.release();
      expect(() => p.release()).to.throw(Error, /this permit \(2 of Semaphore#\d+ "s"\) was already released/);
      p[Symbol.dispose]();
      expect(sem.available).to.equal(2);
    });
  });

  it("serves waiters when addPermits raises the count", () => {
    const sem = new Semaphore(2);
    const got: number[] = [];
    runSync(function* () {
      const held = yield* sem.acquire(2);
      const hs: JoinHandle<void>[] = [];
      for (const n of [1, 2]) {
        hs.push(
          spawn(function* () {
            using _p = yield* sem.acquire(n);
            got.push(n);
          }),
        );
      }
      yield* yieldNow();
      sem.addPermits(1); // 1 free: the head (n = 1) goes; n = 2 must wait for it
      yield* yieldNow();
      expect(got).to.deep.equal([1]);
      held.release();
      for (const h of hs) yield* h;
    });
    expect(got).to.deep.equal([1, 2]);
    expect(sem.available).to.equal(3);
    expect(sem.total).to.equal(3);
  });

  it("releases permits with `using`", () => {
    const sem = new Semaphore(2);
    runSync(function* () {
      {
        using p = yield* sem.acquire(2);
        expect(p.permits).to.equal(2);
        expect(sem.available).to.equal(0);
      }
      expect(sem.available).to.equal(2);
    });
  });

  describe("close()", () => {
    it("wakes every waiter with SemaphoreClosedError; later acquires fail; held permits still release", () => {
      const rt = virtual();
      const sem = new Semaphore(1, { name: "s" });
      const held = sem.tryAcquire() as Permit;
      const errors: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        rt.spawn(function* () {
          try {
            yield* sem.acquire();
          } catch (e) {
            errors.push(e);
          }
        });
      }
      rt.step();
      rt.step();
      sem.close();
      sem.close(); // idempotent
      expect(sem.closed).to.equal(true);
      rt.runSync();
      expect(errors).to.have.length(2);
      for (const e of errors) {
        expect(e).to.be.instanceOf(SemaphoreClosedError);
        expect((e as Error).name).to.equal("SemaphoreClosedError");
        expect((e as Error).message).to.match(/Semaphore#\d+ "s" is closed/);
      }
      expect(() => sem.tryAcquire()).to.throw(SemaphoreClosedError);
      const late = rt.spawn(function* () {
        yield* sem.acquire();
      });
      expect(() => rt.runSync()).to.throw(SemaphoreClosedError);
      expect(late.finished).to.equal(true);
      held.release();
      expect(sem.available).to.equal(1);
    });
  });

  it("describes a waiter with what it needs, what is free, who holds the permits and who is ahead", () => {
    const rt = virtual();
    const sem = new Semaphore(3, { name: "db" });
    const holder = rt.spawn(
      function* () {
        yield* sem.acquire(2);
        yield* sleep(1);
      },
      { name: "holder" },
    );
    rt.spawn(function* () {
      yield* sem.acquire(3);
    }, { name: "big" });
    rt.spawn(function* () {
      yield* sem.acquire(1);
    }, { name: "small" });
    const w = waitsOn(deadlockOf(rt));
    expect(w.big).to.equal(`acquire 3 of ${sem.label} (1 of 3 free; held by task #${holder.id} "holder" (finished without releasing it))`);
    expect(w.small).to.equal(
      `acquire 1 of ${sem.label} (1 of 3 free; held by task #${holder.id} "holder" (finished without releasing it); 1 waiting ahead)`,
    );
  });
});
