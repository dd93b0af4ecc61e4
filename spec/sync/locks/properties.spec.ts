// Properties of the locks over random programs: tasks arrive at random times, ask for random
// amounts, hold for random times, and are aborted at random times — often at the very instant a
// lock is handed to them, so cancellation lands before, during and after the grant. Whatever
// happens: waiters are served in arrival order, there are never more holders than permits, and
// when everything is over every permit is back.

import { expect } from "chai";
import fc from "fast-check";
import { Barrier, CancelledError, Mutex, Notify, Op, RwLock, Runtime, Semaphore, sleep, yieldNow } from "../../../lib/index";
import type { Context, Future, JoinHandle, Operation, Poll, Waker } from "../../../lib/index";

/**
 * Wraps a lock's waiter future to note the moment it is granted: its first poll is Ready (taken
 * at once), or the primitive wakes it (handed over later; nothing else wakes a lock waiter). The
 * task may resume later than that — after a newcomer took a free slot at once — so FIFO is
 * checked on this grant order, not on the order in which tasks resume.
 */
class Granted<T> extends Op<T> {
  private readonly cx: NotingContext;
  constructor(
    private readonly inner: Future<T>,
    note: () => void,
  ) {
    super();
    this.cx = new NotingContext(note);
  }
  poll(cx: Context): Poll<T> {
    this.cx.outer = cx.waker;
    const p = this.inner.poll(this.cx);
    if (p.ready) this.cx.wake();
    return p;
  }
  drop(): boolean | void {
    return this.inner.drop?.(this.cx); // the inner future was polled with our context
  }
}

/** A Context whose waker notes the first wake, then forwards every wake to the task's waker. */
class NotingContext implements Context, Waker {
  outer: Waker | undefined = undefined;
  private noted = false;
  constructor(private readonly note: () => void) {}
  get waker(): Waker {
    return this;
  }
  wake(): void {
    if (!this.noted) {
      this.noted = true;
      this.note();
    }
    this.outer?.wake();
  }
  wakeByRef(): void {
    this.wake();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

/** One task of a random program. Times are small so that events often coincide. */
interface Job {
  start: number;
  yields: number;
  n: number;
  hold: number;
  abortAt: number | null;
  kind: "r" | "w";
}

function jobs(maxN: number): fc.Arbitrary<Job[]> {
  return fc.array(
    fc.record({
      start: fc.nat({ max: 6 }),
      yields: fc.nat({ max: 2 }),
      n: fc.integer({ min: 1, max: maxN }),
      hold: fc.nat({ max: 4 }),
      abortAt: fc.option(fc.nat({ max: 10 }), { nil: null }),
      kind: fc.constantFrom<"r" | "w">("r", "w"),
    }),
    { minLength: 1, maxLength: 8 },
  );
}

/** What a run of a program recorded. */
interface Run {
  arrivals: number[];
  grants: number[];
  handles: JoinHandle<void>[];
  /** Errors other than cancellation thrown by the jobs (a broken invariant). */
  errors: unknown[];
}

/**
 * Runs `jobs` on a fresh virtual runtime. Each job waits `start` ms and `yields` turns, records
 * its arrival, waits on the future `take(job)` gives (its grant is noted when it happens), checks
 * `enter` (the invariant), runs `inside`, holds `hold` ms, and releases in a finally. Jobs with
 * `abortAt` are aborted then by a separate task. The runtime is driven one step at a time and
 * `between(jobOf)` checks the primitive's own invariant after every step.
 */
function runProgram<G extends { release(): void }>(
  list: Job[],
  take: (job: Job) => Future<G>,
  enter: (job: Job, delta: 1 | -1) => void,
  between: (jobOf: (taskId: number) => Job) => void,
  inside?: (grant: G) => Operation<void>,
): Run {
  const rt = new Runtime({ clock: "virtual" });
  const run: Run = { arrivals: [], grants: [], handles: [], errors: [] };
  const byTask = new Map<number, Job>();
  list.forEach((job, i) => {
    const h = rt.spawn(function* () {
      try {
        yield* sleep(job.start);
        for (let k = 0; k < job.yields; k++) yield* yieldNow();
        run.arrivals.push(i);
        const grant = yield* new Granted(take(job), () => run.grants.push(i));
        enter(job, 1);
        try {
          if (inside !== undefined) yield* inside(grant);
          yield* sleep(job.hold);
        } finally {
          enter(job, -1);
          grant.release();
        }
      } catch (error) {
        if (!(error instanceof CancelledError)) run.errors.push(error);
        throw error;
      }
    });
    byTask.set(h.id, job);
    run.handles.push(h);
    if (job.abortAt !== null) {
      const at = job.abortAt;
      rt.spawn(function* () {
        yield* sleep(at);
        h.abort();
      });
    }
  });
  const jobOf = (id: number) => byTask.get(id) as Job;
  while (rt.step() !== undefined) between(jobOf);
  expect(run.errors).to.deep.equal([]);
  expect(rt.metrics.live, "tasks left parked: a lost wake-up or permit").to.equal(0);
  return run;
}

/** Strict FIFO: the grants are the arrivals in the same order, minus those never granted. */
function expectArrivalOrder(run: Run): void {
  const granted = new Set(run.grants);
  expect(run.grants).to.deep.equal(run.arrivals.filter((i) => granted.has(i)));
}

/** Every job not aborted got its turn. */
function expectAllServed(list: Job[], run: Run): void {
  list.forEach((job, i) => {
    if (job.abortAt === null) expect(run.grants).to.include(i);
    expect(run.handles[i]?.finished).to.equal(true);
  });
}

describe("lock properties (random programs with aborts)", () => {
  it("Semaphore: FIFO grants, never more permits out than exist, and every permit back at the end", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), jobs(4), (total, raw) => {
        const list = raw.map((j) => ({ ...j, n: Math.min(j.n, total) }));
        const sem = new Semaphore(total);
        let out = 0;
        const run = runProgram(
          list,
          (job) => sem.acquire(job.n),
          (job, d) => {
            out += d * job.n;
            if (out > total) throw new Error(`${out} permits out of ${total}`);
          },
          (jobOf) => {
            // Nobody stays queued while the head's request fits (a cancelled head re-serves the rest).
            const head = sem.waiting[0];
            if (head !== undefined) expect(jobOf(head).n).to.be.greaterThan(sem.available);
          },
        );
        expectArrivalOrder(run);
        expectAllServed(list, run);
        expect(sem.available).to.equal(total);
        expect(sem.holders).to.deep.equal([]);
        expect(sem.waiting).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });

  it("Mutex: FIFO hand-off, one holder at a time, no lost update, unlocked at the end", () => {
    fc.assert(
      fc.property(jobs(1), (list) => {
        const m = new Mutex(0);
        let holders = 0;
        let done = 0;
        const run = runProgram(
          list,
          () => m.lock(),
          (_job, d) => {
            holders += d;
            if (holders > 1) throw new Error(`${holders} tasks hold the mutex`);
          },
          () => {
            if (m.waiting.length > 0) expect(m.locked).to.equal(true);
          },
          function* (g) {
            const seen = g.value;
            yield* yieldNow();
            g.value = seen + 1; // lost if two tasks were inside at once
            done++;
          },
        );
        expectArrivalOrder(run);
        expectAllServed(list, run);
        expect(m.locked).to.equal(false);
        expect(m.waiting).to.deep.equal([]);
        expect(m.tryLock()?.value).to.equal(done);
      }),
      { numRuns: 300 },
    );
  });

  it("RwLock: FIFO grants, a writer alone or readers only, and free at the end", () => {
    fc.assert(
      fc.property(jobs(1), (list) => {
        const lock = new RwLock(0);
        let readers = 0;
        let writers = 0;
        const run = runProgram(
          list,
          (job): Future<{ release(): void }> => (job.kind === "r" ? lock.read() : lock.write()),
          (job, d) => {
            if (job.kind === "r") readers += d;
            else writers += d;
            if (writers > 1 || (writers === 1 && readers > 0)) throw new Error(`${writers} writers and ${readers} readers inside`);
          },
          (jobOf) => {
            const head = lock.waiting[0];
            if (head === undefined) return;
            if (jobOf(head).kind === "r") expect(lock.writeLocked).to.equal(true);
            else expect(lock.readers > 0 || lock.writeLocked).to.equal(true);
          },
        );
        expectArrivalOrder(run);
        expectAllServed(list, run);
        expect(lock.readers).to.equal(0);
        expect(lock.writeLocked).to.equal(false);
        expect(lock.holders).to.deep.equal([]);
        expect(lock.tryWrite()).to.not.equal(undefined);
      }),
      { numRuns: 300 },
    );
  });

  it("Notify: notifyOne calls wake the oldest surviving waiters, and none is lost to a cancelled one", () => {
    // n waiters queue; then, in one step and in a random order, k notifyOne calls and aborts of a
    // chosen subset. The aborts are delivered after the step, when a notification may already be
    // theirs: it must be passed on. So min(k, survivors) survivors wake, oldest first, and a
    // permit is stored only if notifications were left over.
    const scenario = fc
      .integer({ min: 1, max: 6 })
      .chain((n) =>
        fc.record({
          n: fc.constant(n),
          k: fc.nat({ max: n + 1 }),
          aborted: fc.subarray([...Array(n).keys()]),
          seed: fc.array(fc.nat(), { minLength: 2 * n + 2, maxLength: 2 * n + 2 }),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ n, k, aborted, seed }) => {
        const rt = new Runtime({ clock: "virtual" });
        const notify = new Notify();
        const woken: { i: number; t: number }[] = [];
        const hs: JoinHandle<void>[] = [];
        for (let i = 0; i < n; i++) {
          hs.push(
            rt.spawn(function* () {
              yield* notify.notified();
              woken.push({ i, t: rt.now() });
            }),
          );
        }
        // The ops of the controller's step, shuffled by `seed`.
        const ops: (() => void)[] = [];
        for (let c = 0; c < k; c++) ops.push(() => notify.notifyOne());
        for (const i of aborted) ops.push(() => hs[i]?.abort());
        const order = ops.map((op, j) => ({ op, key: seed[j] ?? 0 })).sort((a, b) => a.key - b.key);
        let storedAfterWave = false;
        rt.spawn(function* () {
          yield* sleep(1);
          for (const { op } of order) op();
          yield* sleep(1);
          storedAfterWave = notify.hasPermit;
          notify.notifyWaiters(); // release the rest so the run ends
        });
        rt.runSync();
        const survivors = [...Array(n).keys()].filter((i) => !aborted.includes(i));
        const wave = woken.filter((w) => w.t === 1).map((w) => w.i);
        expect(wave).to.deep.equal(survivors.slice(0, Math.min(k, survivors.length)));
        expect(storedAfterWave).to.equal(k > survivors.length);
        expect(notify.waiting).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });

  it("Barrier: every generation releases exactly n tasks with one leader, and a cancelled waiter is not counted", () => {
    const scenario = fc.record({
      n: fc.integer({ min: 1, max: 4 }),
      tasks: fc.array(
        fc.record({ start: fc.nat({ max: 6 }), abortAt: fc.option(fc.nat({ max: 8 }), { nil: null }) }),
        { minLength: 1, maxLength: 10 },
      ),
    });
    fc.assert(
      fc.property(scenario, ({ n, tasks }) => {
        const rt = new Runtime({ clock: "virtual" });
        const b = new Barrier(n);
        let released = 0;
        let leaders = 0;
        const passed = new Set<number>();
        tasks.forEach((t, i) => {
          const h = rt.spawn(function* () {
            yield* sleep(t.start);
            const r = yield* new Granted(b.wait(), () => released++);
            if (r.leader) leaders++;
            passed.add(i);
          });
          if (t.abortAt !== null) {
            const at = t.abortAt;
            rt.spawn(function* () {
              yield* sleep(at);
              h.abort();
            });
          }
        });
        while (rt.step() !== undefined) {
          expect(b.arrived).to.equal(b.waiting.length);
          expect(b.arrived).to.be.lessThan(n);
        }
        expect(released).to.equal(b.generation * n);
        expect(leaders).to.equal(b.generation);
        // Whoever is still parked waits at the barrier, short of a full generation.
        expect(rt.metrics.live).to.equal(b.arrived);
        const survivors = tasks.filter((t) => t.abortAt === null).length;
        expect(passed.size + b.arrived).to.be.at.least(survivors);
        rt.shutdown();
      }),
      { numRuns: 300 },
    );
  });
});
