// One wakeful/node future awaited by several tasks: every waiter is woken by the host event and
// receives its one outcome; a drop removes only the dropping waiter, and the listener goes only
// with the last one. Each case failed when a host future kept a single waker (the second poll
// replaced it) and drop() unsubscribed for everyone.

import { EventEmitter } from "node:events";
import { expect } from "chai";
import { DeadlockError, Runtime, runSync, sleep, spawn, type Context, type Future } from "../../lib/index";
import { SimpleWaker } from "../../lib/primitives/index";
import { fromEvent } from "../../lib/node/index";

/** A context whose waker never polled anything. */
class Stranger extends SimpleWaker implements Context {
  wake(): void {}
  get waker(): this {
    return this;
  }
}

describe("wakeful/node: one future, several waiters", () => {
  it("fromEvent() awaited by two tasks: one event wakes both, and both get its value", () => {
    const e = new EventEmitter();
    const got = runSync(function* () {
      const next = fromEvent<string>(e, "greet");
      const a = spawn(() => next);
      const b = spawn(() => next);
      yield* sleep(1);
      e.emit("greet", "hello");
      e.emit("greet", "again");
      return [yield* a, yield* b];
    });
    expect(got).to.deep.equal(["hello", "hello"]);
    expect(e.listenerCount("greet")).to.equal(0);
  });

  it("fromEvent() dropped by a waiter that never polled it keeps listening for the one that did", () => {
    const e = new EventEmitter();
    const got = runSync(function* () {
      const next = fromEvent<string>(e, "greet");
      const a = spawn(() => next);
      yield* sleep(1);
      (next as Future<string>).drop?.(new Stranger());
      expect(e.listenerCount("greet")).to.equal(1);
      e.emit("greet", "hello");
      return yield* a;
    });
    expect(got).to.equal("hello");
  });

  it("fromEvent(): cancelling one of two waiters keeps the listener for the other; the last one removes it", () => {
    const e = new EventEmitter();
    const rt = new Runtime({ clock: "virtual" });
    const next = fromEvent<string>(e, "greet");
    const a = rt.spawn(() => next);
    const b = rt.spawn(() => next);
    rt.step();
    rt.step();
    a.abort();
    rt.step(); // a runs its cancellation: drop(cx) for a only
    expect(e.listenerCount("greet")).to.equal(1);
    b.abort();
    rt.step();
    expect(e.listenerCount("greet")).to.equal(0);
    expect(() => rt.runSync()).to.not.throw(DeadlockError);
  });
});
