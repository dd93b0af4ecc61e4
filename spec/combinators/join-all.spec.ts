// join(a, b, …) and all(iterable): values in order, children run at once, and the first error
// cancels the rest and is rethrown after their finally blocks have run.

import { expect } from "chai";
import { CancelledError, all, join, pending, ready, runSync, sleep, spawn } from "../../lib/index";
import { Boom, outcome, virtual, worker } from "./helpers";

describe("join and all", () => {
  it("join gives a tuple of the values in argument order, whatever order they finish in", () => {
    const log: string[] = [];
    const r = outcome(function* () {
      const [a, b, c] = yield* join(worker(log, "a", { ms: 30 }), worker(log, "b", { ms: 10 }), ready(7));
      const typed: [string, string, number] = [a, b, c];
      return typed;
    });
    expect(r.value).to.deep.equal(["a", "b", 7]);
    expect(r.at).to.equal(30); // concurrently: the longest, not the sum
    expect(log).to.deep.equal(["b done", "b finally", "a done", "a finally"]);
  });

  it("accepts generator functions, operations, futures and join handles as bodies", () => {
    const r = outcome(function* () {
      const h = spawn(function* () {
        yield* sleep(5);
        return "handle";
      });
      return yield* join(
        function* () {
          yield* sleep(1);
          return "function";
        },
        (function* () {
          return "operation";
        })(),
        sleep(2),
        h,
      );
    });
    expect(r.value).to.deep.equal(["function", "operation", undefined, "handle"]);
  });

  it("all of an array literal is typed as a tuple, and of any other iterable as an array", () => {
    const r = outcome(function* () {
      const pair: [number, string] = yield* all([ready(1), ready("two")]);
      const list: number[] = yield* all(new Set([ready(3), ready(4)]));
      return [...pair, ...list];
    });
    expect(r.value).to.deep.equal([1, "two", 3, 4]);
  });

  it("all over an empty iterable gives [] and join() gives []", () => {
    expect(runSync(() => all([]))).to.deep.equal([]);
    expect(runSync(() => join())).to.deep.equal([]);
  });

  it("all accepts any iterable, such as a Set or a generator of bodies", () => {
    function* bodies() {
      for (let i = 1; i <= 3; i++) yield ready(i * 10);
    }
    expect(runSync(() => all(bodies()))).to.deep.equal([10, 20, 30]);
    expect(runSync(() => all(new Set([ready("x"), ready("y")])))).to.deep.equal(["x", "y"]);
  });

  it("rethrows the first error (the same object) after the cancelled siblings' finally blocks ran to the end", () => {
    const log: string[] = [];
    let caught: unknown;
    let boom: unknown;
    const rt = virtual();
    rt.spawn(function* () {
      try {
        yield* all([
          worker(log, "slow", { ms: 100, cleanupMs: 7 }),
          function* () {
            yield* sleep(10);
            boom = new Boom("first");
            throw boom;
          },
          worker(log, "later", { ms: 20, fail: true }),
        ]);
      } catch (error) {
        caught = error;
        log.push(`caught at t=${rt.now()}`);
      }
    });
    rt.runSync();
    expect(caught).to.equal(boom);
    expect(log).to.deep.equal(["slow finally", "later finally", "slow cleaned", "caught at t=17"]);
  });

  it("cancels the others with CancelledError, never letting code after their yield run", () => {
    const seen: unknown[] = [];
    const r = outcome(function* () {
      return yield* join(
        function* () {
          try {
            yield* sleep(50);
            seen.push("after sleep");
          } catch (error) {
            seen.push(error);
            throw error;
          }
        },
        function* () {
          yield* sleep(1);
          throw new Boom("x");
        },
      );
    });
    expect(r.error).to.be.instanceOf(Boom);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.be.instanceOf(CancelledError);
  });

  it("of two failures, the earlier one wins", () => {
    const log: string[] = [];
    const r = outcome(() => all([worker(log, "late", { ms: 9, fail: true }), worker(log, "early", { ms: 3, fail: true })]));
    expect((r.error as Error).message).to.equal("early failed");
  });

  it("keeps the errors that cancelled siblings throw from their finally blocks: AggregateError, deciding error first", () => {
    const log: string[] = [];
    const cleanup = new Error("cleanup failed");
    let first: unknown;
    const r = outcome(() =>
      all([
        worker(log, "a", { ms: 50, cleanupError: cleanup }),
        function* () {
          yield* sleep(1);
          throw (first = new Boom("first"));
        },
      ]),
    );
    expect(r.error).to.be.instanceOf(AggregateError);
    expect((r.error as AggregateError).errors).to.deep.equal([first, cleanup]);
    expect((r.error as AggregateError).message).to.match(/^all\(\): 2 errors \(the first decided the outcome/);
  });

  it("keeps a sibling's error when it failed in the same instant, before it could be cancelled", () => {
    const e1 = new Boom("one");
    const e2 = new Boom("two");
    const r = outcome(() =>
      join(
        function* () {
          throw e1;
        },
        function* () {
          throw e2;
        },
      ),
    );
    expect(r.error).to.be.instanceOf(AggregateError);
    expect((r.error as AggregateError).errors).to.deep.equal([e1, e2]);
  });

  it("joins its children's errors: the runtime does not report them again as unobserved failures", () => {
    const rt = virtual();
    let caught: unknown;
    rt.spawn(function* () {
      try {
        yield* join(function* () {
          yield* sleep(1);
          throw new Boom("joined");
        });
      } catch (error) {
        caught = error;
      }
    });
    expect(() => rt.runSync()).not.to.throw();
    expect(caught).to.be.instanceOf(Boom);
    expect(rt.metrics.failed).to.equal(1);
  });

  it("starts nothing before it is first polled", () => {
    const rt = virtual();
    let started = 0;
    const op = all([
      function* () {
        started++;
      },
    ]);
    expect(started).to.equal(0);
    rt.spawn(function* () {
      yield* sleep(5);
      expect(started).to.equal(0);
      yield* op;
    });
    rt.runSync();
    expect(started).to.equal(1);
    expect(rt.metrics.spawned).to.equal(2);
  });

  it("answers a poll after the end with the same outcome", () => {
    const r = outcome(function* () {
      const op = join(ready(1), ready(2));
      const first = yield* op;
      const second = yield* op;
      return first === second;
    });
    expect(r.value).to.equal(true);
  });

  it("joins a JoinHandle body without owning it: a failing sibling does not abort that task", () => {
    const log: string[] = [];
    const rt = virtual();
    rt.spawn(function* () {
      const h = spawn(worker(log, "owned elsewhere", { ms: 20 }));
      try {
        yield* join(h, worker(log, "failing", { ms: 1, fail: true }));
      } catch {
        log.push("caught");
      }
      log.push(`joined later: ${yield* h}`);
    });
    rt.runSync();
    expect(log).to.deep.equal(["failing finally", "caught", "owned elsewhere done", "owned elsewhere finally", "joined later: owned elsewhere"]);
  });

  it("describes itself for deadlock reports: how many children are pending, and the futures it polls inline", () => {
    const rt = virtual();
    rt.spawn(function* () {
      yield* all([ready(1), pending(), function* () {
        yield* pending();
      }]);
    });
    expect(() => rt.runSync()).to.throw(/waits on all\(2 of 3 pending\) \(pending\(\) \(never ready\)\)/);
    const rt2 = virtual();
    rt2.spawn(function* () {
      yield* join(pending(), pending());
    });
    expect(() => rt2.runSync()).to.throw(/waits on join\(2 of 2 pending\)/);
  });

  it("rejects bad input with a TypeError that names it", () => {
    expect(() => all(5 as never)).to.throw(TypeError, /all\(\) needs an iterable of bodies .*not 5/);
    expect(() => all([ready(1), 42 as never])).to.throw(TypeError, /all\(\): item 1 needs to be a generator function, an operation or a future, not 42/);
    expect(() => join(ready(1), "x" as never)).to.throw(TypeError, /join\(\): argument 1 .*not "x"/);
  });

  it("fails clearly when a task-backed child is polled outside any task", () => {
    const op = all([function* () {}]);
    expect(() => op.poll({ waker: { wake() {}, wakeByRef() {}, clone() { return this; }, willWake: () => false } })).to.throw(
      /all\(\) must be used inside a wakeful task/,
    );
  });
});
