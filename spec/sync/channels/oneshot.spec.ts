import { expect } from "chai";
import {
  CancelledError,
  ChannelClosedError,
  DeadlockError,
  channel,
  oneshot,
  runSync,
  sleep,
  spawn,
  yieldNow,
  type Future,
  type OneshotSender,
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

describe("sync: oneshot()", () => {
  it("delivers the value to the task waiting on the receiver", () => {
    const got = runSync(function* () {
      const [tx, rx] = oneshot<number>();
      spawn(function* () {
        yield* sleep(10);
        expect(tx.send(42)).to.equal(true);
      });
      expect(rx.state).to.equal("empty");
      const v = yield* rx;
      expect(rx.state).to.equal("sent");
      return v;
    });
    expect(got).to.equal(42);
  });

  it("is ready at once when the value was sent before anyone waited, and stays ready", () => {
    const got = runSync(function* () {
      const [tx, rx] = oneshot<string>();
      tx.send("early");
      return [yield* rx, yield* rx, rx.tryRecv()];
    });
    expect(got).to.deep.equal(["early", "early", "early"]);
  });

  it("wakes every task waiting on the same receiver", () => {
    const got = runSync(function* () {
      const [tx, rx] = oneshot<string>();
      const a = spawn(rx);
      const b = spawn(function* () {
        return yield* rx;
      });
      yield* yieldNow();
      tx.send("both");
      return [yield* a, yield* b];
    });
    expect(got).to.deep.equal(["both", "both"]);
  });

  it("works as a void signal", () => {
    runSync(function* () {
      const [tx, rx] = oneshot<void>();
      spawn(function* () {
        tx.send();
      });
      yield* rx;
      expect(rx.state).to.equal("sent");
    });
  });

  it("throws ChannelClosedError at the receiver when the sender closes without sending", () => {
    const err = runSync(function* () {
      const [tx, rx] = oneshot<number>({ name: "reply" });
      spawn(function* () {
        yield* sleep(1);
        tx.close();
        tx.close(); // idempotent
      });
      return yield* caught(rx);
    });
    expect(err).to.be.instanceOf(ChannelClosedError);
    expect((err as Error).message).to.match(/recv on oneshot#\d+ "reply": the sender was closed without sending/);
  });

  it("refuses a second send, or a send after close, with ChannelClosedError", () => {
    const [tx] = oneshot<number>();
    tx.send(1);
    expect(() => tx.send(2)).to.throw(ChannelClosedError, /already used/);
    tx.close(); // no-op after a send
    const [tx2, rx2] = oneshot<number>();
    tx2.close();
    expect(() => tx2.send(1)).to.throw(ChannelClosedError);
    expect(rx2.state).to.equal("closed");
    expect(() => rx2.tryRecv()).to.throw(ChannelClosedError);
  });

  it("receiver close: send returns false and keeps nothing; a waiting task is told", () => {
    const out = runSync(function* () {
      const [tx, rx] = oneshot<number>();
      const waiter = spawn(function* () {
        return yield* caught(rx);
      });
      yield* yieldNow();
      rx.close();
      return { err: yield* waiter, closed: tx.isClosed, sent: tx.send(5), state: rx.state };
    });
    expect(out.err).to.be.instanceOf(ChannelClosedError);
    expect((out.err as Error).message).to.match(/the receiver was closed/);
    expect(out).to.include({ closed: true, sent: false, state: "closed" });
  });

  it("a value sent before the receiver closed can still be received", () => {
    const got = runSync(function* () {
      const [tx, rx] = oneshot<string>();
      tx.send("kept");
      rx.close();
      return yield* rx;
    });
    expect(got).to.equal("kept");
  });

  it("tryRecv is undefined while empty", () => {
    const [tx, rx] = oneshot<number>();
    expect(rx.tryRecv()).to.equal(undefined);
    expect(tx.isClosed).to.equal(false);
    tx.send(3);
    expect(tx.isClosed).to.equal(true);
    expect(rx.tryRecv()).to.equal(3);
  });

  it("a waiter cancelled while it waits takes nothing: the value is still there for the next", () => {
    const out = runSync(function* () {
      const [tx, rx] = oneshot<number>();
      const h = spawn(rx);
      yield* yieldNow();
      h.abort();
      const err = yield* caught(h);
      const delivered = tx.send(9);
      return { err, delivered, v: yield* rx };
    });
    expect(out.err).to.be.instanceOf(CancelledError);
    expect(out.delivered).to.equal(true);
    expect(out.v).to.equal(9);
  });

  it("carries replies in a request/response pattern over a channel", () => {
    const got = runSync(function* () {
      const [tx, rx] = channel<{ n: number; reply: OneshotSender<number> }>();
      spawn(function* () {
        for (let req; (req = yield* rx.recv()) !== undefined; ) req.reply.send(req.n * 2);
      });
      const out: number[] = [];
      for (const n of [1, 2, 3]) {
        const [replyTx, replyRx] = oneshot<number>();
        tx.trySend({ n, reply: replyTx });
        out.push(yield* replyRx);
      }
      tx.close();
      return out;
    });
    expect(got).to.deep.equal([2, 4, 6]);
  });

  it("describes itself in a deadlock report", () => {
    const [, rx] = oneshot<number>({ name: "answer" });
    expect(() =>
      runSync(function* () {
        yield* rx;
      }),
    ).to.throw(DeadlockError, new RegExp(`waits on recv on oneshot#${rx.id} "answer"`));
  });
});
