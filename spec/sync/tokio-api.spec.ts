// The tokio API a tokio user reaches for: senders' closed() futures, sender counts and
// sameChannel, recvMany, broadcast len, watch clone/sendModify/sendIfModified/waitFor/
// markChanged/markUnchanged, and a permit's forget/split/merge; timeoutAt.

import { expect } from "chai";
import { JoinSet, Semaphore, TimeoutError, broadcast, channel, now, oneshot, race, runSync, shield, sleep, spawn, timeoutAt, watch } from "../../lib/index";

function* shieldSleep(ms: number) {
  yield* shield(sleep(ms));
}

describe("tokio API", () => {
  it("mpsc Sender.closed() is ready once the receiver closes; senderCount and sameChannel", () => {
    const out = runSync(function* () {
      const [tx, rx] = channel<number>(2);
      const tx2 = tx.clone();
      const counts = [tx.senderCount];
      tx2.close();
      counts.push(tx.senderCount);
      spawn(function* () {
        yield* sleep(7);
        rx.close();
      });
      yield* tx.closed();
      const [other] = channel<number>();
      return { at: now(), counts, same: [tx.sameChannel(rx), tx.sameChannel(other)], isClosed: tx.isClosed };
    });
    expect(out).to.deep.equal({ at: 7, counts: [2, 1], same: [true, false], isClosed: true });
  });

  it("recvMany waits for one message, then takes what is buffered up to the limit; 0 at the end", () => {
    const out = runSync(function* () {
      const [tx, rx] = channel<number>();
      spawn(function* () {
        yield* sleep(1);
        for (const n of [1, 2, 3, 4, 5]) tx.trySend(n);
        tx.close();
      });
      const batches: number[][] = [];
      for (;;) {
        const buf: number[] = [];
        if ((yield* rx.recvMany(buf, 3)) === 0) break;
        batches.push(buf);
      }
      return batches;
    });
    expect(out).to.deep.equal([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("oneshot sender closed(): a producer stops when the receiver is gone", () => {
    const out = runSync(function* () {
      const [tx, rx] = oneshot<number>();
      spawn(function* () {
        yield* sleep(3);
        rx.close();
      });
      const r = yield* race(tx.closed(), function* () {
        yield* sleep(100);
        return "computed";
      });
      return [r, now(), tx.isClosed];
    });
    expect(out).to.deep.equal([undefined, 3, true]);
  });

  it("broadcast len counts what the slowest receiver has not read; closed() once no receiver is left", () => {
    const out = runSync(function* () {
      const [tx, rx1] = broadcast<number>(4);
      const rx2 = tx.subscribe();
      tx.send(1);
      tx.send(2);
      const lens = [tx.len];
      rx1.tryRecv();
      rx1.tryRecv();
      lens.push(tx.len);
      rx2.tryRecv();
      lens.push(tx.len);
      spawn(function* () {
        yield* sleep(2);
        rx1.close();
        rx2.close();
      });
      yield* tx.closed();
      return [lens, now(), tx.isHandleClosed];
    });
    expect(out).to.deep.equal([[2, 2, 1], 2, false]);
  });

  it("watch: clone, sendModify, sendIfModified, waitFor, markChanged/markUnchanged, closed()", () => {
    const out = runSync(function* () {
      const [tx, rx] = watch({ n: 0 });
      const tx2 = tx.clone();
      spawn(function* () {
        for (let i = 1; i <= 3; i++) {
          yield* sleep(1);
          tx2.sendModify((v) => {
            v.n = i;
          });
        }
        expect(tx2.sendIfModified(() => false)).to.equal(false);
        tx2.close();
      });
      const found = (yield* rx.waitFor((v) => v.n >= 2)).n;
      const afterClone = tx.handleClosed; // tx2's close does not close tx
      rx.markChanged();
      const changedAtOnce = rx.hasChanged();
      rx.markUnchanged();
      const unchanged = rx.hasChanged();
      spawn(function* () {
        yield* sleep(5);
        rx.close();
      });
      yield* tx.closed();
      return { found, afterClone, changedAtOnce, unchanged, at: now(), senders: tx.senderCount };
    });
    expect(out).to.deep.equal({ found: 2, afterClone: false, changedAtOnce: true, unchanged: false, at: 7, senders: 1 });
  });

  it("a permit can be split, merged and forgotten", () => {
    const sem = new Semaphore(4);
    const p = sem.tryAcquire(3);
    if (p === undefined) throw new Error("expected permits");
    const one = p.split(1);
    expect([p.permits, one.permits, sem.available]).to.deep.equal([2, 1, 1]);
    p.merge(one);
    expect([p.permits, one.released]).to.deep.equal([3, true]);
    expect(() => p.split(3)).to.throw(RangeError, /holds 3/);
    p.forget();
    expect([sem.total, sem.available, p.released]).to.deep.equal([1, 1, true]);
  });

  it("timeoutAt shares one deadline across steps", () => {
    const out = runSync(function* () {
      const end = now() + 10;
      yield* timeoutAt(end, sleep(6));
      try {
        yield* timeoutAt(end, sleep(6));
        return "no timeout";
      } catch (e) {
        return [e instanceof TimeoutError, now()];
      }
    });
    expect(out).to.deep.equal([true, 10]);
  });

  it("JoinSet.spawnAll returns the handles in order", () => {
    const out = runSync(function* () {
      const set = new JoinSet<number>();
      const hs = set.spawnAll([1, 2].map((n) => function* () {
        return n;
      }));
      const ids = hs.map((h) => h.id);
      const got = (yield* set.joinAll()).sort();
      return [ids.length, got];
    });
    expect(out).to.deep.equal([2, [1, 2]]);
  });
});

describe("mpsc reserve", () => {
  it("reserve waits FIFO for a slot; the permit sends without waiting, or gives the slot back", () => {
    const out = runSync(function* () {
      const [tx, rx] = channel<string>(1);
      tx.trySend("a");
      expect(tx.tryReserve()).to.equal(undefined);
      spawn(function* () {
        yield* sleep(2);
        rx.tryRecv();
      });
      const permit = yield* tx.reserve();
      const at = now();
      expect(tx.capacity).to.equal(0); // the slot is held
      permit.release();
      expect(tx.capacity).to.equal(1);
      const p2 = tx.tryReserve();
      p2?.send("b");
      return [at, rx.tryRecv(), p2?.released];
    });
    expect(out).to.deep.equal([2, "b", true]);
  });

  it("a reserve discarded by a cancelled combinator gives its slot back", () => {
    const out = runSync(function* () {
      const [tx, rx] = channel<string>(1);
      tx.trySend("a");
      spawn(function* () {
        yield* sleep(1);
        rx.tryRecv();
      });
      try {
        yield* timeoutAt(now() + 3, race(tx.reserve(), function* () {
          try {
            yield* sleep(50);
          } finally {
            yield* shieldSleep(5);
          }
        }));
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
      return tx.capacity;
    });
    expect(out).to.equal(1);
  });
});
