// tutorial 04 · a combinator hands each child its own waker, so a wake says which child to poll.
//
// A combinator (join, race, select) is a future made of futures: one task polls it, and it
// polls its children. The simple way passes the task's own Context down to every child. It
// works, but a wake then says only "something in here can progress": the combinator must poll
// every child that is not finished yet, on every wake. With n children finishing one at a time,
// that is about n²/2 polls.
//
// The better way gives each child its own waker. Child i's waker marks child i as woken, then
// wakes the task. When the task polls the combinator, it polls only the children marked woken,
// so each child is polled once per wake of its own: 2n polls here. wakeful's combinators do
// exactly this (lib/combinators/children.ts: a ready list of the children that woke, the design
// of Rust's FuturesUnordered).
//
// Notice: the child's waker is a waker like any other, so a child can be any future, a Bell
// shared with other tasks included: to that Bell, child 2's waker is its own waiter, told apart
// from child 3's by `willWake`.

import { Poll, from, runSync, sleep, spawn } from "../../lib/index";
import type { Context, Future, Waker } from "../../lib/index";
import { Doorbell } from "./support/futures";

/** join() over futures: every child's value, in order. `perChild` picks how children are woken. */
class Join<T> implements Future<T[]> {
  private readonly values: (T | undefined)[];
  private readonly done: boolean[];
  /** Child i woke since it was last polled (all start woken: the first poll polls everyone). */
  private readonly woken: boolean[];
  private readonly wakers: Waker[];
  private task: Waker | undefined = undefined;
  readonly polled: number[] = [];

  constructor(
    private readonly children: Future<T>[],
    private readonly perChild: boolean,
    private readonly log: (line: string) => void,
  ) {
    this.values = children.map(() => undefined);
    this.done = children.map(() => false);
    this.woken = children.map(() => true);
    this.wakers = children.map((_, i) => this.childWaker(i));
  }

  private childWaker(i: number): Waker {
    const waker: Waker = {
      wake: () => {
        this.woken[i] = true; // say which child can progress...
        this.task?.wake(); // ...then ask for a poll of the whole
      },
      wakeByRef: () => waker.wake(),
      clone: () => waker,
      willWake: (other) => other === waker,
    };
    return waker;
  }

  poll(cx: Context): Poll<T[]> {
    if (this.task === undefined || !this.task.willWake(cx.waker)) this.task = cx.waker.clone();
    const polledNow: number[] = [];
    for (let i = 0; i < this.children.length; i++) {
      if (this.done[i] || (this.perChild && !this.woken[i])) continue;
      this.woken[i] = false;
      polledNow.push(i);
      const p = (this.children[i] as Future<T>).poll(this.perChild ? { waker: this.wakers[i] as Waker } : cx);
      if (p.ready) {
        this.done[i] = true;
        this.values[i] = p.value;
      }
    }
    this.polled.push(polledNow.length);
    this.log(`    join polled child${polledNow.length === 1 ? "" : "ren"} ${polledNow.join(" ")}`);
    return this.done.every(Boolean) ? Poll.ready(this.values as T[]) : Poll.pending;
  }
}

function demo(perChild: boolean, n: number, quiet: boolean): number {
  const bells = Array.from({ length: n }, (_, i) => new Doorbell(`bell ${i}`));
  const join = new Join(bells, perChild, quiet ? () => {} : (line) => console.log(line));
  runSync(function* () {
    // The ringer rings the bells one at a time, last first, 1 ms apart.
    spawn(function* () {
      for (let i = n - 1; i >= 0; i--) {
        yield* sleep(1);
        (bells[i] as Doorbell).ring();
      }
    });
    return yield* from(join);
  });
  return join.polled.reduce((a, b) => a + b, 0);
}

console.log("1. Every child polled with the task's own Context (4 bells, rung last to first):");
const shared = demo(false, 4, false);
console.log(`  ${shared} child polls`);

console.log("\n2. Each child polled with its own waker:");
const own = demo(true, 4, false);
console.log(`  ${own} child polls`);

console.log("\n3. The same with 1,000 bells:");
console.log(`  the task's Context: ${demo(false, 1000, true).toLocaleString("en-US")} child polls`);
console.log(`  a waker per child:  ${demo(true, 1000, true).toLocaleString("en-US")} child polls`);
