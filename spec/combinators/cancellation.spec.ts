// Cancelling the task that waits on a combinator: every child is cancelled and the task's own
// CancelledError arrives only after their finally blocks have run. Errors thrown by those
// finally blocks are not lost.

import { expect } from "chai";
import { CancelledError, JoinSet, all, allSettled, join, race, scope, select, sleep, timeout } from "../../lib/index";
import type { JoinHandle, Operation } from "../../lib/index";
import { virtual, worker } from "./helpers";

/** Spawn `body` as a task that logs how it ended, abort it at t=`at`, run to the end. */
function abortAt(at: number, body: (log: string[]) => Operation<unknown>) {
  const rt = virtual();
  const log: string[] = [];
  let error: unknown;
  const h: JoinHandle<unknown> = rt.spawn(function* () {
    try {
      return yield* body(log);
    } catch (e) {
      error = e;
      log.push(`parent sees ${(e as Error).name} at t=${rt.now()}`);
      throw e;
    }
  });
  rt.spawn(function* () {
    yield* sleep(at);
    h.abort();
  });
  let unjoined: unknown;
  try {
    rt.runSync();
  } catch (e) {
    unjoined = e; // the parent failed and nobody joined it: the runtime reports its error
  }
  return { log, error, rt, h, unjoined };
}

describe("cancelling the task that waits on a combinator", () => {
  const cases: [string, (log: string[]) => Operation<unknown>][] = [
    ["join", (log) => join(worker(log, "a", { ms: 50, cleanupMs: 4 }), worker(log, "b", { ms: 60 }))],
    ["all", (log) => all([worker(log, "a", { ms: 50, cleanupMs: 4 }), worker(log, "b", { ms: 60 })])],
    ["allSettled", (log) => allSettled([worker(log, "a", { ms: 50, cleanupMs: 4 }), worker(log, "b", { ms: 60 })])],
    ["race", (log) => race(worker(log, "a", { ms: 50, cleanupMs: 4 }), worker(log, "b", { ms: 60 }))],
    ["select", (log) => select({ a: worker(log, "a", { ms: 50, cleanupMs: 4 }), b: worker(log, "b", { ms: 60 }) })],
    [
      "scope",
      (log) =>
        scope(function* (s) {
          s.spawn(worker(log, "b", { ms: 60 }));
          yield* worker(log, "a", { ms: 50, cleanupMs: 4 }); // the body is the scope's first child
        }),
    ],
    [
      "JoinSet.joinAll",
      (log) => {
        const set = new JoinSet<string>();
        return {
          *[Symbol.iterator]() {
            set.spawn(worker(log, "a", { ms: 50, cleanupMs: 4 }));
            set.spawn(worker(log, "b", { ms: 60 }));
            return yield* set.joinAll();
          },
        };
      },
    ],
  ];
  for (const [name, body] of cases) {
    it(`${name}: cancels every child and delivers the parent's CancelledError only after their finally blocks finished`, () => {
      const { log, error, rt, h } = abortAt(10, body);
      expect(error).to.be.instanceOf(CancelledError);
      expect(log).to.deep.equal(["a finally", "b finally", "a cleaned", "parent sees CancelledError at t=14"]);
      expect(h.finished).to.equal(true);
      expect(rt.metrics.live).to.equal(0);
    });
  }

  it("a child's finally block that throws replaces the parent's cancellation with that error", () => {
    const cleanup = new Error("cleanup failed");
    const { error, rt, unjoined } = abortAt(10, (log) => all([worker(log, "a", { ms: 50, cleanupError: cleanup }), worker(log, "b", { ms: 50 })]));
    expect(error).to.equal(cleanup);
    expect(unjoined).to.equal(cleanup);
    expect(rt.metrics.failed).to.equal(2); // the child, and the parent that failed with its error
  });

  it("several such errors arrive together as one AggregateError", () => {
    const e1 = new Error("one");
    const e2 = new Error("two");
    const { error, unjoined } = abortAt(10, (log) => race(worker(log, "a", { ms: 50, cleanupError: e1 }), worker(log, "b", { ms: 50, cleanupMs: 1, cleanupError: e2 })));
    expect(error).to.be.instanceOf(AggregateError);
    expect((error as AggregateError).errors).to.deep.equal([e1, e2]);
    expect((error as AggregateError).message).to.match(/race\(\): 2 errors \(thrown while its children were cancelled\)/);
    expect(unjoined).to.equal(error);
  });

  it("tears down nested combinators polled inline: the inner children unwind before the outer race returns", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      yield* race(all([worker(log, "a", { ms: 50, cleanupMs: 2 }), race(worker(log, "b", { ms: 60, cleanupMs: 3 }), sleep(100))]), sleep(5));
      log.push(`race returned at t=${rt.now()}`);
      expect(rt.metrics.live).to.equal(1);
    });
    rt.runSync();
    expect(log).to.deep.equal(["a finally", "b finally", "a cleaned", "b cleaned", "race returned at t=8"]);
  });

  it("timeout around a combinator waits for the children's cleanup before TimeoutError", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      try {
        yield* timeout(10, all([worker(log, "a", { ms: 50, cleanupMs: 5 }), worker(log, "b", { ms: 50 })]));
      } catch (e) {
        log.push(`${(e as Error).name} at t=${rt.now()}`);
      }
    });
    rt.runSync();
    expect(log).to.deep.equal(["a finally", "b finally", "a cleaned", "TimeoutError at t=15"]);
  });

  it("Runtime.shutdown() mid-combinator unwinds the children and the parent", () => {
    const rt = virtual();
    const log: string[] = [];
    const h = rt.spawn(function* () {
      try {
        yield* all([worker(log, "a", { ms: 50, cleanupMs: 1 }), worker(log, "b", { ms: 50 })]);
      } finally {
        log.push("parent finally");
      }
    });
    rt.step();
    rt.step();
    rt.step();
    rt.shutdown();
    rt.runSync();
    expect(h.finished).to.equal(true);
    expect(log).to.deep.equal(["a finally", "b finally", "a cleaned", "parent finally"]);
    expect(rt.metrics.live).to.equal(0);
  });
});
