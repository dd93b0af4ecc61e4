// tutorial 06 · timers: a heap of deadlines, driven by a virtual or a real clock.
//
// Chapter 03 kept timers in an array and sorted it at every idle moment. A runtime with many
// timers wants better: a binary min-heap gives the earliest deadline in O(1) and adds or
// removes one in O(log n). Ordering by (deadline, creation number) makes timers that share a
// deadline fire in the order they were created, so a run does not depend on heap internals.
//
// The heap only says *which* timer is next; the clock says *when* that is. A virtual clock
// jumps straight to the next deadline when nothing else can run (a 30 ms program finishes in
// microseconds, and the times are exact). A real clock has to wait: arm ONE host timer for the
// earliest deadline, and when it fires, fire every due timer and arm the next.
//
// Last, wakeful does both: `new Runtime({ clock: "virtual" })` and the default real clock.
//
// Notice: the virtual and the real run fire the same timers in the same order; only the
// waiting differs. That is why tests run on virtual time.

import { Runtime, now, run, sleep, spawn } from "../../lib/index";

interface Entry {
  readonly deadline: number;
  readonly seq: number;
  readonly label: string;
}

/** A binary min-heap ordered by (deadline, seq). */
class TimerHeap {
  private readonly heap: Entry[] = [];
  private seq = 0;
  get size(): number {
    return this.heap.length;
  }
  peek(): Entry | undefined {
    return this.heap[0];
  }
  add(deadline: number, label: string): void {
    const heap = this.heap;
    heap.push({ deadline, seq: this.seq++, label });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }
  /** Remove and return the earliest entry if it is due at `now`. */
  popDue(now: number): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined || top.deadline > now) return undefined;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Entry, heap[m] as Entry)) m = l;
        if (r < heap.length && before(heap[r] as Entry, heap[m] as Entry)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Entry, heap[i] as Entry];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

function fill(heap: TimerHeap): void {
  for (const [deadline, label] of [[30, "c"], [10, "a1"], [20, "b1"], [10, "a2"], [20, "b2"], [10, "a3"]] as const) heap.add(deadline, label);
}

console.log("1. A virtual clock jumps from deadline to deadline:");
const virtual = new TimerHeap();
fill(virtual);
let t = 0;
const fired: string[] = [];
while (virtual.size > 0) {
  t = (virtual.peek() as Entry).deadline; // nothing else to do: jump
  for (let e = virtual.popDue(t); e !== undefined; e = virtual.popDue(t)) fired.push(`${e.label}@${t}`);
}
console.log(`  ${fired.join(" ")}   (equal deadlines fire in creation order)`);

console.log("\n2. A real clock arms one host timer at a time, for the earliest deadline:");
async function realClock(): Promise<void> {
  const heap = new TimerHeap();
  fill(heap);
  const start = performance.now();
  const order: string[] = [];
  let armed = 0; // host timers armed right now
  let most = 0;
  await new Promise<void>((resolve) => {
    const arm = () => {
      const next = heap.peek();
      if (next === undefined) return resolve();
      most = Math.max(most, ++armed);
      setTimeout(() => {
        armed--;
        const now = performance.now() - start;
        for (let e = heap.popDue(now); e !== undefined; e = heap.popDue(now)) order.push(e.label);
        arm();
      }, Math.max(0, next.deadline - (performance.now() - start)));
    };
    arm();
  });
  const waited = performance.now() - start;
  console.log(`  ${order.join(" ")}   (at most ${most} host timer armed at a time; waited ${waited >= 25 ? "about 30 ms" : "less than expected"})`);
}

async function onWakeful(): Promise<void> {
  console.log("\n3. wakeful, virtual clock: the same timers as sleeps, exact times, no waiting:");
  const rt = new Runtime({ clock: "virtual" });
  const log: string[] = [];
  for (const [ms, label] of [[30, "c"], [10, "a1"], [20, "b1"], [10, "a2"]] as const) {
    rt.spawn(function* () {
      yield* sleep(ms);
      log.push(`${label}@${now()}`);
    });
  }
  rt.runSync();
  console.log(`  ${log.join(" ")}`);

  console.log("\n4. wakeful, real clock (run): the same order; the times would differ run to run, so we print none:");
  const order: string[] = [];
  await run(function* () {
    for (const [ms, label] of [[30, "c"], [10, "a1"], [20, "b1"], [10, "a2"]] as const) {
      spawn(function* () {
        yield* sleep(ms);
        order.push(label);
      });
    }
    yield* sleep(40);
  });
  console.log(`  ${order.join(" ")}`);
}

realClock().then(onWakeful);
