import { expect } from "chai";
import {
  CancelledError,
  ChannelClosedError,
  DeadlockError,
  Runtime,
  TimeoutError,
  channel,
  runSync,
  sleep,
  spawn,
  timeout,
  now,
  yieldNow,
  type Future,
  type JoinHandle,
  type Operation,
} from "../../../lib/index";

/** Catch what an operation throws (or undefined), so a test can assert on it. */
function* caught(op: Operation<unknown>): Generator<Future<unknown>, unknown, unknown> {
  try {
    yield* op;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("sync: channel()", () => {
  describe("creation", () => {
    for (const bad of [0, -1, 1.5, NaN]) {
      it(`rejects capacity ${bad} with a RangeError naming it`, () => {
        expect(() => channel(bad)).to.throw(RangeError, new RegExp(`not ${String(bad)}`));
      });
    }

    it("rejects a capacity that is not a number with a TypeError", () => {
      expect(() => channel("3" as unknown as number)).to.throw(TypeError, /not "3"/);
    });

    it("is unbounded without a capacity (and with Infinity)", () => {
      expect(channel()[0].capacity).to.equal(Infinity);
      expect(channel(Infinity)[1].capacity).to.equal(Infinity);
      expect(channel(4)[0].capacity).to.equal(4);
    });

    it("gives each channel its own id and keeps the name", () => {
      const [a] = channel();
      const [b, rb] = channel(undefined, { name: "jobs" });
      expect(b.id).to.be.greaterThan(a.id);
      expect(rb.id).to.equal(b.id);
      expect(b.name).to.equal("jobs");
      expect(String(rb)).to.equal(`Receiver(channel#${b.id} "jobs")`);
    });

    it("rejects undefined as a message, since recv() uses it to say the channel ended", () => {
      const [tx] = channel<number | undefined>();
      expect(() => tx.send(undefined)).to.throw(TypeError, /undefined/);
      expect(() => tx.trySend(undefined)).to.throw(TypeError, /undefined/);
    });
  });

  describe("sending and receiving", () => {
    it("delivers messages in the order sent, then undefined once every sender is closed", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<number>();
        spawn(function* () {
          for (let i = 1; i <= 5; i++) yield* tx.send(i);
          tx.close();
        });
        const out: (number | undefined)[] = [];
        for (let v; (v = yield* rx.recv()) !== undefined; ) out.push(v);
        out.push(yield* rx.recv()); // stays ended
        return out;
      });
      expect(got).to.deep.equal([1, 2, 3, 4, 5, undefined]);
    });

    it("completes a send on its first poll while the buffer has room", () => {
      const rt = new Runtime({ clock: "virtual" });
      const [tx, rx] = channel<string>(2);
      const send = tx.send("a");
      const p = send.poll({ waker: { wake() {}, wakeByRef() {}, clone() { return this; }, willWake: () => true } });
      expect(p.ready).to.equal(true);
      expect(rx.length).to.equal(1);
      rt.runSync();
    });

    it("makes a sender wait while the buffer is full (back-pressure)", () => {
      const log = runSync(function* () {
        const [tx, rx] = channel<number>(2);
        const out: string[] = [];
        spawn(function* () {
          for (let i = 1; i <= 4; i++) {
            yield* tx.send(i);
            out.push(`sent ${i}`);
          }
          tx.close();
        });
        yield* sleep(10);
        out.push(`buffered ${rx.length}`);
        for (let v; (v = yield* rx.recv()) !== undefined; ) {
          out.push(`got ${v}`);
          yield* sleep(1);
        }
        return out;
      });
      expect(log).to.deep.equal(["sent 1", "sent 2", "buffered 2", "got 1", "sent 3", "got 2", "sent 4", "got 3", "got 4"]);
    });

    it("serves waiting senders first come, first served", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<string>(1);
        tx.trySend("first");
        for (const who of ["a", "b", "c"]) {
          const mine = tx.clone();
          spawn(function* () {
            yield* mine.send(who);
            mine.close();
          });
        }
        yield* sleep(1);
        tx.close();
        const out: string[] = [];
        for (let v; (v = yield* rx.recv()) !== undefined; ) out.push(v);
        return out;
      });
      expect(got).to.deep.equal(["first", "a", "b", "c"]);
    });

    it("serves receivers sharing one Receiver in the order they asked, each message once", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<number>();
        const out: string[] = [];
        for (const who of ["a", "b", "c"]) {
          spawn(function* () {
            for (let v; (v = yield* rx.recv()) !== undefined; ) out.push(`${who}${v}`);
            out.push(`${who} end`);
          });
        }
        yield* yieldNow();
        for (let i = 1; i <= 4; i++) tx.trySend(i);
        tx.close();
        yield* sleep(1);
        return out;
      });
      // 1–3 wake a, b, c in turn (one message promised to each); 4 arrives with nobody waiting,
      // so it goes to whoever asks next: a, back first. The order of the ends follows the queue.
      expect(got).to.deep.equal(["a1", "a2", "b3", "c4", "c end", "a end", "b end"]);
    });

    it("trySend says false when full and true once there is room", () => {
      const [tx, rx] = channel<number>(1);
      expect(tx.trySend(1)).to.equal(true);
      expect(tx.trySend(2)).to.equal(false);
      expect(rx.tryRecv()).to.equal(1);
      expect(tx.trySend(3)).to.equal(true);
    });

    it("trySend does not jump ahead of senders already waiting", () => {
      runSync(function* () {
        const [tx, rx] = channel<string>(1);
        tx.trySend("x");
        spawn(function* () {
          yield* tx.send("waiting");
        });
        yield* yieldNow();
        expect(rx.tryRecv()).to.equal("x"); // the freed slot is granted to the waiting send…
        expect(tx.trySend("barger")).to.equal(false); // …so a trySend cannot take it
        yield* yieldNow();
        expect(rx.tryRecv()).to.equal("waiting");
      });
    });

    it("tryRecv does not take a message already promised to a woken receiver", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>();
        const h = spawn(function* () {
          return yield* rx.recv();
        });
        yield* yieldNow();
        tx.trySend("promised"); // h is woken for it
        const stolen = rx.tryRecv();
        tx.trySend("free");
        return { stolen, got: yield* h, left: rx.tryRecv() };
      });
      expect(out).to.deep.equal({ stolen: undefined, got: "promised", left: "free" });
    });

    it("tryRecv returns undefined when empty, and closed tells empty-for-now from over", () => {
      const [tx, rx] = channel<number>();
      expect(rx.tryRecv()).to.equal(undefined);
      expect(rx.closed).to.equal(false);
      tx.trySend(7);
      tx.close();
      expect(rx.closed).to.equal(true); // no more will come…
      expect(rx.tryRecv()).to.equal(7); // …but what was buffered is still there
      expect(rx.tryRecv()).to.equal(undefined);
    });

    it("forEach runs a generator for each message until the channel ends", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<number>(1);
        spawn(function* () {
          for (let i = 1; i <= 3; i++) yield* tx.send(i);
          tx.close();
        });
        const out: string[] = [];
        yield* rx.forEach(function* (n) {
          yield* sleep(n);
          out.push(`${n}@${now()}`);
        });
        return out;
      });
      expect(got).to.deep.equal(["1@1", "2@3", "3@6"]);
    });

    it("forEach also takes a plain function", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<string>();
        for (const m of ["x", "y"]) tx.trySend(m);
        tx.close();
        const out: string[] = [];
        yield* rx.forEach((m) => {
          out.push(m);
        });
        return out;
      });
      expect(got).to.deep.equal(["x", "y"]);
    });
  });

  describe("closing", () => {
    it("keeps the channel open while a clone of the sender is open", () => {
      const [tx, rx] = channel<number>();
      const tx2 = tx.clone();
      tx.close();
      tx.close(); // idempotent
      expect(rx.closed).to.equal(false);
      expect(tx.isClosed).to.equal(true);
      expect(tx2.isClosed).to.equal(false);
      expect(tx2.trySend(1)).to.equal(true);
      tx2.close();
      expect(rx.closed).to.equal(true);
    });

    it("closes a handle held with `using` at the end of its block", () => {
      const [tx, rx] = channel<number>();
      {
        using mine = tx.clone();
        mine.trySend(1);
      }
      expect(rx.closed).to.equal(false);
      tx.close();
      expect(rx.closed).to.equal(true);
      expect(rx.tryRecv()).to.equal(1);
    });

    it("refuses to send on or clone a closed sender, with ChannelClosedError", () => {
      const [tx] = channel<number>();
      tx.close();
      expect(() => tx.trySend(1)).to.throw(ChannelClosedError, /this sender was closed/);
      expect(() => tx.clone()).to.throw(ChannelClosedError);
      const err = runSync(function* () {
        return yield* caught(tx.send(1));
      });
      expect(err).to.be.instanceOf(ChannelClosedError);
      expect((err as Error).name).to.equal("ChannelClosedError");
    });

    it("wakes a waiting receiver with undefined when the last sender closes", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<number>();
        const h = spawn(function* () {
          return yield* rx.recv();
        });
        yield* yieldNow();
        tx.close();
        return yield* h;
      });
      expect(got).to.equal(undefined);
    });

    it("receiver close: waiting and later sends fail, buffered messages can still be drained", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>(1);
        tx.trySend("kept");
        const waiting = spawn(function* () {
          return yield* caught(tx.send("refused"));
        });
        yield* yieldNow();
        rx.close();
        rx.close(); // idempotent
        const err = yield* waiting;
        return { err, closed: tx.isClosed, first: yield* rx.recv(), then: yield* rx.recv(), late: yield* caught(tx.send("late")) };
      });
      expect(out.err).to.be.instanceOf(ChannelClosedError);
      expect((out.err as Error).message).to.match(/the receiver is closed/);
      expect(out.closed).to.equal(true);
      expect(out.first).to.equal("kept");
      expect(out.then).to.equal(undefined);
      expect(out.late).to.be.instanceOf(ChannelClosedError);
      const [tx, rx] = channel<number>();
      rx.close();
      expect(() => tx.trySend(1)).to.throw(ChannelClosedError);
    });

    it("closing a sender fails its own waiting sends but not those of other handles", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>(1);
        const other = tx.clone();
        tx.trySend("full");
        const mine = spawn(function* () {
          return yield* caught(tx.send("mine"));
        });
        const theirs = spawn(function* () {
          return yield* caught(other.send("theirs"));
        });
        yield* yieldNow();
        tx.close();
        const errMine = yield* mine;
        const got = [yield* rx.recv(), yield* rx.recv()];
        const errTheirs = yield* theirs;
        other.close();
        got.push(yield* rx.recv());
        return { errMine, errTheirs, got };
      });
      expect(out.errMine).to.be.instanceOf(ChannelClosedError);
      expect(out.errTheirs).to.equal(undefined);
      expect(out.got).to.deep.equal(["full", "theirs", undefined]);
    });

    it("a send granted a slot whose handle is closed before it ran fails and passes the slot on", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>(1);
        const a = tx.clone();
        const b = tx.clone();
        tx.trySend("0");
        const ha = spawn(function* () {
          return yield* caught(a.send("a"));
        });
        const hb = spawn(function* () {
          return yield* caught(b.send("b"));
        });
        yield* yieldNow();
        const first = rx.tryRecv(); // the slot is granted to a's send…
        a.close(); // …whose handle closes before it runs
        return { first, errA: yield* ha, errB: yield* hb, second: rx.tryRecv() };
      });
      expect(out.first).to.equal("0");
      expect(out.errA).to.be.instanceOf(ChannelClosedError);
      expect(out.errB).to.equal(undefined);
      expect(out.second).to.equal("b");
    });
  });

  describe("cancel safety", () => {
    it("a recv cancelled while it waits takes nothing: the message goes to the next recv", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>();
        const h = spawn(function* () {
          return yield* rx.recv();
        });
        yield* yieldNow();
        h.abort();
        const err = yield* caught(h);
        tx.trySend("m");
        return { err, next: rx.tryRecv() };
      });
      expect(out.err).to.be.instanceOf(CancelledError);
      expect(out.next).to.equal("m");
    });

    it("a recv woken for a message but cancelled before it ran leaves the message to the next receiver", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>();
        const got: string[] = [];
        const a = spawn(function* () {
          got.push(`a:${yield* rx.recv()}`);
        });
        spawn(function* () {
          got.push(`b:${yield* rx.recv()}`);
        });
        yield* yieldNow();
        tx.trySend("m1"); // reserved for a, which is woken…
        a.abort(); // …and cancelled before it runs
        yield* sleep(1);
        return got;
      });
      expect(out).to.deep.equal(["b:m1"]);
    });

    it("after the last sender closes, a message reserved for a cancelled receiver goes to the next, then the end", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>();
        const got: string[] = [];
        const first = spawn(function* () {
          got.push(`first:${yield* rx.recv()}`);
        });
        spawn(function* () {
          got.push(`second:${yield* rx.recv()}`);
          got.push(`second:${yield* rx.recv()}`);
        });
        yield* yieldNow();
        tx.trySend("last"); // reserved for first
        tx.close(); // second keeps waiting: a message is still in the buffer
        first.abort(); // first leaves without it: second gets it, then the end
        yield* sleep(1);
        return got;
      });
      expect(out).to.deep.equal(["second:last", "second:undefined"]);
    });

    it("a reserved message whose receiver is cancelled stays in the buffer for a later recv", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>();
        const a = spawn(function* () {
          return yield* rx.recv();
        });
        yield* yieldNow();
        tx.trySend("m1");
        a.abort();
        yield* caught(a);
        return [rx.length, rx.tryRecv()];
      });
      expect(out).to.deep.equal([1, "m1"]);
    });

    it("a send cancelled while it waits sends nothing and others keep their place", () => {
      const got = runSync(function* () {
        const [tx, rx] = channel<string>(1);
        tx.trySend("0");
        const hs: JoinHandle<void>[] = [];
        for (const m of ["a", "b", "c"]) {
          const mine = tx.clone();
          hs.push(
            spawn(function* () {
              try {
                yield* mine.send(m);
              } finally {
                mine.close();
              }
            }),
          );
        }
        yield* yieldNow();
        (hs[1] as JoinHandle<void>).abort();
        yield* sleep(1);
        tx.close();
        const out: string[] = [];
        for (let v; (v = yield* rx.recv()) !== undefined; ) out.push(v);
        return out;
      });
      expect(got).to.deep.equal(["0", "a", "c"]);
    });

    it("a send granted a slot but cancelled before it ran passes the slot on (no hole)", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>(1);
        tx.trySend("0");
        const a = spawn(function* () {
          yield* tx.send("a");
        });
        const b = spawn(function* () {
          yield* tx.send("b");
        });
        yield* yieldNow();
        const first = rx.tryRecv(); // frees the slot: granted to a…
        a.abort(); // …which is cancelled before it runs: b gets the slot
        yield* b;
        const second = rx.tryRecv();
        const refill = tx.trySend("c"); // the one slot is free again
        return { first, second, refill, length: rx.length, third: rx.tryRecv() };
      });
      expect(out).to.deep.equal({ first: "0", second: "b", refill: true, length: 1, third: "c" });
    });

    it("a recv that times out takes nothing (timeout drops the inner future)", () => {
      const out = runSync(function* () {
        const [tx, rx] = channel<string>();
        const err = yield* caught(timeout(5, rx.recv()));
        tx.trySend("later");
        return { err, next: yield* rx.recv() };
      });
      expect(out.err).to.be.instanceOf(TimeoutError);
      expect(out.next).to.equal("later");
    });

    it("a future polled again after it completed says so", () => {
      runSync(function* () {
        const [tx, rx] = channel<number>();
        const s = tx.send(1);
        yield* s;
        expect(yield* caught(s)).to.be.instanceOf(Error).with.property("message").that.matches(/polled again after it completed/);
        const r = rx.recv();
        yield* r;
        expect(yield* caught(r)).to.be.instanceOf(Error).with.property("message").that.matches(/polled again/);
      });
    });
  });

  describe("descriptions", () => {
    it("a deadlock report names a full send and its capacity", () => {
      const [tx] = channel<number>(1, { name: "jobs" });
      expect(() =>
        runSync(function* () {
          yield* tx.send(1);
          yield* tx.send(2);
        }),
      ).to.throw(DeadlockError, new RegExp(`waits on send on channel#${tx.id} "jobs" \\(full, capacity 1\\)`));
    });

    it("a deadlock report names a recv and its channel", () => {
      const [tx, rx] = channel<number>();
      try {
        runSync(function* () {
          yield* rx.recv();
        });
        expect.fail("no deadlock");
      } catch (error) {
        expect(error).to.be.instanceOf(DeadlockError);
        expect((error as DeadlockError).tasks.map((t) => t.waitsOn)).to.deep.equal([`recv on channel#${tx.id}`]);
      }
    });
  });
});

