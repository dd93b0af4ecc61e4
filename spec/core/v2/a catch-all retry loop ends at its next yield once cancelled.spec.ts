// Issue 9, case 7. Rule 8: abort() throws a CancelledError into the task once; after that, outside
// shield(), any yield of the task ends it (the driver calls return() at that yield). A body that
// catches every error in a retry loop therefore ends at its next yield, and timeout() returns
// at its deadline. A task that swallows the error and returns still ends cancelled.
//
// How it failed before Core v2: `timeout(50, retryForever())` with a catch-all loop returned at
// t=16020 in the report: the swallowed CancelledError let the body go on sleeping and retrying.
// With the bounded loop below (30 attempts of sleep(1000)) the TimeoutError came at t=1050, not
// 50 (the retry's sleep after the swallowed error ran in full), and the aborted task ended at
// t=1010; an unbounded loop of the shape never let runSync() return (every loop here is
// bounded, so a spec fails instead of hanging).

import { expect } from "chai";
import { CancelledError, Runtime, TimeoutError, noopContext, sleep, timeout } from "../../../lib/index";
import type { JoinHandle, Operation } from "../../../lib/index";

const ATTEMPTS = 30;

/** A catch-all retry loop: every error, a CancelledError included, is swallowed and retried. */
function* retrying(log: string[], rt: Runtime): Operation<string> {
  for (let i = 1; i <= ATTEMPTS; i++) {
    try {
      log.push(`attempt ${i} at ${rt.now()}`);
      yield* sleep(1000);
      return "succeeded";
    } catch (error) {
      log.push(`caught ${(error as Error).name} at ${rt.now()}`);
    }
  }
  return "gave up";
}

/** A joiner of `h` and a task that aborts `h` at `ms`; `joined` holds what the joiner got once the run ends. */
function joinAndAbortAt(rt: Runtime, h: JoinHandle<unknown>, ms: number): { joined?: unknown } {
  const seen: { joined?: unknown } = {};
  rt.spawn(function* () {
    try {
      seen.joined = yield* h;
    } catch (error) {
      seen.joined = error;
    }
  });
  rt.spawn(function* () {
    yield* sleep(ms);
    h.abort();
  });
  return seen;
}

describe("Core v2 · case 7: a catch-all retry loop ends at its next yield once cancelled", () => {
  it("lets timeout(50, …) end a body that catches every error, at t=50", () => {
    const rt = new Runtime({ clock: "virtual" });
    const log: string[] = [];
    const h = rt.spawn(function* () {
      try {
        return yield* timeout(50, () => retrying(log, rt));
      } catch (error) {
        return `${(error as Error).name} at ${rt.now()}`;
      }
    });
    rt.runSync();
    expect(h.poll(noopContext)).to.deep.equal({ ready: true, value: "TimeoutError at 50" });
    // The CancelledError is seen once; the loop's next yield (attempt 2's sleep) ends the body.
    expect(log).to.deep.equal(["attempt 1 at 0", "caught CancelledError at 50", "attempt 2 at 50"]);
  });

  it("ends an aborted task whose catch-all loop swallows the CancelledError, and its joiners get a CancelledError", () => {
    const rt = new Runtime({ clock: "virtual" });
    const log: string[] = [];
    const h = rt.spawn(() => retrying(log, rt), { name: "retrying" });
    const seen = joinAndAbortAt(rt, h, 10);
    rt.runSync();
    expect(rt.now()).to.equal(10);
    expect(log).to.deep.equal(["attempt 1 at 0", "caught CancelledError at 10", "attempt 2 at 10"]);
    expect(seen.joined).to.be.instanceOf(CancelledError);
    expect(rt.metrics.cancelled).to.equal(1);
  });

  it("ends a task that swallows the CancelledError and returns as cancelled", () => {
    const rt = new Runtime({ clock: "virtual" });
    const h = rt.spawn(function* () {
      try {
        yield* sleep(100);
      } catch {
        return "swallowed";
      }
      return "slept";
    });
    const seen = joinAndAbortAt(rt, h, 1);
    rt.runSync();
    expect(seen.joined).to.be.instanceOf(CancelledError);
  });

  it("rejects a timeout whose body swallows the cancellation with a TimeoutError, not the body's value", () => {
    const rt = new Runtime({ clock: "virtual" });
    const h = rt.spawn(function* () {
      try {
        return yield* timeout(5, function* () {
          try {
            yield* sleep(100);
          } catch {
            return "swallowed";
          }
          return "slept";
        });
      } catch (error) {
        return error;
      }
    });
    rt.runSync();
    const p = h.poll(noopContext);
    expect(p.ready && p.value).to.be.instanceOf(TimeoutError);
  });
});
