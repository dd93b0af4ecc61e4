import { expect } from "chai";
import fc from "fast-check";
import {
  CancelledError,
  ChannelClosedError,
  DeadlockError,
  now,
  runSync,
  sleep,
  spawn,
  watch,
  yieldNow,
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

describe("sync: watch()", () => {
  it("holds the initial value, counted as seen", () => {
    const [tx, rx] = watch("idle");
    expect(rx.borrow()).to.equal("idle");
    expect(tx.borrow()).to.equal("idle");
    expect(rx.hasChanged()).to.equal(false);
  });

  it("changed() waits for a newer value, then borrow() reads it", () => {
    const got = runSync(function* () {
      const [tx, rx] = watch("idle");
      spawn(function* () {
        yield* sleep(5);
        tx.send("busy");
      });
      yield* rx.changed();
      return [now(), rx.borrow(), rx.hasChanged()];
    });
    expect(got).to.deep.equal([5, "busy", false]);
  });

  it("changed() is ready at once when an unseen value exists, and marks it seen", () => {
    runSync(function* () {
      const [tx, rx] = watch(0);
      tx.send(1);
      expect(rx.hasChanged()).to.equal(true);
      yield* rx.changed();
      expect(rx.hasChanged()).to.equal(false);
      expect(rx.borrow()).to.equal(1);
    });
  });

  it("keeps only the latest value: a slow receiver skips the ones in between", () => {
    const got = runSync(function* () {
      const [tx, rx] = watch(0);
      const seen: number[] = [];
      const h = spawn(function* () {
        for (;;) {
          const err = yield* caught(rx.changed());
          if (err !== undefined) return seen;
          seen.push(rx.borrow());
          yield* sleep(10);
        }
      });
      for (let i = 1; i <= 5; i++) {
        tx.send(i);
        yield* sleep(3);
      }
      tx.close();
      return yield* h;
    });
    expect(got).to.deep.equal([1, 4, 5]);
  });

  it("borrowAndUpdate marks the value seen", () => {
    const [tx, rx] = watch({ n: 0 });
    tx.send({ n: 1 });
    expect(rx.borrowAndUpdate()).to.deep.equal({ n: 1 });
    expect(rx.hasChanged()).to.equal(false);
    expect(rx.borrow()).to.deep.equal({ n: 1 });
  });

  it("after the sender closes: an unseen value is still reported once, then changed() throws", () => {
    const out = runSync(function* () {
      const [tx, rx] = watch("a");
      tx.send("b");
      tx.close();
      tx.close(); // idempotent
      const first = yield* caught(rx.changed());
      const second = yield* caught(rx.changed());
      return { first, second, value: rx.borrow(), closed: rx.closed };
    });
    expect(out.first).to.equal(undefined);
    expect(out.second).to.be.instanceOf(ChannelClosedError);
    expect((out.second as Error).message).to.match(/changed on watch#\d+: the sender is closed/);
    expect(out.value).to.equal("b");
    expect(out.closed).to.equal(true);
  });

  it("wakes a waiting changed() with ChannelClosedError when the sender closes", () => {
    const err = runSync(function* () {
      const [tx, rx] = watch(1);
      const h = spawn(function* () {
        return yield* caught(rx.changed());
      });
      yield* yieldNow();
      tx.close();
      return yield* h;
    });
    expect(err).to.be.instanceOf(ChannelClosedError);
  });

  it("send after close throws; send with no receiver still stores the value and says false", () => {
    const [tx, rx] = watch(0);
    rx.close();
    expect(tx.receiverCount).to.equal(0);
    expect(tx.send(7)).to.equal(false);
    expect(tx.borrow()).to.equal(7);
    const late = tx.subscribe();
    expect(late.borrow()).to.equal(7);
    expect(late.hasChanged()).to.equal(false);
    expect(tx.send(8)).to.equal(true);
    tx.close();
    expect(() => tx.send(9)).to.throw(ChannelClosedError);
  });

  it("wakes every receiver waiting, each once", () => {
    const got = runSync(function* () {
      const [tx, rx] = watch("v0");
      const rx2 = tx.subscribe();
      const rx3 = rx.clone();
      const hs = [rx, rx2, rx3].map((r) =>
        spawn(function* () {
          yield* r.changed();
          return r.borrow();
        }),
      );
      yield* yieldNow();
      tx.send("v1");
      const out: string[] = [];
      for (const h of hs) out.push(yield* h);
      return out;
    });
    expect(got).to.deep.equal(["v1", "v1", "v1"]);
  });

  it("clone keeps what the original has seen", () => {
    const [tx, rx] = watch(0);
    tx.send(1);
    const c = rx.clone();
    expect(c.hasChanged()).to.equal(true);
    rx.borrowAndUpdate();
    expect(rx.clone().hasChanged()).to.equal(false);
  });

  it("closing a receiver unsubscribes it and fails its waiting changed()", () => {
    const out = runSync(function* () {
      const [tx, rx] = watch(0);
      const h = spawn(function* () {
        return yield* caught(rx.changed());
      });
      yield* yieldNow();
      rx.close();
      rx.close();
      return { err: yield* h, count: tx.receiverCount };
    });
    expect(out.err).to.be.instanceOf(ChannelClosedError);
    expect(out.count).to.equal(0);
    const [, rx] = watch(0);
    rx.close();
    expect(() => rx.changed()).to.throw(ChannelClosedError, /this receiver was closed/);
  });

  it("a changed() woken but cancelled before it ran marks nothing seen", () => {
    const out = runSync(function* () {
      const [tx, rx] = watch(0);
      const h = spawn(function* () {
        yield* rx.changed();
      });
      yield* yieldNow();
      tx.send(1); // wakes h…
      h.abort(); // …which is cancelled before it polls again
      const err = yield* caught(h);
      return { err, changed: rx.hasChanged() };
    });
    expect(out.err).to.be.instanceOf(CancelledError);
    expect(out.changed).to.equal(true);
  });

  it("property: a receiver sees versions only move forward, and always ends on the last value sent", () => {
    const program = fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 4 })), { maxLength: 20 }); // -1: send, n: sleep n
    fc.assert(
      fc.property(program, fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), (steps, paces) => {
        runSync(function* () {
          const [tx, rx] = watch(0);
          const readers = paces.map((pace, i) =>
            spawn(function* () {
              const r = i === 0 ? rx : tx.subscribe();
              const seen: number[] = [];
              for (;;) {
                const err = yield* caught(r.changed());
                if (err !== undefined) {
                  expect(err).to.be.instanceOf(ChannelClosedError);
                  return { seen, last: r.borrow() };
                }
                seen.push(r.borrow());
                if (pace > 0) yield* sleep(pace);
              }
            }),
          );
          let v = 0;
          for (const s of steps) {
            if (s < 0) tx.send(++v);
            else yield* sleep(s);
          }
          tx.close();
          for (const h of readers) {
            const { seen, last } = yield* h;
            for (let i = 1; i < seen.length; i++) expect(seen[i] as number).to.be.greaterThan(seen[i - 1] as number);
            expect(last).to.equal(v);
            if (seen.length > 0) expect(seen[seen.length - 1]).to.equal(v);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it("describes a waiting changed() in a deadlock report", () => {
    const [tx, rx] = watch(0, { name: "config" });
    expect(() =>
      runSync(function* () {
        yield* rx.changed();
      }),
    ).to.throw(DeadlockError, new RegExp(`waits on changed on watch#${tx.id} "config"`));
  });
});
