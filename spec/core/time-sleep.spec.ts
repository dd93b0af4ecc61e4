// Time: sleep, sleepUntil and now() on the virtual clock (exact) and the real clock (bounds
// only), and when a virtual clock is allowed to move: only when no task is ready.

import { expect } from "chai";
import { Runtime, now, run, runSync, sleep, sleepUntil, spawn, yieldNow } from "../../lib/index";
import { formatMs } from "../../lib/format-ms";
import { virtual } from "./helpers";

describe("time: sleep, sleepUntil and now", () => {
  describe("on a virtual clock", () => {
    it("starts at 0 and wakes a sleeper exactly at its deadline", () => {
      const times = runSync(function* () {
        const out = [now()];
        yield* sleep(10);
        out.push(now());
        yield* sleep(2.5);
        out.push(now());
        return out;
      });
      expect(times).to.deep.equal([0, 10, 12.5]);
    });

    it("wakes sleepUntil at the given time, and at once for a time already past", () => {
      const rt = virtual();
      const times: number[] = [];
      rt.spawn(function* () {
        yield* sleepUntil(25);
        times.push(now());
        yield* sleepUntil(3);
        times.push(now());
      });
      rt.runSync();
      expect(times).to.deep.equal([25, 25]);
    });

    it("counts a duration from the sleep's first poll, not from its creation", () => {
      const t = runSync(function* () {
        const s = sleep(10);
        yield* sleep(5);
        yield* s;
        return now();
      });
      expect(t).to.equal(15);
    });

    it("finishes sleep(0) at once without arming a timer or parking", () => {
      const rt = virtual();
      let timers = -1;
      rt.spawn(function* () {
        yield* sleep(0);
        timers = rt.metrics.timers;
      });
      const e = rt.step();
      expect(e?.kind).to.equal("complete");
      expect(timers).to.equal(0);
      expect(rt.metrics.timersFired).to.equal(0);
    });

    it("agrees with rt.now() and with the free now() inside a task", () => {
      const rt = virtual();
      let inside = -1;
      rt.spawn(function* () {
        yield* sleep(42);
        inside = now();
      });
      rt.runSync();
      expect(inside).to.equal(42);
      expect(rt.now()).to.equal(42);
    });

    it("advances only when no task is ready: a busy task sees time stand still", () => {
      const rt = virtual();
      const seen = new Set<number>();
      let wokeAt = -1;
      rt.spawn(function* () {
        yield* sleep(1);
        wokeAt = now();
      });
      rt.spawn(function* () {
        for (let i = 0; i < 1000; i++) {
          seen.add(now());
          yield* yieldNow();
        }
      });
      rt.runSync();
      expect([...seen]).to.deep.equal([0]);
      expect(wokeAt).to.equal(1);
    });

    it("jumps straight from one deadline to the next, firing each once", () => {
      const rt = virtual({ trace: true });
      const woke: [string, number][] = [];
      for (const [name, ms] of [["a", 30], ["b", 10], ["c", 20]] as const) {
        rt.spawn(function* () {
          yield* sleep(ms);
          woke.push([name, now()]);
        });
      }
      rt.runSync();
      expect(woke).to.deep.equal([["b", 10], ["c", 20], ["a", 30]]);
      expect(rt.metrics.timersFired).to.equal(3);
      expect(rt.trace.filter((e) => e.kind === "timer").map((e) => e.t)).to.deep.equal([10, 20, 30]);
    });

    it("leaves no armed timer behind when a sleeping task is cancelled, and does not jump to its deadline", () => {
      const rt = virtual();
      const h = rt.spawn(function* () {
        yield* sleep(1000);
      });
      rt.spawn(function* () {
        yield* sleep(5);
        h.abort();
      });
      rt.step();
      rt.step();
      expect(rt.metrics.timers).to.equal(2);
      rt.runSync();
      expect(rt.metrics.timers).to.equal(0);
      expect(rt.now()).to.equal(5);
    });

    it("wakes every task that waits on the same sleep future", () => {
      const rt = virtual();
      const shared = sleep(10);
      const log: string[] = [];
      for (const name of ["a", "b", "c"]) {
        rt.spawn(function* () {
          yield* shared;
          log.push(`${name} ${now()}`);
        });
      }
      rt.runSync();
      expect(log).to.deep.equal(["a 10", "b 10", "c 10"]);
    });

    // Regression (was a core bug, now fixed): a sleep polled by several tasks keeps one timer entry with a fan-out waker, but
    // Sleep.drop() (one waiter cancelled) disarms that entry for everyone: the other waiters are
    // never woken, and the runtime reports a deadlock. Fix: on drop, remove only the dropping
    // task's waker from the fan-out (currentTask() is the dropping task) and disarm the entry
    // only when no waiter is left — as FromPromise.drop does with its WakerSet.
    it("still wakes the other waiters of a shared sleep when one of them is cancelled", () => {
      const rt = virtual();
      const shared = sleep(10);
      const log: string[] = [];
      const a = rt.spawn(function* () {
        yield* shared;
        log.push("a");
      });
      rt.spawn(function* () {
        yield* shared;
        log.push(`b ${now()}`);
      });
      rt.spawn(function* () {
        yield* sleep(1);
        a.abort();
      });
      rt.runSync();
      expect(log).to.deep.equal(["b 10"]);
    });

    it("describes a sleep with its deadline once it has been polled", () => {
      const rt = virtual();
      rt.spawn(function* () {
        yield* sleep(50);
      });
      const e = rt.step();
      expect(e?.detail).to.equal("waits on sleep(50) until t=50");
      rt.runSync();
    });
  });

  describe("on a real clock", () => {
    it("sleeps at least the given time", async () => {
      const rt = new Runtime();
      const h = rt.spawn(function* () {
        const t0 = now();
        yield* sleep(5);
        return now() - t0;
      });
      await rt.run();
      expect(await h).to.be.at.least(5);
    });

    it("runs many short sleepers to completion, in deadline order", async () => {
      const order: number[] = [];
      await run(function* () {
        const hs = [6, 2, 4].map((ms) =>
          spawn(function* () {
            yield* sleep(ms);
            order.push(ms);
          }),
        );
        for (const h of hs) yield* h;
      });
      expect(order).to.deep.equal([2, 4, 6]);
    });

    it("arms at most one host timer at a time, however many timers wait", async () => {
      const realSet = globalThis.setTimeout;
      const realClear = globalThis.clearTimeout;
      const live = new Set<unknown>();
      let most = 0;
      const g = globalThis as unknown as Record<string, unknown>;
      g.setTimeout = (cb: () => void, ms?: number) => {
        const handle: unknown = realSet(() => {
          live.delete(handle);
          cb();
        }, ms);
        live.add(handle);
        most = Math.max(most, live.size);
        return handle;
      };
      g.clearTimeout = (handle: ReturnType<typeof setTimeout>) => {
        live.delete(handle);
        realClear(handle);
      };
      try {
        const rt = new Runtime();
        for (let i = 0; i < 30; i++) {
          rt.spawn(function* () {
            yield* sleep(1 + (i % 7));
          });
        }
        await rt.run();
        expect(rt.metrics.timersFired).to.equal(30);
      } finally {
        g.setTimeout = realSet;
        g.clearTimeout = realClear;
      }
      expect(most).to.equal(1);
    });

    // Hosts clamp delays past 2^31-1 ms to 1 ms: arming the raw delay would re-fire every ms.
    it("does not spin when a sleep is longer than the host's timer limit (2^31-1 ms)", async () => {
      const realSet = globalThis.setTimeout;
      const g = globalThis as unknown as Record<string, unknown>;
      let arms = 0;
      let overLimit = 0;
      g.setTimeout = (cb: () => void, ms?: number) => {
        arms++;
        if ((ms ?? 0) > 2 ** 31 - 1) overLimit++;
        return realSet(cb, Math.min(ms ?? 0, 2 ** 31 - 1));
      };
      try {
        const rt = new Runtime();
        const h = rt.spawn(function* () {
          yield* sleep(2 ** 31 + 1000);
        });
        realSet(() => h.abort(), 30);
        await rt.run();
      } finally {
        g.setTimeout = realSet;
      }
      expect(overLimit).to.equal(0);
      expect(arms).to.be.at.most(2);
    });
  });
});

describe("time in descriptions", () => {
  it("rounds a real clock's fractional deadline to three decimals: sleep(5) until t=3.988, not t=3.9881130000000553", () => {
    expect(formatMs(3.9881130000000553)).to.equal("3.988");
    expect(formatMs(5)).to.equal("5");
    expect(formatMs(0.1 + 0.2)).to.equal("0.3");
    expect((sleepUntil(1.23456) as unknown as { describe(): string }).describe()).to.equal("sleepUntil(1.235)");
  });

  it("a real-clock trace names the deadline with at most three decimals", async () => {
    const rt = new Runtime({ trace: true });
    rt.spawn(function* () {
      yield* sleep(1);
    });
    await rt.run();
    const polls = rt.trace.map((e) => e.detail ?? "").filter((d) => d.includes("until t="));
    expect(polls).to.not.deep.equal([]);
    for (const d of polls) expect(d).to.match(/until t=\d+(\.\d{1,3})?(\D|$)/);
  });
});
