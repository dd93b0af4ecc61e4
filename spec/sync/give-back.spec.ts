// A sync future dropped after it completed, by every waiter it served, gives back what it took:
// the received message returns to its place at the front of the channel, the guard unlocks, the
// permits return. This is how a combinator that discards a child's value loses nothing. A waiter
// that keeps the value (it never drops) keeps it.

import { expect } from "chai";
import { Mutex, Notify, Semaphore, channel, type Context, type Future } from "../../lib/index";
import { SimpleWaker } from "../../lib/primitives/index";

class Cx extends SimpleWaker implements Context {
  wake(): void {}
  get waker(): this {
    return this;
  }
}

function dropAt(fut: Future<unknown>, cx: Context): void {
  fut.drop?.(cx);
}

function pollReady<T>(fut: Future<T>, cx: Context): T {
  const p = fut.poll(cx);
  if (!p.ready) throw new Error("expected Ready");
  return p.value;
}

describe("sync futures give back on a drop after completion", () => {
  it("recv: the message returns to its place before later ones, in order for several", () => {
    const [tx, rx] = channel<number>(4);
    for (const n of [1, 2, 3]) tx.trySend(n);
    const a = rx.recv();
    const b = rx.recv();
    const ca = new Cx();
    const cb = new Cx();
    expect(pollReady(a, ca)).to.equal(1);
    expect(pollReady(b, cb)).to.equal(2);
    dropAt(a, ca); // given back first, the later message after it
    dropAt(b, cb);
    expect([rx.tryRecv(), rx.tryRecv(), rx.tryRecv(), rx.tryRecv()]).to.deep.equal([1, 2, 3, undefined]);
  });

  it("lock: the guard unlocks, and the next waiter in line gets the lock", () => {
    const m = new Mutex(0);
    const first = m.lock();
    const c1 = new Cx();
    pollReady(first, c1);
    const second = m.lock();
    const c2 = new Cx();
    expect(second.poll(c2).ready).to.equal(false);
    dropAt(first, c1);
    expect(pollReady(second, c2).released).to.equal(false);
    expect(() => first.poll(c1)).to.throw(/given back/);
  });

  it("acquire: the permits return", () => {
    const s = new Semaphore(3);
    const op = s.acquire(2);
    const cx = new Cx();
    pollReady(op, cx);
    expect(s.available).to.equal(1);
    dropAt(op, cx);
    expect(s.available).to.equal(3);
  });

  it("a value still held by another served waiter is not given back", () => {
    const m = new Mutex(0);
    const op = m.lock();
    const c1 = new Cx();
    const c2 = new Cx();
    const g = pollReady(op, c1);
    expect(pollReady(op, c2)).to.equal(g); // the second waiter receives the same guard
    dropAt(op, c1);
    expect(m.locked).to.equal(true);
    dropAt(op, c2); // the last one to receive it drops it: back
    expect(m.locked).to.equal(false);
  });

  it("a drop by a waiter it never served gives nothing back", () => {
    const s = new Semaphore(1);
    const op = s.acquire();
    pollReady(op, new Cx());
    dropAt(op, new Cx());
    expect(s.available).to.equal(0);
  });
});

describe("notified() gives back a discarded notification", () => {
  it("a notifyOne taken by a notified() that is then dropped goes to the next waiter", () => {
    const n = new Notify();
    n.notifyOne(); // stored permit
    const first = n.notified();
    const c1 = new Cx();
    pollReady(first, c1);
    expect(n.hasPermit).to.equal(false);
    dropAt(first, c1);
    expect(n.hasPermit).to.equal(true);
  });
});
