// Native async/await: the baseline wakeful replaces. Each workload is written the way a
// careful programmer would write it with promises, with a hand-made channel and mutex.

import { CAPACITY_W6, DEPTH_W5, PRODUCERS_W6, TASKS_MUTEX, TASKS_W3 } from "../jobs";
import { PromiseChannel, PromiseMutex } from "../support/promise-sync";
import { heapPerParked, now, type Implementation } from "../worker";

async function child(i: number): Promise<number> {
  return i;
}

async function pinger(n: number, out: PromiseChannel<number>, back: PromiseChannel<number>): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    await out.send(i);
    sum += await back.recv();
  }
  return sum;
}

async function ponger(n: number, inp: PromiseChannel<number>, back: PromiseChannel<number>): Promise<void> {
  for (let i = 0; i < n; i++) await back.send(await inp.recv());
}

async function yielder(k: number): Promise<number> {
  for (let j = 0; j < k; j++) await null;
  return k;
}

function timer(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sleeper(ms: number, parked?: () => void): Promise<number> {
  const t = timer(ms);
  if (parked !== undefined) parked();
  await t;
  return 1;
}

const RESOLVED = Promise.resolve(1);

async function level(d: number): Promise<number> {
  return d === 1 ? await RESOLVED : await level(d - 1);
}

async function producer(ch: PromiseChannel<number>, from: number, count: number): Promise<void> {
  for (let k = 0; k < count; k++) await ch.send(from + k);
}

async function consumer(ch: PromiseChannel<number>, n: number): Promise<number> {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += await ch.recv();
  return sum;
}

async function locker(m: PromiseMutex, k: number, counter: { n: number }): Promise<void> {
  for (let j = 0; j < k; j++) {
    await m.lock();
    await null; // hold the lock across a yield, so every other task queues on it
    counter.n++;
    m.unlock();
  }
}

/** W1: start every task, then await each in turn (the shape of the generator runtimes' spawn + join). */
async function spawnJoin(n: number, body: (i: number) => Promise<number>): Promise<number> {
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = body(i);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await (ps[i] as Promise<number>);
  return sum;
}

/** W4f: a fresh sleeper function per task. */
function freshSleeper(ms: number, parked?: () => void): Promise<number> {
  return (async () => {
    const t = timer(ms);
    if (parked !== undefined) parked();
    await t;
    return 1;
  })();
}

async function allOf(n: number): Promise<number> {
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = child(i);
  const values = await Promise.all(ps);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum;
}

export const native: Implementation = {
  async W1(n) {
    const t0 = now();
    const check = await spawnJoin(n, child);
    return { ms: now() - t0, ops: n, check };
  },

  async W1f(n) {
    const t0 = now();
    const check = await spawnJoin(n, (i) => (async () => i)());
    return { ms: now() - t0, ops: n, check };
  },

  async W2(n) {
    const a = new PromiseChannel<number>(1);
    const b = new PromiseChannel<number>(1);
    const t0 = now();
    const [sum] = await Promise.all([pinger(n, a, b), ponger(n, a, b)]);
    return { ms: now() - t0, ops: n, check: sum };
  },

  async W3(n) {
    const k = n / TASKS_W3;
    const t0 = now();
    const ps: Promise<number>[] = [];
    for (let i = 0; i < TASKS_W3; i++) ps.push(yielder(k));
    const done = await Promise.all(ps);
    return { ms: now() - t0, ops: n, check: done.reduce((s, x) => s + x, 0) };
  },

  async W4(n) {
    const t0 = now();
    const ps = new Array<Promise<number>>(n);
    for (let i = 0; i < n; i++) ps[i] = sleeper(1 + (i % 50));
    const done = await Promise.all(ps);
    return { ms: now() - t0, ops: n, check: done.length };
  },

  W4mem(n) {
    return heapPerParked(n, (parked) => {
      const ps = new Array<Promise<number>>(n);
      for (let i = 0; i < n; i++) ps[i] = sleeper(600_000 + (i % 50), parked);
      void Promise.all(ps);
    });
  },

  async W4f(n) {
    const t0 = now();
    const ps = new Array<Promise<number>>(n);
    for (let i = 0; i < n; i++) ps[i] = freshSleeper(1 + (i % 50));
    const done = await Promise.all(ps);
    return { ms: now() - t0, ops: n, check: done.length };
  },

  W4fmem(n) {
    return heapPerParked(n, (parked) => {
      const ps = new Array<Promise<number>>(n);
      for (let i = 0; i < n; i++) ps[i] = freshSleeper(600_000 + (i % 50), parked);
      void Promise.all(ps);
    });
  },

  async W5(n) {
    const t0 = now();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await level(DEPTH_W5);
    return { ms: now() - t0, ops: n, check: sum };
  },

  async W6(n) {
    const ch = new PromiseChannel<number>(CAPACITY_W6);
    const per = n / PRODUCERS_W6;
    const t0 = now();
    const ps: Promise<unknown>[] = [consumer(ch, n)];
    for (let p = 0; p < PRODUCERS_W6; p++) ps.push(producer(ch, p * per, per));
    const [sum] = (await Promise.all(ps)) as [number];
    return { ms: now() - t0, ops: n, check: sum };
  },

  async MUTEX(n) {
    const k = n / TASKS_MUTEX;
    const m = new PromiseMutex();
    const counter = { n: 0 };
    const t0 = now();
    const ps: Promise<void>[] = [];
    for (let i = 0; i < TASKS_MUTEX; i++) ps.push(locker(m, k, counter));
    await Promise.all(ps);
    return { ms: now() - t0, ops: n, check: counter.n };
  },

  async ALL10K(n) {
    const t0 = now();
    const check = await allOf(n);
    return { ms: now() - t0, ops: n, check };
  },

  async ALL100K(n) {
    const t0 = now();
    const check = await allOf(n);
    return { ms: now() - t0, ops: n, check };
  },
};
