import { expect } from "chai";
import fc from "fast-check";
import {
  CancelledError,
  ChannelClosedError,
  DeadlockError,
  LaggedError,
  broadcast,
  runSync,
  sleep,
  spawn,
  yieldNow,
  type BroadcastReceiver,
  type Future,
  type Operation,
} from "../../../lib/index";

function* caught(op: Operation<unknown>): Generator<Future<unknown>, unknown, unknown> {
  try {
    yield* op;
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Read until the end, writing a lag as `lag k`. */
function* readAll<T>(rx: BroadcastReceiver<T>, pause = 0): Generator<Future<unknown>, string[], unknown> {
  const out: string[] = [];
  for (;;) {
    try {
      const m = yield* rx.recv();
      if (m === undefined) return out;
      out.push(String(m));
    } catch (error) {
      if (!(error instanceof LaggedError)) throw error;
      out.push(`lag ${error.skipped}`);
    }
    if (pause > 0) yield* sleep(pause);
  }
}

describe("sync: broadcast()", () => {
  it("needs a capacity that is a whole number ≥ 1", () => {
    expect(() => broadcast(0)).to.throw(RangeError, /not 0/);
    expect(() => broadcast(2.5)).to.throw(RangeError, /not 2.5/);
    expect(() => broadcast(undefined as unknown as number)).to.throw(TypeError, /not undefined/);
    expect(() => broadcast(Infinity)).to.throw(RangeError);
  });

  it("gives every receiver every message sent after it subscribed, in order", () => {
    const got = runSync(function* () {
      const [tx, rx1] = broadcast<number>(8);
      expect(tx.send(1)).to.equal(1);
      const rx2 = tx.subscribe();
      expect(tx.send(2)).to.equal(2);
      expect(tx.receiverCount).to.equal(2);
      const a = spawn(readAll(rx1));
      const b = spawn(readAll(rx2));
      yield* sleep(1);
      tx.send(3);
      tx.close();
      return [yield* a, yield* b];
    });
    expect(got).to.deep.equal([
      ["1", "2", "3"],
      ["2", "3"],
    ]);
  });

  it("send never waits, returns 0 and keeps nothing when nobody is subscribed", () => {
    const [tx, rx] = broadcast<string>(2);
    rx.close();
    expect(tx.receiverCount).to.equal(0);
    expect(tx.send("lost on purpose")).to.equal(0);
    const late = tx.subscribe();
    tx.send("seen");
    expect(late.tryRecv()).to.equal("seen");
    expect(late.tryRecv()).to.equal(undefined);
  });

  it("tells a receiver that fell behind how many it missed, then continues from the oldest kept", () => {
    const got = runSync(function* () {
      const [tx, rx] = broadcast<number>(2);
      for (let i = 1; i <= 5; i++) tx.send(i);
      expect(rx.length).to.equal(5);
      tx.close();
      return yield* readAll(rx);
    });
    expect(got).to.deep.equal(["lag 3", "4", "5"]);
  });

  it("reports the lag as an exported LaggedError with .skipped", () => {
    const [tx, rx] = broadcast<number>(1);
    tx.send(1);
    tx.send(2);
    let err: unknown;
    try {
      rx.tryRecv();
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(LaggedError).and.instanceOf(Error);
    expect(err).to.have.property("name", "LaggedError");
    expect(err).to.have.property("skipped", 1);
    expect((err as Error).message).to.match(/broadcast#\d+: this receiver fell behind and missed 1 message;/);
    expect(rx.tryRecv()).to.equal(2);
  });

  it("a slow receiver never holds back the sender or a fast receiver", () => {
    const got = runSync(function* () {
      const [tx, fast] = broadcast<number>(2);
      const slow = tx.subscribe();
      const f = spawn(readAll(fast));
      const s = spawn(readAll(slow, 10));
      for (let i = 1; i <= 6; i++) {
        tx.send(i);
        yield* sleep(1);
      }
      tx.close();
      return [yield* f, yield* s];
    });
    expect(got[0]).to.deep.equal(["1", "2", "3", "4", "5", "6"]);
    expect(got[1]).to.deep.equal(["1", "lag 3", "5", "6"]);
  });

  it("wakes waiting receivers with undefined once every sender is closed", () => {
    const got = runSync(function* () {
      const [tx, rx] = broadcast<number>(4);
      const tx2 = tx.clone();
      const h = spawn(function* () {
        return yield* rx.recv();
      });
      yield* yieldNow();
      tx.close();
      tx.close(); // idempotent
      expect(rx.closed).to.equal(false);
      tx2.close();
      expect(rx.closed).to.equal(true);
      return yield* h;
    });
    expect(got).to.equal(undefined);
  });

  it("refuses undefined, and sending, cloning or subscribing through a closed handle", () => {
    const [tx] = broadcast<number | undefined>(1);
    expect(() => tx.send(undefined)).to.throw(TypeError);
    tx.close();
    expect(() => tx.send(1)).to.throw(ChannelClosedError, /this sender was closed/);
    expect(() => tx.clone()).to.throw(ChannelClosedError);
    expect(() => tx.subscribe()).to.throw(ChannelClosedError);
  });

  it("closing a receiver unsubscribes it and fails its waiting recv", () => {
    const out = runSync(function* () {
      const [tx, rx] = broadcast<number>(1);
      const h = spawn(function* () {
        return yield* caught(rx.recv());
      });
      yield* yieldNow();
      rx.close();
      rx.close();
      return { err: yield* h, count: tx.receiverCount, sent: tx.send(1), later: yield* caught(rx.recv()) };
    });
    expect(out.err).to.be.instanceOf(ChannelClosedError);
    expect(out.count).to.equal(0);
    expect(out.sent).to.equal(0);
    expect(out.later).to.be.instanceOf(ChannelClosedError);
  });

  it("a recv cancelled while it waits moves nothing: the next recv gets the message", () => {
    const out = runSync(function* () {
      const [tx, rx] = broadcast<string>(4);
      const h = spawn(function* () {
        return yield* rx.recv();
      });
      yield* yieldNow();
      tx.send("m"); // wakes h…
      h.abort(); // …which is cancelled before it reads
      const err = yield* caught(h);
      return { err, next: rx.tryRecv() };
    });
    expect(out.err).to.be.instanceOf(CancelledError);
    expect(out.next).to.equal("m");
  });

  it("resubscribe starts a new receiver from now", () => {
    const [tx, rx] = broadcast<number>(4);
    tx.send(1);
    const again = rx.resubscribe();
    tx.send(2);
    expect(again.tryRecv()).to.equal(2);
    expect(rx.tryRecv()).to.equal(1);
    expect(tx.receiverCount).to.equal(2);
  });

  it("describes a waiting recv in a deadlock report", () => {
    const [tx, rx] = broadcast<number>(1, { name: "news" });
    expect(() =>
      runSync(function* () {
        yield* rx.recv();
      }),
    ).to.throw(DeadlockError, new RegExp(`waits on recv on broadcast#${tx.id} "news"`));
  });

  it("property: each receiver sees exactly the messages sent after it subscribed, in order, lags accounted for", () => {
    // A program: sends, subscriptions and pauses on the sender side; each receiver reads at its
    // own pace. Expanding each `lag k` into k gaps must give back exactly the sequence sent.
    const step = fc.oneof(
      fc.constant({ k: "send" as const }),
      fc.constant({ k: "subscribe" as const }),
      fc.record({ k: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 25 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), (capacity, steps, paces) => {
        runSync(function* () {
          const [tx, first] = broadcast<number>(capacity);
          const readers: { from: number; h: ReturnType<typeof spawn<string[]>> }[] = [];
          let sent = 0;
          const start = (rx: BroadcastReceiver<number>) => {
            const pace = paces[readers.length % paces.length] as number;
            readers.push({ from: sent, h: spawn(readAll(rx, pace)) });
          };
          start(first);
          for (const s of steps) {
            if (s.k === "send") tx.send(++sent);
            else if (s.k === "subscribe") start(tx.subscribe());
            else yield* sleep(s.ms);
          }
          tx.close();
          for (const r of readers) {
            const log = yield* r.h;
            const seen: (number | null)[] = [];
            for (const entry of log) {
              if (entry.startsWith("lag ")) for (let i = 0; i < Number(entry.slice(4)); i++) seen.push(null);
              else seen.push(Number(entry));
            }
            const expected = Array.from({ length: sent - r.from }, (_, i) => r.from + i + 1);
            expect(seen.length).to.equal(expected.length);
            seen.forEach((v, i) => {
              if (v !== null) expect(v).to.equal(expected[i]);
            });
            // A lag is reported only when the receiver really fell more than `capacity` behind.
            expect(log.filter((e) => e.startsWith("lag")).length <= Math.ceil(sent / capacity)).to.equal(true);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
