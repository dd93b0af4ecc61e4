// fromPromise(p): a Future of a Promise's outcome. The value, or the rejection thrown at the
// yield. A virtual-clock run() waits for it instead of calling a deadlock; runSync() cannot
// wait and says so; a cancelled wait stops counting as pending outside work.

import { expect } from "chai";
import { DeadlockError, Runtime, fromPromise, now, run, runSync, sleep } from "../../lib/index";
import { rejection, thrown, virtual } from "./helpers";

const later = <T>(ms: number, value: T): Promise<T> => new Promise((r) => setTimeout(() => r(value), ms));

describe("fromPromise", () => {
  it("evaluates to the promise's value", async () => {
    const v = await run(function* () {
      return yield* fromPromise(Promise.resolve(5));
    });
    expect(v).to.equal(5);
  });

  it("throws the promise's rejection at the yield, where it can be caught", async () => {
    const boom = new Error("rejected");
    const got = await run(function* () {
      try {
        yield* fromPromise(Promise.reject(boom));
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(got).to.equal(boom);
  });

  it("makes a virtual-clock run() wait for the promise instead of calling a deadlock, with time standing still", async () => {
    const rt = virtual();
    let pendingWhileWaiting = -1;
    rt.spawn(function* () {
      yield* sleep(10);
    });
    const h = rt.spawn(function* () {
      const p = later(5, "late");
      const v = yield* fromPromise(p);
      return [v, now()] as const;
    });
    const running = rt.run();
    await new Promise((r) => setTimeout(r, 1));
    pendingWhileWaiting = rt.metrics.pendingExternal;
    await running;
    expect(pendingWhileWaiting).to.equal(1);
    expect(await h).to.deep.equal(["late", 10]);
    expect(rt.metrics.pendingExternal).to.equal(0);
  });

  it("makes runSync() fail with a DeadlockError that says it cannot wait for promises", () => {
    const e = thrown(() =>
      runSync(function* () {
        yield* fromPromise(new Promise(() => {}));
      }),
    );
    expect(e).to.be.instanceOf(DeadlockError);
    expect((e as Error).message).to.include("runSync() cannot wait for the promises");
    expect((e as Error).message).to.include("use run()");
    expect((e as DeadlockError).tasks[0]?.waitsOn).to.include("fromPromise");
  });

  it("stops counting a cancelled wait as pending work, so run() does not wait for a promise nobody wants", async () => {
    const rt = virtual();
    const h = rt.spawn(function* () {
      yield* fromPromise(new Promise(() => {})); // never settles
    });
    rt.spawn(function* () {
      yield* sleep(1);
      h.abort();
    });
    await rt.run();
    expect(rt.metrics.pendingExternal).to.equal(0);
    expect(rt.metrics.cancelled).to.equal(1);
  });

  it("wakes every task waiting on the same fromPromise future", async () => {
    const rt = new Runtime();
    const fut = fromPromise(later(2, "shared"));
    const hs = [0, 1, 2].map(() =>
      rt.spawn(function* () {
        return yield* fut;
      }),
    );
    await rt.run();
    expect(await Promise.all(hs)).to.deep.equal(["shared", "shared", "shared"]);
  });

  it("counts the resolution as a wake from outside the runtime", async () => {
    const rt = new Runtime();
    rt.spawn(function* () {
      yield* fromPromise(later(1, 0));
    });
    await rt.run();
    expect(rt.metrics.outsideWakes).to.be.at.least(1);
  });

  it("accepts any thenable", async () => {
    const thenable: PromiseLike<number> = { then: (ok) => Promise.resolve(8).then(ok) };
    expect(await run(() => fromPromise(thenable))).to.equal(8);
  });

  it("fails the main task of run() with an uncaught rejection", async () => {
    const err = await rejection(
      run(function* () {
        yield* fromPromise(Promise.reject(new RangeError("first")));
      }),
    );
    expect(err).to.be.instanceOf(RangeError);
  });
});
