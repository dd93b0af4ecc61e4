// Time: timeout(ms, body). The body's value if it finishes in time; otherwise the body is
// cancelled, its finally blocks run to the end, and only then TimeoutError is thrown. Either
// way no timer is left armed.

import { expect } from "chai";
import { CancelledError, TimeoutError, now, pending, runSync, shield, sleep, timeout } from "../../lib/index";
import type { JoinHandle, Operation } from "../../lib/index";
import { Gate, virtual } from "./helpers";

describe("time: timeout", () => {
  it("returns the body's value when it finishes in time, and leaves no armed timer", () => {
    const rt = virtual();
    let timersAfter = -1;
    const h = rt.spawn(function* () {
      const v = yield* timeout(100, function* () {
        yield* sleep(10);
        return "in time";
      });
      timersAfter = rt.metrics.timers;
      return [v, now()] as const;
    });
    rt.runSync();
    expect(timersAfter).to.equal(0);
    expect(rt.now()).to.equal(10); // the dead 100 ms deadline did not move the clock
    return h.then((r) => expect(r).to.deep.equal(["in time", 10]));
  });

  it("throws TimeoutError only after the body's finally blocks ran, even when they wait in a shield", () => {
    const log: string[] = [];
    const err = runSync(function* () {
      try {
        yield* timeout(20, function* () {
          try {
            yield* sleep(1000);
            log.push("never");
          } finally {
            yield* shield(sleep(5)); // a cancelled task cannot wait unless shielded (rule 8)
            log.push(`body cleaned up at ${now()}`);
          }
        });
      } catch (e) {
        log.push(`caught at ${now()}`);
        return e;
      }
      return undefined;
    });
    expect(log).to.deep.equal(["body cleaned up at 25", "caught at 25"]);
    expect(err).to.be.instanceOf(TimeoutError);
    expect((err as TimeoutError).name).to.equal("TimeoutError");
    expect((err as TimeoutError).ms).to.equal(20);
    expect((err as TimeoutError).message).to.include("20 ms");
  });

  it("shows the body a CancelledError when it times out", () => {
    let seen: unknown;
    runSync(function* () {
      try {
        yield* timeout(5, function* () {
          try {
            yield* pending();
          } catch (e) {
            seen = e;
            throw e;
          }
        });
      } catch {
        // TimeoutError
      }
    });
    expect(seen).to.be.instanceOf(CancelledError);
  });

  it("times out a future body, polled inline, and drops it", () => {
    const rt = virtual();
    const gate = new Gate("never opened");
    let err: unknown;
    rt.spawn(function* () {
      try {
        yield* timeout(7, gate);
      } catch (e) {
        err = e;
      }
    });
    rt.runSync();
    expect(err).to.be.instanceOf(TimeoutError);
    expect(rt.now()).to.equal(7);
    expect(gate.drops).to.equal(1);
    expect(gate.waker).to.equal(undefined);
    expect(rt.metrics.timers).to.equal(0);
  });

  it("returns a future body's value when it is ready in time", () => {
    const v = runSync(function* () {
      yield* timeout(10, sleep(3));
      return now();
    });
    expect(v).to.equal(3);
  });

  it("lets a future body that is ready exactly at the deadline win", () => {
    const t = runSync(function* () {
      yield* timeout(10, sleep(10));
      return now();
    });
    expect(t).to.equal(10);
  });

  // A child task due at the deadline gets its turn before the timeout gives up, as tokio polls the inner future first.
  it("lets an operation body that finishes exactly at the deadline win, as a future body does", () => {
    const v = runSync(function* () {
      return yield* timeout(10, function* () {
        yield* sleep(10);
        return "on the dot";
      });
    });
    expect(v).to.equal("on the dot");
  });

  it("returns the value of a body that needs no time under timeout(0)", () => {
    const v = runSync(function* () {
      return yield* timeout(0, function* () {
        return "instant";
      });
    });
    expect(v).to.equal("instant");
  });

  it("rethrows the body's own error (not TimeoutError) and disarms the timer", () => {
    const rt = virtual();
    const boom = new Error("body failed");
    let err: unknown;
    let timers = -1;
    rt.spawn(function* () {
      try {
        yield* timeout(50, function* () {
          yield* sleep(1);
          throw boom;
        });
      } catch (e) {
        err = e;
        timers = rt.metrics.timers;
      }
    });
    rt.runSync();
    expect(err).to.equal(boom);
    expect(timers).to.equal(0);
    expect(rt.now()).to.equal(1);
  });

  it("rethrows an error thrown by the body's finally during the timeout, instead of TimeoutError", () => {
    const boom = new Error("cleanup failed");
    let err: unknown;
    runSync(function* () {
      try {
        yield* timeout(5, function* () {
          try {
            yield* pending();
          } finally {
            throw boom; // eslint-disable-line no-unsafe-finally
          }
        });
      } catch (e) {
        err = e;
      }
    });
    expect(err).to.equal(boom);
  });

  it("cancels the body and waits for its cleanup when the task awaiting the timeout is aborted", () => {
    const rt = virtual();
    const log: string[] = [];
    const h = rt.spawn(function* () {
      try {
        yield* timeout(100, function* () {
          try {
            yield* pending();
          } finally {
            yield* shield(sleep(3)); // a cancelled task cannot wait unless shielded (rule 8)
            log.push(`body cleaned at ${now()}`);
          }
        });
      } finally {
        log.push(`owner unwound at ${now()}`);
      }
    });
    rt.spawn(function* () {
      yield* sleep(10);
      h.abort();
    });
    let joined: unknown;
    rt.spawn(function* () {
      try {
        yield* h;
      } catch (e) {
        joined = e;
      }
    });
    rt.runSync();
    expect(log).to.deep.equal(["body cleaned at 13", "owner unwound at 13"]);
    expect(joined).to.be.instanceOf(CancelledError);
    expect(rt.metrics.timers).to.equal(0);
    expect(rt.now()).to.equal(13);
    expect(rt.metrics.live).to.equal(0);
  });

  // An inline body whose drop() asks to drain is drained before TimeoutError is thrown.
  it("throws TimeoutError after the cleanup of a nested timeout body finished", () => {
    const log: string[] = [];
    runSync(function* () {
      try {
        yield* timeout(
          5,
          timeout(100, function* () {
            try {
              yield* sleep(50);
            } finally {
              yield* shield(sleep(10)); // a cancelled task cannot wait unless shielded (rule 8)
              log.push(`inner finally at ${now()}`);
            }
          }),
        );
      } catch (e) {
        log.push(`${(e as Error).name} at ${now()}`);
      }
      yield* sleep(100);
    });
    expect(log).to.deep.equal(["inner finally at 15", "TimeoutError at 15"]);
  });

  it("gives its owner CancelledError, not TimeoutError, when the owner is aborted while the timed-out body unwinds", () => {
    const rt = virtual();
    const log: string[] = [];
    const owner = rt.spawn(function* () {
      try {
        yield* timeout(5, function* () {
          try {
            yield* pending();
          } finally {
            yield* shield(sleep(10)); // still unwinding at t=7; a cancelled task cannot wait unless shielded (rule 8)
            log.push(`body cleaned at ${now()}`);
          }
        });
      } catch (e) {
        log.push(`owner got ${(e as Error).name} at ${now()}`);
        throw e;
      }
    });
    rt.spawn(function* () {
      yield* sleep(7);
      owner.abort();
      owner.abort(); // again, while draining: a no-op
    });
    rt.runSync();
    expect(log).to.deep.equal(["body cleaned at 15", "owner got CancelledError at 15"]);
    expect(rt.metrics.cancelled).to.equal(2);
    expect(rt.metrics.timers).to.equal(0);
  });

  it("does not lose the body's error when the owner is aborted after the body failed: the owner sees it", () => {
    const rt = virtual();
    const boom = new Error("body failed first");
    let got: unknown;
    const owner = rt.spawn(function* () {
      try {
        yield* timeout(50, function* () {
          throw boom;
        });
      } catch (e) {
        got = e;
      }
    });
    rt.step(); // the owner spawns the body and parks
    rt.step(); // the body fails and wakes the owner
    owner.abort(); // before the owner takes the outcome
    rt.runSync();
    expect(got).to.equal(boom); // not lost: delivered instead of the cancellation
  });

  it("leaves no live task and no timer after many timeouts, finished or expired", () => {
    const rt = virtual();
    rt.spawn(function* () {
      for (let i = 0; i < 50; i++) {
        try {
          yield* timeout(5, function* () {
            yield* sleep(i % 2 === 0 ? 1 : 10);
          });
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
        }
      }
    });
    rt.runSync();
    expect(rt.metrics.timers).to.equal(0);
    expect(rt.metrics.live).to.equal(0);
    expect(rt.metrics.failed).to.equal(0);
    expect(rt.metrics.cancelled).to.equal(25);
  });

  it("describes what it waits on", () => {
    const rt = virtual();
    const h: JoinHandle<unknown> = rt.spawn(function* () {
      try {
        yield* timeout(9, pending());
      } catch (e) {
        return e;
      }
      return undefined;
    });
    const e = rt.step();
    expect(e?.detail).to.equal("waits on timeout(9) of pending() (never ready)");
    rt.runSync();
    expect(h.finished).to.equal(true);
  });

  it("accepts a generator object and a generator function as the body", () => {
    function* body(): Operation<number> {
      yield* sleep(1);
      return 1;
    }
    const v = runSync(function* () {
      return (yield* timeout(5, body())) + (yield* timeout(5, body));
    });
    expect(v).to.equal(2);
  });
});
