// The waiter contract, as one matrix over every lock: a victim waits behind a holder with a
// bystander behind it, and is aborted at each moment that matters — before its first poll,
// while queued, in the releasing step just before or just after the lock is handed to it, and
// after it took the lock. In every cell the victim takes nothing it did not observe, the
// bystander gets the lock, and at the end the lock is free with nobody waiting.

import { expect } from "chai";
import { Mutex, Notify, RwLock, Semaphore, sleep, yieldNow } from "../../../lib/index";
import { Waiter } from "../../../lib/primitives/index";
import type { Future, JoinHandle, Operation } from "../../../lib/index";
import { deadlockOf, virtual, waitsOn } from "./helpers";

/** A lock seen uniformly: take it (a future of something releasable), and ask whether it is free. */
interface Subject {
  name: string;
  make(): { take(): Future<{ release(): void }>; tryTake(): { release(): void } | undefined; free(): boolean; idle(): boolean };
}

const subjects: Subject[] = [
  {
    name: "Mutex",
    make() {
      const m = new Mutex(0);
      return { take: () => m.lock(), tryTake: () => m.tryLock(), free: () => !m.locked, idle: () => m.waiting.length === 0 };
    },
  },
  {
    name: "Semaphore(2), taking 2",
    make() {
      const s = new Semaphore(2);
      return { take: () => s.acquire(2), tryTake: () => s.tryAcquire(2), free: () => s.available === 2, idle: () => s.waiting.length === 0 };
    },
  },
  {
    name: "RwLock writer",
    make() {
      const l = new RwLock(0);
      return {
        take: () => l.write(),
        tryTake: () => l.tryWrite(),
        free: () => l.readers === 0 && !l.writeLocked,
        idle: () => l.waiting.length === 0,
      };
    },
  },
];

type Moment = "before its first poll" | "while queued" | "in the releasing step, before the hand-off" | "in the releasing step, after the hand-off" | "while it holds the lock";
const moments: Moment[] = [
  "before its first poll",
  "while queued",
  "in the releasing step, before the hand-off",
  "in the releasing step, after the hand-off",
  "while it holds the lock",
];

describe("waiters: cancelling a waiter at every moment", () => {
  for (const subject of subjects) {
    describe(subject.name, () => {
      for (const moment of moments) {
        it(`takes nothing and passes the lock on when aborted ${moment}`, () => {
          const rt = virtual();
          const lock = subject.make();
          const observed: string[] = [];
          const holder = lock.tryTake() as { release(): void };
          function* user(name: string): Operation<void> {
            const g = yield* from(lock.take());
            observed.push(name);
            try {
              yield* sleep(5);
            } finally {
              g.release();
            }
          }
          const victim = rt.spawn(user("victim"));
          let bystander: JoinHandle<void> | undefined;
          if (moment === "before its first poll") {
            victim.abort();
            bystander = rt.spawn(user("bystander"));
            rt.step();
            holder.release();
          } else {
            rt.step(); // the victim queues
            bystander = rt.spawn(user("bystander"));
            rt.step(); // the bystander queues behind it
            if (moment === "while queued") {
              victim.abort();
              rt.step(); // the victim runs its cancellation: it leaves the queue
              holder.release();
            } else if (moment === "in the releasing step, before the hand-off") {
              victim.abort();
              holder.release(); // the victim has not run its cancellation yet: the lock is handed to it
            } else if (moment === "in the releasing step, after the hand-off") {
              holder.release();
              victim.abort();
            } else {
              holder.release();
              rt.step(); // the victim takes the lock and sleeps on it
              victim.abort();
            }
          }
          rt.runSync();
          expect(observed).to.deep.equal(moment === "while it holds the lock" ? ["victim", "bystander"] : ["bystander"]);
          expect(bystander.finished).to.equal(true);
          expect(lock.free()).to.equal(true);
          expect(lock.idle()).to.equal(true);
        });
      }
    });
  }
});

describe("waiters: reports", () => {
  it("name a hold taken outside any task as such", () => {
    const rt = virtual();
    const m = new Mutex(0, { name: "cfg" });
    const g = m.tryLock(); // plain code, no task
    rt.spawn(function* () {
      yield* m.lock();
    }, { name: "w" });
    expect(waitsOn(deadlockOf(rt)).w).to.equal(`lock ${m.label} (held by code outside any task)`);
    expect(m.holders).to.deep.equal([]);
    g?.release();
  });

  it("list holders once per task, in the order they took the resource", () => {
    const rt = virtual();
    const s = new Semaphore(4);
    const hs: JoinHandle<void>[] = [];
    for (let i = 0; i < 2; i++) {
      hs.push(
        rt.spawn(function* () {
          yield* s.acquire();
          yield* s.acquire();
          yield* sleep(10);
        }),
      );
    }
    rt.step();
    rt.step();
    expect(s.holders).to.deep.equal(hs.map((h) => h.id));
    rt.runSync();
  });

  it("say what a waiter waits on even before it is queued", () => {
    const waiters: Waiter<unknown>[] = [
      new Mutex(0, { name: "m" }).lock(),
      new Semaphore(1, { name: "s" }).acquire(),
      new RwLock(0, { name: "r" }).read(),
      new RwLock(0, { name: "w" }).write(),
      new Notify({ name: "n" }).notified(),
    ] as Waiter<unknown>[];
    expect(waiters.map((w) => w.describe().replace(/#\d+/, "#N"))).to.deep.equal([
      'lock Mutex#N "m"',
      'acquire 1 of Semaphore#N "s" (1 of 1 free)',
      'read RwLock#N "r"',
      'write RwLock#N "w"',
      'notified on Notify#N "n"',
    ]);
    for (const w of waiters) expect(w.queued).to.equal(false);
  });

  it("give each waiter the id of the task that polled it", () => {
    const rt = virtual();
    const m = new Mutex(0);
    const g = m.tryLock();
    const fut = m.lock() as Waiter<unknown>;
    const h = rt.spawn(function* () {
      yield* yieldNow();
      yield* fut;
    });
    expect(fut.taskId).to.equal(undefined);
    rt.step();
    rt.step();
    expect(fut.taskId).to.equal(h.id);
    expect(fut.queued).to.equal(true);
    g?.release();
    rt.runSync();
  });
});

/** `yield*` over a plain Future (the lock futures are Ops already; this keeps the Subject type simple). */
function* from<T>(f: Future<T>): Operation<T> {
  return (yield f) as T;
}
