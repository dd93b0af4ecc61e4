// Effection 4.1.1, written the way its docs write programs. Substitutions, because Effection's
// core has no such primitive: a cooperative yield is an action that resolves synchronously
// (the reducer requeues the routine behind every other ready one, so tasks interleave); the
// ready leaf of W5 is the same kind of action; channels are `createQueue()` (unbounded), and
// in W6 each producer yields after every `add` (a send that never blocks would let one
// producer run to completion alone). No Mutex in core: MUTEX is not run.

import { action, all, createQueue, run, sleep, spawn, type Operation, type Queue, type Task } from "effection";
import { DEPTH_W5, PRODUCERS_W6, TASKS_W3 } from "../jobs";
import { heapPerParked, now, type Implementation } from "../worker";

function noop(): void {}

/** A cooperative yield: resolves at once, and the routine goes behind the other ready ones. */
const YIELD: Operation<void> = action<void>((resolve) => {
  resolve();
  return noop;
});

const READY: Operation<number> = action<number>((resolve) => {
  resolve(1);
  return noop;
});

function* child(i: number): Operation<number> {
  return i;
}

function* spawnJoin(n: number, body: (i: number) => Operation<number>): Operation<number> {
  const tasks: Task<number>[] = [];
  for (let i = 0; i < n; i++) tasks.push(yield* spawn(() => body(i)));
  let sum = 0;
  for (const t of tasks) sum += yield* t;
  return sum;
}

function* pinger(n: number, out: Queue<number, void>, back: Queue<number, void>): Operation<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out.add(i);
    sum += (yield* back.next()).value as number;
  }
  return sum;
}

function* ponger(n: number, inp: Queue<number, void>, back: Queue<number, void>): Operation<number> {
  for (let i = 0; i < n; i++) back.add((yield* inp.next()).value as number);
  return 0;
}

function* yielder(k: number): Operation<number> {
  for (let j = 0; j < k; j++) yield* YIELD;
  return k;
}

function* sleeper(ms: number, parked: (() => void) | undefined): Operation<number> {
  if (parked !== undefined) parked();
  yield* sleep(ms);
  return 1;
}

/** W1f / W4f: a fresh generator function per task. */
function freshChild(i: number): Operation<number> {
  return (function* () {
    return i;
  })();
}

function freshSleeper(ms: number, parked: (() => void) | undefined): Operation<number> {
  return (function* () {
    if (parked !== undefined) parked();
    yield* sleep(ms);
    return 1;
  })();
}

function* level(d: number): Operation<number> {
  return d === 1 ? yield* READY : yield* level(d - 1);
}

function* producer(q: Queue<number, void>, from: number, count: number): Operation<number> {
  for (let k = 0; k < count; k++) {
    q.add(from + k);
    yield* YIELD;
  }
  return 0;
}

async function timed(n: number, body: () => Operation<number>) {
  const t0 = now();
  const check = await run(body);
  return { ms: now() - t0, ops: n, check };
}

export const effection: Implementation = {
  W1: (n) => timed(n, () => spawnJoin(n, child)),
  W1f: (n) => timed(n, () => spawnJoin(n, freshChild)),
  W2: (n) =>
    timed(n, function* () {
      const a = createQueue<number, void>();
      const b = createQueue<number, void>();
      const ping = yield* spawn(() => pinger(n, a, b));
      const pong = yield* spawn(() => ponger(n, a, b));
      const sum = yield* ping;
      yield* pong;
      return sum;
    }).then((m) => ({ ...m, note: "createQueue (unbounded)" })),
  W3: (n) => timed(n, () => spawnJoin(TASKS_W3, () => yielder(n / TASKS_W3))),
  W4: (n) => timed(n, () => spawnJoin(n, (i) => sleeper(1 + (i % 50), undefined))),
  W4mem: (n) => heapPerParked(n, (parked) => void run(() => spawnJoin(n, (i) => sleeper(600_000 + (i % 50), parked)))),
  W4f: (n) => timed(n, () => spawnJoin(n, (i) => freshSleeper(1 + (i % 50), undefined))),
  W4fmem: (n) => heapPerParked(n, (parked) => void run(() => spawnJoin(n, (i) => freshSleeper(600_000 + (i % 50), parked)))),
  W5: (n) =>
    timed(n, function* () {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += yield* level(DEPTH_W5);
      return sum;
    }),
  W6: (n) =>
    timed(n, function* () {
      const q = createQueue<number, void>();
      const per = n / PRODUCERS_W6;
      for (let p = 0; p < PRODUCERS_W6; p++) void (yield* spawn(() => producer(q, p * per, per)));
      let sum = 0;
      for (let k = 0; k < n; k++) sum += (yield* q.next()).value as number;
      return sum;
    }).then((m) => ({ ...m, note: "createQueue (unbounded); producers yield after each add" })),
  ALL10K: (n) =>
    timed(n, function* () {
      const ops: Operation<number>[] = [];
      for (let i = 0; i < n; i++) ops.push(child(i));
      const values = yield* all(ops);
      return values.reduce((s, x) => s + x, 0);
    }),
};
