// fromEvent and fromEventArgs: the next event of an EventEmitter or an EventTarget, errors,
// listeners that live only while a task waits, and outside-work counting.

import { EventEmitter } from "node:events";
import { expect } from "chai";
import { Runtime, current, race, run, sleep, spawn } from "../../lib/index";
import { fromEvent, fromEventArgs } from "../../lib/node/index";
import { rejection, thrown, words } from "./helpers";

describe("wakeful/node fromEvent", () => {
  it("is ready with the first argument of the next event of an EventEmitter", async () => {
    const e = new EventEmitter();
    const got = await run(function* () {
      const waiter = spawn(() => fromEvent<string>(e, "greet"));
      yield* sleep(1);
      e.emit("greet", "hello", "ignored");
      e.emit("greet", "second");
      return yield* waiter;
    });
    expect(got).to.equal("hello");
  });

  it("fromEventArgs is ready with every argument", async () => {
    const e = new EventEmitter();
    const got = await run(function* () {
      const waiter = spawn(() => fromEventArgs<[number, string]>(e, "pair"));
      yield* sleep(1);
      e.emit("pair", 1, "one");
      return yield* waiter;
    });
    expect(got).to.deep.equal([1, "one"]);
  });

  it("works with an EventTarget, ready with the Event", async () => {
    const target = new EventTarget();
    const got = await run(function* () {
      const waiter = spawn(() => fromEvent<Event>(target, "ping"));
      yield* sleep(1);
      target.dispatchEvent(new Event("ping"));
      return (yield* waiter).type;
    });
    expect(got).to.equal("ping");
  });

  it("throws an emitter's error event at the yield, as events.once does", async () => {
    const e = new EventEmitter();
    const error = await rejection(
      run(function* () {
        const waiter = spawn(() => fromEvent(e, "data"));
        yield* sleep(1);
        e.emit("error", new Error("boom"));
        return yield* waiter;
      }),
    );
    expect((error as Error).message).to.equal("boom");
  });

  it("listens only while a task waits: none before the first poll, none after the event or a cancel", async () => {
    const e = new EventEmitter();
    const counts = await run(function* () {
      const op = fromEvent(e, "x");
      const before = e.listenerCount("x");
      const waiter = spawn(() => op);
      yield* sleep(1);
      const waiting = [e.listenerCount("x"), e.listenerCount("error")];
      e.emit("x", 1);
      yield* waiter;
      const afterEvent = [e.listenerCount("x"), e.listenerCount("error")];
      const cancelled = yield* race(fromEvent(e, "y"), sleep(5));
      const afterCancel = [e.listenerCount("y"), e.listenerCount("error")];
      return { before, waiting, afterEvent, cancelled, afterCancel };
    });
    expect(counts).to.deep.equal({ before: 0, waiting: [1, 1], afterEvent: [0, 0], cancelled: undefined, afterCancel: [0, 0] });
  });

  it("counts as outside work while it waits, so a virtual clock waits for the emitter", async () => {
    const e = new EventEmitter();
    const rt = new Runtime({ clock: "virtual" });
    const h = rt.spawn(function* () {
      const waiter = spawn(() => fromEvent<number>(e, "tick"));
      yield* sleep(1);
      const pending = current().metrics.pendingExternal;
      setTimeout(() => e.emit("tick", 7), 5);
      const v = yield* waiter;
      return { pending, v, after: current().metrics.pendingExternal };
    });
    await rt.run();
    expect(await h).to.deep.equal({ pending: 1, v: 7, after: 0 });
  });

  it("describes what it waits for", () => {
    expect(words(fromEvent(new EventEmitter(), "data"))).to.equal("fromEvent(EventEmitter, data)");
    expect(words(fromEventArgs(new EventTarget(), "message"))).to.equal("fromEventArgs(EventTarget, message)");
  });

  it("refuses a source that is neither an emitter nor a target, and a bad event name", () => {
    expect((thrown(() => fromEvent({} as EventEmitter, "x")) as Error).message).to.include("EventEmitter (on/off) or an EventTarget");
    expect(thrown(() => fromEvent(new EventEmitter(), 5 as unknown as string))).to.be.instanceOf(TypeError);
    expect((thrown(() => fromEvent(new EventTarget(), Symbol("s"))) as Error).message).to.include("strings");
  });
});
