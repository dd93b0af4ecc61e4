// yieldNow() is carried out by the driver itself (no poll, no self-wake) when nothing traces the
// run. These specs pin what that fast path must keep: the same order and counters as the polled
// path a traced run takes, cancellation at the yieldNow itself (rule 8), and the polled behaviour
// for every other poller (a combinator, a hand-written driver, a shared yieldNow object).

import { expect } from "chai";
import { CancelledError, Poll, Runtime, join, noopContext, race, runSync, spawn, yieldNow } from "../../lib/index";
import type { Future, Operation, TraceEvent } from "../../lib/index";

function* worker(name: string, log: string[], n: number): Operation<number> {
  for (let i = 0; i < n; i++) {
    log.push(`${name}${i}`);
    yield* yieldNow();
  }
  return n;
}

function program(log: string[]): Operation<number> {
  return (function* () {
    const a = spawn(worker("a", log, 3));
    const b = spawn(worker("b", log, 2));
    const c = spawn(worker("c", log, 1));
    return (yield* a) + (yield* b) + (yield* c);
  })();
}

describe("yieldNow() fast path", () => {
  it("gives the same order and counters as the polled path a traced run takes", () => {
    const untraced: string[] = [];
    const plain = new Runtime({ clock: "virtual" });
    plain.spawn(program(untraced));
    plain.runSync();

    const traced: string[] = [];
    const events: TraceEvent[] = [];
    const withSink = new Runtime({ clock: "virtual", trace: (e) => events.push(e) });
    withSink.spawn(program(traced));
    withSink.runSync();

    expect(untraced).to.deep.equal(["a0", "b0", "c0", "a1", "b1", "a2"]);
    expect(traced).to.deep.equal(untraced);
    const { polls, wakes, forcedYields } = plain.metrics;
    expect({ polls, wakes, forcedYields }).to.deep.equal({
      polls: withSink.metrics.polls,
      wakes: withSink.metrics.wakes,
      forcedYields: withSink.metrics.forcedYields,
    });
    expect(events.filter((e) => e.kind === "poll" && e.detail === "yieldNow()")).to.have.length(12); // 6 yields, 2 polls each
  });

  it("a task aborted while it waits its turn after yieldNow gets the CancelledError at that yield", () => {
    const log: string[] = [];
    const rt = new Runtime({ clock: "virtual" });
    const victim = rt.spawn(function* () {
      try {
        log.push("before");
        yield* yieldNow();
        log.push("after the yield (must not run)");
      } catch (error) {
        log.push(`caught ${(error as Error).name}`);
        throw error;
      }
    });
    rt.spawn(function* () {
      victim.abort(); // runs second: the victim is queued after its yieldNow
    });
    rt.runSync();
    expect(log).to.deep.equal(["before", `caught ${CancelledError.name}`]);
    expect(victim.finished).to.equal(true);
  });

  it("a cancelled task's yieldNow in a finally block ends that block (rule 8)", () => {
    const log: string[] = [];
    const rt = new Runtime({ clock: "virtual" });
    const victim = rt.spawn(function* () {
      try {
        yield* yieldNow();
      } finally {
        log.push("finally start");
        yield* yieldNow();
        log.push("finally after its yield (must not run)");
      }
    });
    rt.spawn(function* () {
      victim.abort();
    });
    rt.runSync();
    expect(log).to.deep.equal(["finally start"]);
  });

  it("is polled like any future by other pollers: each poller gets Pending once after waking, then Ready", () => {
    const y = yieldNow();
    let woken = 0;
    const waker = { wake: () => woken++, wakeByRef: () => woken++, clone: () => waker, willWake: () => false };
    const one = { waker };
    const two = { waker };
    expect(y.poll(one)).to.deep.equal(Poll.pending);
    expect(woken).to.equal(1);
    expect(y.poll(two)).to.deep.equal(Poll.pending); // another poller: its own Pending
    expect(woken).to.equal(2);
    expect(y.poll(one).ready).to.equal(true);
    expect(y.poll(two).ready).to.equal(true);
    expect(yieldNow().poll(one)).to.deep.equal(Poll.pending); // a new yield starts over
    (y as Future<void>).drop?.(one); // a poller that leaves after its Pending starts over too
    expect(yieldNow().poll(one)).to.deep.equal(Poll.pending);
    expect(yieldNow().poll(noopContext)).to.deep.equal(Poll.pending);
  });

  it("walks through yield* and for-of like a one-step iterator, also nested and by hand", () => {
    const seen: unknown[] = [];
    for (const f of yieldNow()) seen.push(f);
    expect(seen).to.have.length(1);
    function* twice(): Generator<unknown, string, unknown> {
      yield* yieldNow();
      yield* yieldNow();
      return "done";
    }
    const it = twice();
    expect(it.next().done).to.equal(false);
    expect(it.next().done).to.equal(false);
    expect(it.next()).to.deep.equal({ done: true, value: "done" });
  });

  it("a raw yield of it (yield, not yield*) resumes with undefined", () => {
    const out = runSync(function* () {
      const v: unknown = yield yieldNow();
      return v;
    });
    expect(out).to.equal(undefined);
  });

  it("works inside combinators and when one yieldNow object is yielded by two tasks", () => {
    const out = runSync(function* () {
      const shared = yieldNow();
      const a = spawn(function* () {
        yield* shared;
        return "a";
      });
      const b = spawn(function* () {
        yield* shared;
        return "b";
      });
      const r = yield* race(yieldNow(), (function* () {
        for (;;) yield* yieldNow();
      })());
      const both = yield* join(a, b);
      return [r, both];
    });
    expect(out).to.deep.equal([undefined, ["a", "b"]]);
  });
});
