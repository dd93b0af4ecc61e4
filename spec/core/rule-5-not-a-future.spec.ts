// Driver rule 5: yielding something that is not a future throws a TypeError naming it into the
// generator, at that yield (so the task can catch it).

import { expect } from "chai";
import { sleep } from "../../lib/index";
import { virtual } from "./helpers";

/** What a task catches when it yields `value`. */
function caughtFromYielding(value: unknown): unknown {
  const rt = virtual();
  let caught: unknown;
  rt.spawn(function* () {
    try {
      yield value as never;
    } catch (e) {
      caught = e;
    }
  });
  rt.runSync();
  return caught;
}

describe("rule 5: yielding a value that is not a future throws a TypeError naming it", () => {
  it("names a number", () => {
    const e = caughtFromYielding(5);
    expect(e).to.be.instanceOf(TypeError);
    expect((e as Error).message).to.match(/yielded 5,/);
    expect((e as Error).message).to.include("not a Future");
  });

  it("names a Promise and suggests fromPromise", () => {
    const p = Promise.resolve(1);
    const e = caughtFromYielding(p);
    expect(e).to.be.instanceOf(TypeError);
    expect((e as Error).message).to.include("a Promise");
    expect((e as Error).message).to.include("fromPromise");
  });

  it("names a generator object and suggests yield*", () => {
    function* inner() {
      yield* sleep(1);
    }
    const e = caughtFromYielding(inner());
    expect(e).to.be.instanceOf(TypeError);
    expect((e as Error).message).to.include("a generator object");
    expect((e as Error).message).to.include("yield*");
  });

  it("names undefined, strings and plain objects", () => {
    expect((caughtFromYielding(undefined) as Error).message).to.include("yielded undefined");
    expect((caughtFromYielding("hi") as Error).message).to.include('yielded "hi"');
    expect((caughtFromYielding({ a: 1 }) as Error).message).to.include("yielded an object");
  });

  it("lets the task continue after catching the TypeError", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      try {
        yield 42 as never;
      } catch {
        log.push("caught");
      }
      yield* sleep(5);
      log.push("slept");
    });
    rt.runSync();
    expect(log).to.deep.equal(["caught", "slept"]);
    expect(rt.now()).to.equal(5);
  });

  it("fails a task that does not catch it, with the TypeError", () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      yield null as never;
    });
    let got: unknown;
    rt.spawn(function* () {
      try {
        yield* h;
      } catch (e) {
        got = e;
      }
    });
    rt.runSync();
    expect(got).to.be.instanceOf(TypeError);
    expect((got as Error).message).to.include("yielded null");
  });
});
