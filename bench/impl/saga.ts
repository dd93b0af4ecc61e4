// redux-saga 1.5.1, run standalone with runSaga and a stdChannel (no Redux store).
// Substitutions: no yield effect exists, so W3 yields with `call` of an already-resolved
// Promise (one microtask, like `await null`); the ready leaf of W5 is `call` of a plain
// function; `put` never blocks, so W6's channel is an expanding buffer; no Mutex: MUTEX is
// not run.

import { buffers, channel, runSaga, stdChannel, type Channel } from "redux-saga";
import { all, call, delay, fork, join, put, take } from "redux-saga/effects";
import { DEPTH_W5, PRODUCERS_W6, TASKS_W3 } from "../jobs";
import { heapPerParked, now, type Implementation } from "../worker";

type Saga<T> = Generator<unknown, T, any>;

function start<T>(saga: () => Saga<T>): Promise<T> {
  const io = { channel: stdChannel(), dispatch: () => {}, getState: () => ({}) };
  return runSaga(io, saga).toPromise() as Promise<T>;
}

async function timed(n: number, saga: () => Saga<number>, note?: string) {
  const t0 = now();
  const check = await start(saga);
  const m = { ms: now() - t0, ops: n, check };
  return note === undefined ? m : { ...m, note };
}

function* child(i: number): Saga<number> {
  return i;
}

function* spawnJoin(n: number, body: (i: number) => Saga<number>): Saga<number> {
  const tasks: unknown[] = [];
  for (let i = 0; i < n; i++) tasks.push(yield fork(body, i));
  let sum = 0;
  for (const t of tasks) sum += (yield join(t as never)) as number;
  return sum;
}

function* pinger(n: number, out: Channel<number>, back: Channel<number>): Saga<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    yield put(out, i);
    sum += (yield take(back)) as number;
  }
  return sum;
}

function* ponger(n: number, inp: Channel<number>, back: Channel<number>): Saga<number> {
  for (let i = 0; i < n; i++) yield put(back, (yield take(inp)) as number);
  return 0;
}

const RESOLVED = Promise.resolve();
const resolved = () => RESOLVED;

function* yielder(k: number): Saga<number> {
  for (let j = 0; j < k; j++) yield call(resolved);
  return k;
}

function* sleeper(ms: number, parked: (() => void) | undefined): Saga<number> {
  if (parked !== undefined) parked();
  yield delay(ms);
  return 1;
}

/** W1f / W4f: a fresh generator function per task. */
function freshChild(i: number): Saga<number> {
  return (function* () {
    return i;
  })();
}

function freshSleeper(ms: number, parked: (() => void) | undefined): Saga<number> {
  return (function* () {
    if (parked !== undefined) parked();
    yield delay(ms);
    return 1;
  })();
}

const one = () => 1;

function* level(d: number): Saga<number> {
  return d === 1 ? ((yield call(one)) as number) : yield* level(d - 1);
}

function* producer(ch: Channel<number>, from: number, count: number): Saga<number> {
  for (let k = 0; k < count; k++) yield put(ch, from + k);
  return 0;
}

export const saga: Implementation = {
  W1: (n) => timed(n, () => spawnJoin(n, child)),
  W1f: (n) => timed(n, () => spawnJoin(n, freshChild)),
  W2: (n) =>
    timed(
      n,
      function* () {
        const a = channel<number>(buffers.fixed(1));
        const b = channel<number>(buffers.fixed(1));
        const ping = yield fork(pinger, n, a, b);
        const pong = yield fork(ponger, n, a, b);
        const sum = (yield join(ping as never)) as number;
        yield join(pong as never);
        return sum;
      },
      "channel(buffers.fixed(1))",
    ),
  W3: (n) => timed(n, () => spawnJoin(TASKS_W3, () => yielder(n / TASKS_W3)), "yield = call(() => resolved promise)"),
  W4: (n) => timed(n, () => spawnJoin(n, (i) => sleeper(1 + (i % 50), undefined))),
  W4mem: (n) => heapPerParked(n, (parked) => void start(() => spawnJoin(n, (i) => sleeper(600_000 + (i % 50), parked)))),
  W4f: (n) => timed(n, () => spawnJoin(n, (i) => freshSleeper(1 + (i % 50), undefined))),
  W4fmem: (n) => heapPerParked(n, (parked) => void start(() => spawnJoin(n, (i) => freshSleeper(600_000 + (i % 50), parked)))),
  W5: (n) =>
    timed(n, function* () {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += yield* level(DEPTH_W5);
      return sum;
    }),
  W6: (n) =>
    timed(
      n,
      function* () {
        const ch = channel<number>(buffers.expanding(64));
        const per = n / PRODUCERS_W6;
        for (let p = 0; p < PRODUCERS_W6; p++) yield fork(producer, ch, p * per, per);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += (yield take(ch)) as number;
        return sum;
      },
      "channel(buffers.expanding(64)): put never blocks",
    ),
  ALL10K: (n) =>
    timed(n, function* () {
      const effects: unknown[] = [];
      for (let i = 0; i < n; i++) effects.push(call(child, i));
      const values = (yield all(effects as never[])) as number[];
      return values.reduce((s, x) => s + x, 0);
    }),
};
