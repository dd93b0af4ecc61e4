// tutorial 06 · timers: a heap of deadlines, driven by a virtual or a real clock.
//
// Chapter 03 kept timers in an array and sorted it at every idle moment. A runtime with many
// timers wants better: a binary min-heap gives the earliest deadline in O(1) and adds or
// removes one in O(log n). Ordering by (deadline, creation number) makes timers that share a
// deadline fire in the order they were created, so a run does not depend on heap internals.
// Each entry remembers its index in the heap, so cancelling one (a timeout that did not fire,
// a sleeping task that was aborted) is O(log n) too: no search through the array.
//
// The heap only says *which* timer is next; the clock says *when* that is. A virtual clock
// jumps straight to the next deadline when nothing else can run (a 30 ms program finishes in
// microseconds, and the times are exact). A real clock has to wait: arm ONE host timer for the
// earliest deadline, and when it fires, fire every due timer and arm the next.
//
// Last, wakeful does both: `new Runtime({ clock: "virtual" })` and the default real clock.
//
// Notice: the virtual and the real run fire the same timers in the same order; only the
// waiting differs. That is why tests run on virtual time. The virtual run is written as a page
// (build/tutorial/06-timers.html); the machine after the four sleeps park shows the heap's
// order, two timers at t=10 told apart by their arming sequence.

import { Runtime, now, run, sleep, spawn } from "../../lib/index";
import { look, moveWhere } from "./support/page";

interface Entry {
  readonly deadline: number;
  readonly seq: number;
  readonly label: string;
  /** Where the entry sits in the heap (-1 once it left): what makes cancel O(log n), not O(n). */
  index: number;
}

/** A binary min-heap ordered by (deadline, seq), whose entries know their place in it. */
class TimerHeap {
  private readonly heap: Entry[] = [];
  private seq = 0;
  get size(): number {
    return this.heap.length;
  }
  peek(): Entry | undefined {
    return this.heap[0];
  }
  add(deadline: number, label: string): Entry {
    const entry: Entry = { deadline, seq: this.seq++, label, index: this.heap.length };
    this.heap.push(entry);
    this.up(entry.index);
    return entry;
  }
  /** Take `entry` out wherever it is: move the last entry into its slot and let that one settle. */
  cancel(entry: Entry): void {
    const i = entry.index;
    if (i < 0) return; // already fired or cancelled
    entry.index = -1;
    const last = this.heap.pop() as Entry;
    if (last === entry) return;
    this.place(last, i);
    this.down(i);
    this.up(last.index);
  }
  /** Remove and return the earliest entry if it is due at `now`. */
  popDue(now: number): Entry | undefined {
    const top = this.heap[0];
    if (top === undefined || top.deadline > now) return undefined;
    this.cancel(top);
    return top;
  }
  private place(e: Entry, i: number): void {
    this.heap[i] = e;
    e.index = i;
  }
  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const [e, p] = [this.heap[i] as Entry, this.heap[parent] as Entry];
      if (!before(e, p)) return;
      this.place(p, i);
      this.place(e, parent);
      i = parent;
    }
  }
  private down(i: number): void {
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < this.heap.length && before(this.heap[l] as Entry, this.heap[m] as Entry)) m = l;
      if (r < this.heap.length && before(this.heap[r] as Entry, this.heap[m] as Entry)) m = r;
      if (m === i) return;
      const [e, c] = [this.heap[i] as Entry, this.heap[m] as Entry];
      this.place(c, i);
      this.place(e, m);
      i = m;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** Six timers, created in this order; then x(15) is armed and cancelled before it fires. */
function fill(heap: TimerHeap): void {
  for (const [deadline, label] of [[30, "c"], [10, "a1"], [20, "b1"], [10, "a2"], [20, "b2"], [10, "a3"]] as const) heap.add(deadline, label);
  heap.cancel(heap.add(15, "x"));
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
console.log(`  ${fired.join(" ")}   (equal deadlines fire in creation order; x@15 was cancelled)`);

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
  // The last timer fires only once the clock reads 30, so the wait is at least 30 ms.
  console.log(`  ${order.join(" ")}   (at most ${most} host timer armed at a time; waited ${waited >= 30 ? "30 ms or more" : "less than 30 ms (?)"})`);
}

async function onWakeful(): Promise<void> {
  console.log("\n3. wakeful, virtual clock: the same timers as sleeps, exact times, no waiting:");
  const rt = new Runtime({ clock: "virtual", trace: true });
  const log: string[] = [];
  for (const [ms, label] of [[30, "c"], [10, "a1"], [20, "b1"], [10, "a2"]] as const) {
    rt.spawn(function* () {
      yield* sleep(ms);
      log.push(`${label}@${now()}`);
    }, { name: label });
  }
  rt.runSync();
  console.log(`  ${log.join(" ")}`);
  console.log(`  ${look("06-timers", "06 · timers: four sleeps in wakeful's heap", rt.trace, moveWhere(rt.trace, "poll sleep(10) until t=10 → park") + 2).replace(/\n/g, "\n  ")}`);

  console.log("\n4. wakeful, real clock (run): the same order; the times would differ run to run, so we print none:");
  const order: string[] = [];
  await run(function* () {
    const handles = [];
    for (const [ms, label] of [[30, "c"], [10, "a1"], [20, "b1"], [10, "a2"]] as const) {
      handles.push(
        spawn(function* () {
          yield* sleep(ms);
          order.push(label);
        }),
      );
    }
    for (const h of handles) yield* h; // run() ends when main does: wait for every sleeper
  });
  console.log(`  ${order.join(" ")}`);
}

realClock()
  .then(onWakeful)
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
