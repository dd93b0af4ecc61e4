// The floor: plain generators stepped with gen.next() by a few lines of code, no runtime.
// No wakers, no futures, no cancellation, no error handling: what any generator runtime
// costs at least. Hand-offs pass values straight through next(v).

import { DEPTH_W5, PRODUCERS_W6, TASKS_W3 } from "../jobs";
import { heapPerParked, now, type Implementation } from "../worker";

type Gen = Generator<unknown, unknown, unknown>;

function* child(i: number): Generator<never, number, unknown> {
  return i;
}

function* ping(n: number): Generator<number, number, number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield i;
  return sum;
}

function* pong(): Generator<number | undefined, void, number> {
  let v = yield undefined;
  for (;;) v = yield v;
}

function* yielder(k: number): Generator<undefined, number, unknown> {
  for (let j = 0; j < k; j++) yield undefined;
  return k;
}

function* sleeper(ms: number): Generator<number, number, unknown> {
  yield ms;
  return 1;
}

function* level(d: number): Generator<number, number, number> {
  return d === 1 ? yield 1 : yield* level(d - 1);
}

function* chains(n: number): Generator<number, number, number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* level(DEPTH_W5);
  return sum;
}

function* producer(from: number, count: number): Generator<number, void, unknown> {
  for (let k = 0; k < count; k++) yield from + k;
}

function* consumer(): Generator<undefined, never, number> {
  let sum = 0;
  for (;;) {
    sum += yield undefined;
    total = sum;
  }
}
let total = 0;

/** Step every generator round-robin until all are done; the sum of their return values. */
function roundRobin(gens: Gen[]): number {
  let queue = gens;
  let sum = 0;
  while (queue.length > 0) {
    const next: Gen[] = [];
    for (let i = 0; i < queue.length; i++) {
      const g = queue[i] as Gen;
      const r = g.next();
      if (r.done === true) sum += r.value as number;
      else next.push(g);
    }
    queue = next;
  }
  return sum;
}

/** W4f: a fresh sleeper function per task. */
function freshSleeper(ms: number): Gen {
  return (function* () {
    yield ms;
    return 1;
  })();
}

/** Step each sleeper to its first yield and park it in one bucket per duration (one host timer each). */
function parkSleepers(n: number, ms0: number, parked: (() => void) | undefined, done: (g: Gen) => void, make: (ms: number) => Gen = sleeper): void {
  const buckets = new Map<number, Gen[]>();
  for (let i = 0; i < n; i++) {
    const g = make(ms0 + (i % 50));
    const ms = g.next().value as number;
    let b = buckets.get(ms);
    if (b === undefined) buckets.set(ms, (b = []));
    b.push(g);
    if (parked !== undefined) parked();
  }
  for (const [ms, b] of buckets) {
    setTimeout(() => {
      for (const g of b) done(g);
    }, ms);
  }
}

export const raw: Implementation = {
  async W1(n) {
    const t0 = now();
    const gens = new Array<Gen>(n);
    for (let i = 0; i < n; i++) gens[i] = child(i);
    const check = roundRobin(gens);
    return { ms: now() - t0, ops: n, check };
  },

  async W1f(n) {
    const t0 = now();
    const gens = new Array<Gen>(n);
    for (let i = 0; i < n; i++) {
      gens[i] = (function* () {
        return i;
      })();
    }
    const check = roundRobin(gens);
    return { ms: now() - t0, ops: n, check };
  },

  async W2(n) {
    const t0 = now();
    const a = ping(n);
    const b = pong();
    b.next(0);
    let r = a.next(0);
    while (r.done !== true) r = a.next(b.next(r.value).value as number);
    return { ms: now() - t0, ops: n, check: r.value };
  },

  async W3(n) {
    const t0 = now();
    const gens: Gen[] = [];
    for (let i = 0; i < TASKS_W3; i++) gens.push(yielder(n / TASKS_W3));
    const check = roundRobin(gens);
    return { ms: now() - t0, ops: n, check };
  },

  W4(n) {
    return new Promise((resolve) => {
      const t0 = now();
      let finished = 0;
      parkSleepers(n, 1, undefined, (g) => {
        finished += g.next().value as number;
        if (finished === n) resolve({ ms: now() - t0, ops: n, check: finished });
      });
    });
  },

  W4mem(n) {
    return heapPerParked(n, (parked) => parkSleepers(n, 600_000, parked, () => {}));
  },

  W4f(n) {
    return new Promise((resolve) => {
      const t0 = now();
      let finished = 0;
      const done = (g: Gen) => {
        finished += g.next().value as number;
        if (finished === n) resolve({ ms: now() - t0, ops: n, check: finished });
      };
      parkSleepers(n, 1, undefined, done, freshSleeper);
    });
  },

  W4fmem(n) {
    return heapPerParked(n, (parked) => parkSleepers(n, 600_000, parked, () => {}, freshSleeper));
  },

  async W5(n) {
    const t0 = now();
    const g = chains(n);
    let r = g.next(0);
    while (r.done !== true) r = g.next(r.value);
    return { ms: now() - t0, ops: n, check: r.value };
  },

  async W6(n) {
    const t0 = now();
    const per = n / PRODUCERS_W6;
    const c = consumer();
    c.next(0);
    total = 0;
    let producers: Gen[] = [];
    for (let p = 0; p < PRODUCERS_W6; p++) producers.push(producer(p * per, per));
    while (producers.length > 0) {
      const next: Gen[] = [];
      for (const g of producers) {
        const r = g.next();
        if (r.done === true) continue;
        c.next(r.value as number);
        next.push(g);
      }
      producers = next;
    }
    return { ms: now() - t0, ops: n, check: total };
  },
};
