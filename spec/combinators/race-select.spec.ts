// race(a, b, …) and select({ key: body }): the first to finish decides; the losers are cancelled
// and their finally blocks run to the end before the combinator returns.

import { expect } from "chai";
import { CancelledError, channel, pending, race, ready, select, sleep } from "../../lib/index";
import { Boom, outcome, virtual, worker } from "./helpers";

describe("race", () => {
  it("returns the first value, after every loser's finally block has run to the end", () => {
    const log: string[] = [];
    const rt = virtual();
    let value: string | undefined;
    rt.spawn(function* () {
      value = yield* race(worker(log, "slow", { ms: 50, cleanupMs: 5 }), worker(log, "fast", { ms: 10 }), worker(log, "slower", { ms: 80 }));
      log.push(`race returned at t=${rt.now()}`);
    });
    rt.runSync();
    expect(value).to.equal("fast");
    expect(log).to.deep.equal(["fast done", "fast finally", "slow finally", "slower finally", "slow cleaned", "race returned at t=15"]);
  });

  it("throws the first error (the same object) when the first to finish failed, after the losers unwound", () => {
    const log: string[] = [];
    let boom: unknown;
    const r = outcome(() =>
      race(worker(log, "loser", { ms: 50, cleanupMs: 3 }), function* () {
        yield* sleep(2);
        throw (boom = new Boom("first"));
      }),
    );
    expect(r.error).to.equal(boom);
    expect(r.at).to.equal(5);
    expect(log).to.deep.equal(["loser finally", "loser cleaned"]);
  });

  it("is typed as the union of its bodies' values", () => {
    const r = outcome(function* () {
      const v: number | string = yield* race(ready(1), ready("one"));
      return v;
    });
    expect(r.value).to.equal(1); // both ready at once: the first in argument order is polled first
  });

  it("leaves a loser future that was not polled ready untouched: a message it could have taken stays in the channel", () => {
    const rt = virtual();
    const [tx, rx] = channel<number>();
    let won: unknown = "nothing";
    let after: number | undefined;
    rt.spawn(function* () {
      yield* sleep(5); // its timer is older than the race's, so it fires first at t=5
      yield* tx.send(1);
    });
    rt.spawn(function* () {
      won = yield* race(sleep(5), rx.recv());
      after = yield* rx.recv();
    });
    rt.runSync();
    expect(won).to.equal(undefined); // the sleep was first on the ready list
    expect(after).to.equal(1);
  });

  it("throws an error a loser's finally block threw, rather than lose it", () => {
    const log: string[] = [];
    const cleanup = new Error("cleanup failed");
    const r = outcome(() => race(worker(log, "winner", { ms: 1 }), worker(log, "loser", { ms: 9, cleanupError: cleanup })));
    expect(r.error).to.equal(cleanup);
  });

  it("cancels a loser that is a pending future by dropping it", () => {
    const r = outcome(function* () {
      return yield* race(pending(), sleep(3));
    });
    expect(r.value).to.equal(undefined);
    expect(r.at).to.equal(3);
    expect(r.rt.metrics.timers).to.equal(0);
  });

  it("needs at least one body", () => {
    expect(() => race()).to.throw(RangeError, /race\(\) needs at least one body/);
    expect(() => race(ready(1), null as never)).to.throw(TypeError, /race\(\): argument 1 .*not null/);
  });

  it("describes itself for deadlock reports, naming the futures it polls inline", () => {
    const rt = virtual();
    rt.spawn(function* () {
      yield* race(pending(), function* () {
        yield* pending();
      });
    });
    expect(() => rt.runSync()).to.throw(/waits on race of 2 \(pending\(\) \(never ready\)\)/);
  });
});

describe("select", () => {
  it("gives { key, value } of the first branch to finish and cancels the rest", () => {
    const log: string[] = [];
    const r = outcome(() => select({ slow: worker(log, "slow", { ms: 40 }), quick: sleep(4) }));
    expect(r.value).to.deep.equal({ key: "quick", value: undefined });
    expect(r.at).to.equal(4);
    expect(log).to.deep.equal(["slow finally"]);
  });

  it("never starts a task branch when a future branch is ready at the first poll", () => {
    const log: string[] = [];
    const r = outcome(() => select({ slow: worker(log, "slow", { ms: 40 }), now: ready(5) }));
    expect(r.value).to.deep.equal({ key: "now", value: 5 });
    expect(log).to.deep.equal([]); // aborted before its first poll: its body never ran (rule 8)
    expect(r.rt.metrics.cancelled).to.equal(1);
  });

  it("is typed per key, so narrowing on key narrows the value", () => {
    const r = outcome(function* () {
      const s = yield* select({ text: ready("hello"), count: ready(3) });
      if (s.key === "text") {
        const t: string = s.value;
        return t.toUpperCase();
      }
      const n: number = s.value;
      return String(n + 1);
    });
    expect(r.value).to.equal("HELLO");
  });

  it("throws the error of a failing first branch after cancelling the others", () => {
    const log: string[] = [];
    const r = outcome(() => select({ bad: worker(log, "bad", { ms: 1, fail: true }), other: worker(log, "other", { ms: 10 }) }));
    expect(r.error).to.be.instanceOf(Boom);
    expect(log).to.deep.equal(["bad finally", "other finally"]);
  });

  it("names its branches when describing itself", () => {
    const rt = virtual();
    rt.spawn(function* () {
      yield* select({ never: pending(), also: pending() });
    });
    expect(() => rt.runSync()).to.throw(/waits on select of 2 \(never, also\)/);
  });

  it("rejects bad input clearly", () => {
    expect(() => select(null as never)).to.throw(TypeError, /select\(\) needs an object of named bodies/);
    expect(() => select({})).to.throw(RangeError, /at least one branch/);
    expect(() => select({ a: ready(1), b: 2 as never })).to.throw(TypeError, /select\(\): branch "b" .*not 2/);
  });

  it("loser branches see CancelledError", () => {
    const seen: unknown[] = [];
    outcome(() =>
      select({
        fast: sleep(1),
        slow: function* () {
          try {
            yield* sleep(10);
          } catch (error) {
            seen.push(error);
            throw error;
          }
        },
      }),
    );
    expect(seen).to.have.length(1);
    expect(seen[0]).to.be.instanceOf(CancelledError);
  });
});
