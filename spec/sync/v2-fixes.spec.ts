// Sync v2 fixes: a semaphore of 0 is a signal (acquire waits for addPermits); a sender's
// capacity is the free slots now (maxCapacity the bound); the watch sender's "closed" is named
// so it is not read as tokio's is_closed; a waker that throws in a wake-all loop stops nobody.

import { expect } from "chai";
import { Notify, Semaphore, channel, watch, type Context, type Future } from "../../lib/index";
import { SimpleWaker } from "../../lib/primitives/index";
import { virtual } from "./locks/helpers";

class Cx extends SimpleWaker implements Context {
  woken = 0;
  constructor(private readonly throws = false) {
    super();
  }
  wake(): void {
    this.woken++;
    if (this.throws) throw new Error("a waker that throws");
  }
  get waker(): this {
    return this;
  }
}

function pend(fut: Future<unknown>, cx: Context): void {
  expect(fut.poll(cx).ready).to.equal(false);
}

describe("sync v2 fixes", () => {
  it("new Semaphore(0): acquire waits until addPermits, tryAcquire says not now", () => {
    const rt = virtual();
    const s = new Semaphore(0);
    expect(s.tryAcquire()).to.equal(undefined);
    const log: string[] = [];
    rt.spawn(function* () {
      const p = yield* s.acquire(2);
      log.push(`got ${p.permits}`);
      p.release();
    });
    rt.spawn(function* () {
      s.addPermits(1);
      log.push("added 1");
      s.addPermits(1);
      log.push("added 2");
    });
    rt.runSync();
    expect(log).to.deep.equal(["added 1", "added 2", "got 2"]);
    expect(s.available).to.equal(2);
  });

  it("Sender.capacity is the free slots now; maxCapacity the bound (and for the receiver)", () => {
    const [tx, rx] = channel<number>(3);
    expect([tx.capacity, tx.maxCapacity]).to.deep.equal([3, 3]);
    tx.trySend(1);
    tx.trySend(2);
    expect([tx.capacity, rx.capacity, rx.maxCapacity]).to.deep.equal([1, 1, 3]);
    rx.tryRecv();
    expect(tx.capacity).to.equal(2);
    const [utx] = channel<number>();
    expect([utx.capacity, utx.maxCapacity]).to.deep.equal([Infinity, Infinity]);
  });

  it("WatchSender: handleClosed (this sender closed) and receiversGone (tokio's is_closed) are two names", () => {
    const [tx, rx] = watch(0);
    expect([tx.handleClosed, tx.receiversGone]).to.deep.equal([false, false]);
    rx.close();
    expect([tx.handleClosed, tx.receiversGone]).to.deep.equal([false, true]);
    tx.close();
    expect(tx.handleClosed).to.equal(true);
    expect(typeof tx.closed).to.equal("function"); // closed() is the future "every receiver is gone"
  });

  it("notifyWaiters wakes every waiter even when a waker throws, then rethrows", () => {
    const n = new Notify();
    const bad = new Cx(true);
    const good = new Cx();
    pend(n.notified(), bad);
    pend(n.notified(), good);
    expect(() => n.notifyWaiters()).to.throw(/a waker that throws/);
    expect([bad.woken, good.woken, n.waiting.length]).to.deep.equal([1, 1, 0]);
  });

  it("Semaphore.close fails every waiter even when a waker throws", () => {
    const s = new Semaphore(0);
    const bad = new Cx(true);
    const good = new Cx();
    pend(s.acquire(), bad);
    pend(s.acquire(), good);
    expect(() => s.close()).to.throw(/a waker that throws/);
    expect([bad.woken, good.woken]).to.deep.equal([1, 1]);
  });

  it("the channel's end reaches every parked receiver even when a waker throws", () => {
    const [tx, rx] = channel<number>();
    const bad = new Cx(true);
    const good = new Cx();
    pend(rx.recv(), bad);
    pend(rx.recv(), good);
    expect(() => tx.close()).to.throw(/a waker that throws/);
    expect([bad.woken, good.woken]).to.deep.equal([1, 1]);
  });
});
