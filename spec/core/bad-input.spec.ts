// Bad input is refused at the call, with an error that names the problem and the value.

import { expect } from "chai";
import { Runtime, fromPromise, interval, noopContext, pollFn, runSync, sleep, sleepUntil, timeout } from "../../lib/index";
import type { MissedTickBehavior, RuntimeOptions, Scheduler } from "../../lib/index";
import { thrown, virtual } from "./helpers";

function refuses(f: () => unknown, type: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, ...words: string[]): void {
  const e = thrown(f);
  expect(e).to.be.instanceOf(type);
  for (const w of words) expect((e as Error).message).to.include(w);
}

describe("bad input gets a clear error at the call", () => {
  describe("time", () => {
    it("refuses a negative sleep", () => refuses(() => sleep(-1), RangeError, "sleep", "-1"));
    it("refuses a NaN sleep", () => refuses(() => sleep(NaN), RangeError, "sleep", "NaN"));
    it("refuses a sleep that is not a number", () => refuses(() => sleep("5" as unknown as number), RangeError, "sleep", '"5"'));
    it("refuses sleep(Infinity) and points to pending()", () => refuses(() => sleep(Infinity), RangeError, "Infinity", "pending()"));
    it("refuses a NaN deadline for sleepUntil", () => refuses(() => sleepUntil(NaN), RangeError, "sleepUntil", "NaN"));
    // Regression (was a core bug, now fixed): sleep(Infinity) is refused (use pending()), but sleepUntil(Infinity) is
    // accepted: a virtual clock then jumps to t=Infinity and every later deadline is already
    // due. Fix: refuse a non-finite deadline in sleepUntil() with the same hint.
    it("refuses sleepUntil(Infinity) like sleep(Infinity)", () => refuses(() => sleepUntil(Infinity), RangeError, "Infinity", "pending()"));
    it("refuses a negative timeout", () => refuses(() => timeout(-5, sleep(1)), RangeError, "timeout", "-5"));
    it("refuses a timeout body that is not a body", () => refuses(() => timeout(5, 42 as never), TypeError, "timeout", "42"));
    it("refuses an interval of 0 ms", () => refuses(() => interval(0), RangeError, "interval", "> 0"));
    it("refuses a negative interval", () => refuses(() => interval(-10), RangeError, "interval", "-10"));
    it("refuses an unknown missedTick", () =>
      refuses(() => interval(10, { missedTick: "sometimes" as MissedTickBehavior }), RangeError, "missedTick", '"sometimes"'));
  });

  describe("runtime options", () => {
    const bad = (o: unknown) => () => new Runtime(o as RuntimeOptions);
    it("refuses a budget of 0", () => refuses(bad({ budget: 0 }), RangeError, "budget", "0"));
    it("refuses a negative or fractional budget", () => {
      refuses(bad({ budget: -3 }), RangeError, "budget", "-3");
      refuses(bad({ budget: 1.5 }), RangeError, "budget", "1.5");
    });
    it("refuses a budget given as a string", () => refuses(bad({ budget: "10" }), RangeError, "budget", '"10"'));
    it("refuses an unknown clock, naming it", () => refuses(bad({ clock: "wall" }), RangeError, '"wall"', "real", "virtual"));
    it("refuses a scheduler without chooseTask", () => refuses(bad({ scheduler: {} as Scheduler }), TypeError, "chooseTask"));
    it("refuses a trace option that is neither boolean nor function", () => refuses(bad({ trace: "yes" }), TypeError, "trace", '"yes"'));
    it("refuses an onTaskError that is not a function", () => refuses(bad({ onTaskError: 5 }), TypeError, "onTaskError", "5"));
    it("refuses options that are not an object", () => refuses(bad(null), TypeError, "options", "null"));
  });

  describe("spawning", () => {
    it("refuses a body that is neither a generator function, an operation nor a future", () => {
      const rt = virtual();
      refuses(() => rt.spawn(42 as never), TypeError, "spawn", "42");
      refuses(() => rt.spawn(null as never), TypeError, "spawn", "null");
      refuses(() => rt.spawn("go" as never), TypeError, "spawn", '"go"');
    });

    it("refuses a task name that is not a string", () => {
      const rt = virtual();
      refuses(() => rt.spawn(function* () {}, { name: 7 as unknown as string }), TypeError, "name", "7");
    });

    it("fails an async function body with a TypeError that says to use function*", () => {
      const rt = virtual();
      const h = rt.spawn((async () => 1) as never);
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
      expect((got as Error).message).to.include("async function");
      expect((got as Error).message).to.include("function*");
    });

    it("fails a function body that returns something not runnable, naming it", () => {
      const e = thrown(() => runSync((() => 5) as never));
      expect(e).to.be.instanceOf(TypeError);
      expect((e as Error).message).to.include("a function returning 5");
    });
  });

  describe("futures", () => {
    it("refuses fromPromise of a value that is not a Promise", () => refuses(() => fromPromise(5 as never), TypeError, "fromPromise", "5"));
    it("refuses pollFn of something that is not a function", () => refuses(() => pollFn(5 as never), TypeError, "pollFn", "5"));
    it("refuses to poll sleep() outside a task, saying it needs one", () => {
      refuses(() => sleep(1).poll(noopContext), Error, "sleep", "task");
    });
  });
});
