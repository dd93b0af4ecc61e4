// wakeful: every workload through the public API (`lib/index`), on a real clock with the
// default budget, the way an application runs it: channels and Mutex from lib/sync, all() from
// lib/combinators. W2/W6 also run on a bench-local channel (wakefulLocal), labelled as such.

import { Mutex, all, channel, ready, run, sleep, spawn, yieldNow, type Body, type Future, type JoinHandle, type Operation, type RuntimeOptions } from "../../lib/index";
import { CAPACITY_W6, DEPTH_W5, PRODUCERS_W6, TASKS_MUTEX, TASKS_W3 } from "../jobs";
import { LocalChannel } from "../support/local-channel";
import { heapPerParked, now, type Implementation } from "../worker";

type Gen<T> = Generator<Future<unknown>, T, unknown>;

/** What the bench needs of a channel's two ends (the real ones and the bench-local one). */
interface Tx<T> {
  send(value: T): Operation<void>;
}
interface Rx<T> {
  recv(): Operation<T | undefined>;
}

function* child(i: number): Gen<number> {
  return i;
}

function* spawnJoin(n: number): Gen<number> {
  const hs = new Array<JoinHandle<number>>(n);
  for (let i = 0; i < n; i++) hs[i] = spawn(child(i));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* hs[i] as JoinHandle<number>;
  return sum;
}

/** W1f: a fresh generator function per task (what users often write). */
function* spawnJoinFresh(n: number): Gen<number> {
  const hs = new Array<JoinHandle<number>>(n);
  for (let i = 0; i < n; i++) {
    hs[i] = spawn(function* () {
      return i;
    });
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* hs[i] as JoinHandle<number>;
  return sum;
}

/** W4f: a fresh sleeper function per task. */
function freshSleeper(ms: number, parked: (() => void) | undefined): Body<number> {
  return function* () {
    const s = sleep(ms);
    if (parked !== undefined) parked();
    yield* s;
    return 1;
  };
}

function* pinger(n: number, out: Tx<number>, back: Rx<number>): Gen<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    yield* out.send(i);
    sum += (yield* back.recv()) as number;
  }
  return sum;
}

function* ponger(n: number, inp: Rx<number>, back: Tx<number>): Gen<void> {
  for (let i = 0; i < n; i++) yield* back.send((yield* inp.recv()) as number);
}

/** Both sides are tasks of their own (as the two async functions of the native version). */
function* pingPong(n: number, a: [Tx<number>, Rx<number>], b: [Tx<number>, Rx<number>]): Gen<number> {
  const ping = spawn(pinger(n, a[0], b[1]));
  const pong = spawn(ponger(n, a[1], b[0]));
  const sum = yield* ping;
  yield* pong;
  return sum;
}

function* yielder(k: number): Gen<number> {
  for (let j = 0; j < k; j++) yield* yieldNow();
  return k;
}

function* joinAll(tasks: number, body: (i: number) => Body<number>): Gen<number> {
  const hs: JoinHandle<number>[] = [];
  for (let i = 0; i < tasks; i++) hs.push(spawn(body(i)));
  let sum = 0;
  for (const h of hs) sum += yield* h;
  return sum;
}

function* sleeper(ms: number, parked: (() => void) | undefined): Gen<number> {
  const s = sleep(ms);
  if (parked !== undefined) parked();
  yield* s;
  return 1;
}

const READY = ready(1);

function* level(d: number): Gen<number> {
  return d === 1 ? yield* READY : yield* level(d - 1);
}

function* chains(n: number): Gen<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* level(DEPTH_W5);
  return sum;
}

function* producer(tx: Tx<number>, from: number, count: number): Gen<number> {
  for (let k = 0; k < count; k++) yield* tx.send(from + k);
  return 0;
}

function* fanIn(n: number, tx: Tx<number>, rx: Rx<number>): Gen<number> {
  const per = n / PRODUCERS_W6;
  for (let p = 0; p < PRODUCERS_W6; p++) spawn(producer(tx, p * per, per));
  let sum = 0;
  for (let k = 0; k < n; k++) sum += (yield* rx.recv()) as number;
  return sum;
}

function realChannel(capacity: number): [Tx<number>, Rx<number>] {
  return channel<number>(capacity);
}

function localChannel(capacity: number): [Tx<number>, Rx<number>] {
  const ch = new LocalChannel<number>(capacity);
  return [ch, ch];
}

function* allOf(n: number): Gen<number> {
  const ops = new Array<Operation<number>>(n);
  for (let i = 0; i < n; i++) ops[i] = child(i);
  const values = yield* all(ops);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum;
}

async function timed(n: number, body: Body<number>, options?: RuntimeOptions, note?: string) {
  const t0 = now();
  const check = await run(body, options);
  const m = { ms: now() - t0, ops: n, check };
  return note === undefined ? m : { ...m, note };
}

const TRACE_OPTIONS: Record<string, RuntimeOptions | undefined> = {
  "no option": undefined,
  "trace: false": { trace: false },
  "trace: () => {}": { trace: () => {} },
};

export const wakeful: Implementation = {
  W1: (n) => timed(n, spawnJoin(n)),
  W1f: (n) => timed(n, spawnJoinFresh(n)),
  W2: (n) => timed(n, pingPong(n, realChannel(1), realChannel(1)), undefined, "channel from lib/sync"),
  W3: (n) => timed(n, joinAll(TASKS_W3, () => yielder(n / TASKS_W3))),
  W4: (n) => timed(n, joinAll(n, (i) => sleeper(1 + (i % 50), undefined))),
  W4mem: (n) => heapPerParked(n, (parked) => void run(joinAll(n, (i) => sleeper(600_000 + (i % 50), parked)))),
  W4f: (n) => timed(n, joinAll(n, (i) => freshSleeper(1 + (i % 50), undefined))),
  W4fmem: (n) => heapPerParked(n, (parked) => void run(joinAll(n, (i) => freshSleeper(600_000 + (i % 50), parked)))),
  W5: (n) => timed(n, chains(n)),
  W6: (n) => {
    const [tx, rx] = realChannel(CAPACITY_W6);
    return timed(n, fanIn(n, tx, rx), undefined, "channel from lib/sync");
  },
  MUTEX: (n) => {
    const m = new Mutex(0);
    const counter = { n: 0 };
    const k = n / TASKS_MUTEX;
    function* locker(): Gen<number> {
      for (let j = 0; j < k; j++) {
        const guard = yield* m.lock();
        yield* yieldNow(); // hold the lock across a yield, so every other task queues on it
        counter.n++;
        guard.release();
      }
      return 0;
    }
    return timed(n, joinAll(TASKS_MUTEX, locker)).then((r) => ({ ...r, check: counter.n }));
  },
  ALL10K: (n) => timed(n, allOf(n)),
  ALL100K: (n) => timed(n, allOf(n)),
  TRACE: (n, variant) => {
    if (variant === undefined || !(variant in TRACE_OPTIONS)) throw new RangeError(`unknown TRACE variant ${JSON.stringify(variant)}`);
    return timed(n, joinAll(TASKS_W3, () => yielder(n / TASKS_W3)), TRACE_OPTIONS[variant], variant);
  },
};

/** The same runtime with the bench-local channel: shows what lib/sync's channel adds over a bare hand-off. */
export const wakefulLocal: Implementation = {
  W2: (n) => timed(n, pingPong(n, localChannel(1), localChannel(1)), undefined, "bench-local channel"),
  W6: (n) => {
    const [tx, rx] = localChannel(CAPACITY_W6);
    return timed(n, fanIn(n, tx, rx), undefined, "bench-local channel");
  },
};
