// Effect 4.1.0, with its own primitives: forkChild + Fiber.join, Queue.bounded, Effect.yieldNow,
// Effect.sleep, Semaphore(1) as the mutex, Effect.all with unbounded concurrency. Nested levels
// in W5 are native `yield*` of plain generators inside one Effect.gen, as in the other runtimes.

import { Effect, Fiber, Queue, Semaphore } from "effect/dist/index.js";
import { CAPACITY_W6, DEPTH_W5, PRODUCERS_W6, TASKS_MUTEX, TASKS_W3 } from "../jobs";
import { heapPerParked, now, type Implementation } from "../worker";

type Gen<A> = Generator<Effect.Effect<unknown>, A, never>;

function* childGen(i: number): Gen<number> {
  return i;
}
const child = (i: number) => Effect.gen(() => childGen(i));

function spawnJoin(n: number, body: (i: number) => Effect.Effect<number>): Effect.Effect<number> {
  return Effect.gen(function* () {
    const fibers: Fiber.Fiber<number>[] = [];
    for (let i = 0; i < n; i++) fibers.push(yield* Effect.forkChild(body(i)));
    let sum = 0;
    for (const f of fibers) sum += yield* Fiber.join(f);
    return sum;
  });
}

function* yielder(k: number): Gen<number> {
  for (let j = 0; j < k; j++) yield* Effect.yieldNow;
  return k;
}

function* sleeper(ms: number, parked: (() => void) | undefined): Gen<number> {
  if (parked !== undefined) parked();
  yield* Effect.sleep(ms);
  return 1;
}

/** W1f / W4f: a fresh generator function per task. */
const freshChild = (i: number) =>
  Effect.gen(function* () {
    return i;
  });

const freshSleeper = (ms: number, parked: (() => void) | undefined) =>
  Effect.gen(function* () {
    if (parked !== undefined) parked();
    yield* Effect.sleep(ms);
    return 1;
  });

const READY = Effect.succeed(1);

function* level(d: number): Gen<number> {
  return d === 1 ? yield* READY : yield* level(d - 1);
}

async function timed(n: number, program: Effect.Effect<number>) {
  const t0 = now();
  const check = await Effect.runPromise(program);
  return { ms: now() - t0, ops: n, check };
}

export const effect: Implementation = {
  W1: (n) => timed(n, spawnJoin(n, child)),
  W1f: (n) => timed(n, spawnJoin(n, freshChild)),
  W2: (n) =>
    timed(
      n,
      Effect.gen(function* () {
        const a = yield* Queue.bounded<number>(1);
        const b = yield* Queue.bounded<number>(1);
        const ping = yield* Effect.forkChild(
          Effect.gen(function* () {
            let sum = 0;
            for (let i = 0; i < n; i++) {
              yield* Queue.offer(a, i);
              sum += yield* Queue.take(b);
            }
            return sum;
          }),
        );
        const pong = yield* Effect.forkChild(
          Effect.gen(function* () {
            for (let i = 0; i < n; i++) yield* Queue.offer(b, yield* Queue.take(a));
          }),
        );
        const sum = yield* Fiber.join(ping);
        yield* Fiber.join(pong);
        return sum;
      }),
    ),
  W3: (n) => timed(n, spawnJoin(TASKS_W3, () => Effect.gen(() => yielder(n / TASKS_W3)))),
  W4: (n) => timed(n, spawnJoin(n, (i) => Effect.gen(() => sleeper(1 + (i % 50), undefined)))),
  W4mem: (n) =>
    heapPerParked(n, (parked) => void Effect.runPromise(spawnJoin(n, (i) => Effect.gen(() => sleeper(600_000 + (i % 50), parked))))),
  W4f: (n) => timed(n, spawnJoin(n, (i) => freshSleeper(1 + (i % 50), undefined))),
  W4fmem: (n) => heapPerParked(n, (parked) => void Effect.runPromise(spawnJoin(n, (i) => freshSleeper(600_000 + (i % 50), parked)))),
  W5: (n) =>
    timed(
      n,
      Effect.gen(function* (): Gen<number> {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += yield* level(DEPTH_W5);
        return sum;
      }),
    ),
  W6: (n) =>
    timed(
      n,
      Effect.gen(function* () {
        const q = yield* Queue.bounded<number>(CAPACITY_W6);
        const per = n / PRODUCERS_W6;
        for (let p = 0; p < PRODUCERS_W6; p++) {
          yield* Effect.forkChild(
            Effect.gen(function* () {
              for (let k = 0; k < per; k++) yield* Queue.offer(q, p * per + k);
            }),
          );
        }
        let sum = 0;
        for (let k = 0; k < n; k++) sum += yield* Queue.take(q);
        return sum;
      }),
    ),
  MUTEX: (n) => {
    const k = n / TASKS_MUTEX;
    const counter = { n: 0 };
    const program = Effect.gen(function* () {
      const sem = yield* Semaphore.make(1);
      const locker = Effect.gen(function* () {
        for (let j = 0; j < k; j++) {
          yield* Semaphore.take(sem, 1);
          yield* Effect.yieldNow; // hold the lock across a yield, so every other fiber queues on it
          counter.n++;
          yield* Semaphore.release(sem, 1);
        }
        return 0;
      });
      return yield* spawnJoin(TASKS_MUTEX, () => locker);
    });
    return timed(n, program).then((m) => ({ ...m, check: counter.n, note: "Semaphore(1)" }));
  },
  ALL10K: (n) => timed(n, allOf(n)),
  ALL100K: (n) => timed(n, allOf(n)),
};

function allOf(n: number): Effect.Effect<number> {
  const effects: Effect.Effect<number>[] = [];
  for (let i = 0; i < n; i++) effects.push(child(i));
  return Effect.map(Effect.all(effects, { concurrency: "unbounded" }), (values) => values.reduce((s, x) => s + x, 0));
}
