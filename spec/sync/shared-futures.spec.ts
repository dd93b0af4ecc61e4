// One lib/sync future awaited by several tasks at once: every waiter is woken and sees the
// future's one outcome; a drop removes exactly the dropping waiter, and what the future holds
// (its place in a queue, a grant) is undone only when the last waiter leaves. Each case failed
// before the waiting model keyed registrations by waker (the second poll replaced the first
// waker, and drop() undid the wait for everyone).

import { expect } from "chai";
import {
  Mutex,
  Notify,
  Semaphore,
  channel,
  race,
  ready,
  watch,
  type Context,
  type Future,
  type JoinHandle,
  type Operation,
  type Runtime,
} from "../../lib/index";
import { SimpleWaker } from "../../lib/primitives/index";
import { virtual } from "./locks/helpers";

/** A context whose waker never polled anything: what a combinator drops a branch with before polling it. */
class Stranger extends SimpleWaker implements Context {
  wake(): void {}
  get waker(): this {
    return this;
  }
}

/** Spawn one task per name, each awaiting `fut` and logging `name=value`. */
function awaitAll<T>(rt: Runtime, fut: Future<T>, names: string[], log: string[]): JoinHandle<T>[] {
  return names.map((name) =>
    rt.spawn(function* (): Operation<T> {
      const v = (yield fut) as T;
      log.push(`${name}=${String(v)}`);
      return v;
    }, { name }),
  );
}

/** Step until every task given has parked once (each spawned task takes one step to reach its yield). */
function park(rt: Runtime, n: number): void {
  for (let i = 0; i < n; i++) rt.step();
}

describe("sync: one future, several waiters", () => {
  it("notify.notified() awaited by two tasks: one notifyOne wakes both", () => {
    const rt = virtual();
    const n = new Notify();
    const log: string[] = [];
    awaitAll(rt, n.notified(), ["a", "b"], log);
    park(rt, 2);
    n.notifyOne();
    rt.runSync();
    expect(log).to.deep.equal(["a=undefined", "b=undefined"]);
    expect(n.hasPermit).to.equal(false); // the one notification was consumed, not stored
  });

  it("watch.changed() awaited by two tasks: one send wakes both", () => {
    const rt = virtual();
    const [tx, rx] = watch(0);
    const log: string[] = [];
    awaitAll(rt, rx.changed(), ["a", "b"], log);
    park(rt, 2);
    tx.send(1);
    rt.runSync();
    expect(log).to.deep.equal(["a=undefined", "b=undefined"]);
    expect(rx.hasChanged()).to.equal(false); // seen once, by the one future
  });

  it("a shared rx.recv() takes one message, and both of its waiters get it", () => {
    const rt = virtual();
    const [tx, rx] = channel<string>();
    const log: string[] = [];
    awaitAll(rt, rx.recv(), ["a", "b"], log);
    park(rt, 2);
    tx.trySend("x");
    tx.trySend("y");
    rt.runSync();
    expect(log).to.deep.equal(["a=x", "b=x"]);
    expect(rx.tryRecv()).to.equal("y"); // the second message is still there
  });

  it("a shared lock() yields one guard that every waiter receives; it is released once", () => {
    const rt = virtual();
    const m = new Mutex(0);
    const holder = m.tryLock();
    const fut = m.lock();
    const got: unknown[] = [];
    for (const name of ["a", "b"]) rt.spawn(function* () { got.push(yield* fut); }, { name });
    park(rt, 2);
    expect(m.waiting.length).to.equal(1); // one future, one place in the queue
    holder?.release();
    rt.runSync();
    expect(got).to.have.length(2);
    expect(got[0]).to.equal(got[1]);
    expect(m.locked).to.equal(true);
    (got[0] as { release(): void }).release();
    expect(m.locked).to.equal(false);
  });

  it("a waiter that polls again after it was served is told so (a second message is never taken)", () => {
    const rt = virtual();
    const [tx, rx] = channel<string>();
    tx.trySend("x");
    tx.trySend("y");
    const r = rx.recv();
    let error: unknown;
    rt.spawn(function* () {
      yield* r;
      try {
        yield* r;
      } catch (e) {
        error = e;
      }
    });
    rt.runSync();
    expect(error).to.be.instanceOf(Error).with.property("message").that.matches(/polled again after it completed/);
    expect(rx.tryRecv()).to.equal("y");
  });
});

describe("sync: a drop by a waiter that never polled changes nothing", () => {
  const cases: { name: string; make(): { fut: Future<unknown>; free(): void; check(): void } }[] = [
    {
      name: "recv()",
      make() {
        const [tx, rx] = channel<string>();
        return { fut: rx.recv(), free: () => tx.trySend("m"), check: () => expect(rx.length).to.equal(0) };
      },
    },
    {
      name: "lock()",
      make() {
        const m = new Mutex(0);
        const g = m.tryLock();
        return { fut: m.lock(), free: () => g?.release(), check: () => expect(m.locked).to.equal(true) };
      },
    },
    {
      name: "acquire()",
      make() {
        const s = new Semaphore(1);
        const p = s.tryAcquire();
        return { fut: s.acquire(), free: () => p?.release(), check: () => expect(s.available).to.equal(0) };
      },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: dropped with a stranger's context while a task waits on it, the task is still served`, () => {
      const rt = virtual();
      const { fut, free, check } = c.make();
      const log: string[] = [];
      awaitAll(rt, fut, ["w"], log);
      park(rt, 1);
      fut.drop?.(new Stranger()); // e.g. a race that lost interest before polling this branch
      free();
      rt.runSync();
      expect(log).to.have.length(1);
      check(); // the waiter took what was freed
    });

    it(`${c.name}: a race that drops it unpolled leaves the other waiter's registration intact`, () => {
      const rt = virtual();
      const { fut, free, check } = c.make();
      const log: string[] = [];
      awaitAll(rt, fut, ["w"], log);
      park(rt, 1);
      let winner: unknown;
      rt.spawn(function* () {
        winner = yield* race(ready("first"), fut);
      });
      rt.step();
      free();
      rt.runSync();
      expect(winner).to.equal("first");
      expect(log).to.have.length(1);
      check();
    });
  }
});

describe("sync: cancelling one of two waiters of one future", () => {
  const cases: { name: string; make(): { fut: Future<{ release(): void }>; free(): void; taken(): boolean; idle(): boolean } }[] = [
    {
      name: "lock()",
      make() {
        const m = new Mutex(0);
        const g = m.tryLock();
        return { fut: m.lock(), free: () => g?.release(), taken: () => m.locked, idle: () => m.waiting.length === 0 };
      },
    },
    {
      name: "acquire(2)",
      make() {
        const s = new Semaphore(2);
        const p = s.tryAcquire(2);
        return { fut: s.acquire(2), free: () => p?.release(), taken: () => s.available === 0, idle: () => s.waiting.length === 0 };
      },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: cancelled when the grant arrives, the grant is not given back while the other still waits`, () => {
      const rt = virtual();
      const { fut, free, taken } = c.make();
      const log: string[] = [];
      const [a] = awaitAll(rt, fut, ["a", "b"], log);
      park(rt, 2);
      (a as JoinHandle<unknown>).abort(); // a will leave before it collects…
      free(); // …the grant it shares with b, which arrives in the same instant
      rt.runSync();
      expect(log).to.have.length(1);
      expect(log[0]).to.match(/^b=/);
      expect(taken()).to.equal(true); // b holds it: nothing was handed back behind its back
    });

    it(`${c.name}: cancelled while queued, the future keeps its place for the other waiter`, () => {
      const rt = virtual();
      const { fut, free, taken, idle } = c.make();
      const log: string[] = [];
      const [a] = awaitAll(rt, fut, ["a", "b"], log);
      park(rt, 2);
      (a as JoinHandle<unknown>).abort();
      rt.step(); // a runs its cancellation: drop(cx) for a only
      expect(idle()).to.equal(false);
      free();
      rt.runSync();
      expect(log).to.have.length(1);
      expect(taken()).to.equal(true);
    });

    it(`${c.name}: when both are cancelled after the grant, the last one gives it back`, () => {
      const rt = virtual();
      const { fut, free, taken, idle } = c.make();
      const log: string[] = [];
      const hs = awaitAll(rt, fut, ["a", "b"], log);
      park(rt, 2);
      free();
      for (const h of hs) h.abort();
      rt.runSync();
      expect(log).to.deep.equal([]);
      expect(taken()).to.equal(false);
      expect(idle()).to.equal(true);
    });
  }
});
