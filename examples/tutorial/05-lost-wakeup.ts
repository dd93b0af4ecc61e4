// tutorial 05 · the lost wake-up: a Sleep that forgets its waker, and how to find it.
//
// A mini-runtime with one switch. `blocking: false` re-polls every live task on every lap and
// moves its clock 1 ms per lap (chapter 02's busy loop). `blocking: true` polls only woken
// tasks and, when none is ready, blocks until the next timer (chapter 03's way). A future that
// returns Pending without arranging a wake-up works on the first and hangs on the second.
//
// `ForgetfulSleep` is that future: it computes its deadline and says Pending until the clock
// passes it, but never hands `cx.waker` to anyone. Then we run it on wakeful and let its tools
// point at the culprit: the DeadlockError names the parked task, what it waits on, and flags
// that its last poll returned Pending without reading `cx.waker`; the trace timeline shows the
// task parking with no timer and no wake ever after.
//
// Then the machine itself, move by move (also written as build/tutorial/05-lost-wakeup.html):
// after sleep(5) parks, the napper is parked *and* a timer in the heap names it; after
// ForgetfulSleep parks, it is parked and nothing — no timer, no waker — points back at it.
//
// The exercise (docs/tutorial/05-the-lost-wake-up.md): fix the Sleep. The solution is at the
// end: arrange the wake-up, either by giving the waker to a timer or by building on `sleep()`.

import { DeadlockError, Op, Poll, Runtime, now, sleep, spawn, type Context, type Future, type Operation, type Waker } from "../../lib/index";
import { RingQueue } from "../../lib/primitives/index";
import { timeline } from "../../lib/trace/index";
import { after, moveWhere, writePage } from "./support/page";

interface Timer {
  deadline: number;
  waker: Waker;
}

/** Chapter 03's executor, with a switch between busy re-polling and blocking on wakers. */
class MiniRuntime {
  private readonly ready = new RingQueue<Future<unknown>>();
  private readonly live = new Set<Future<unknown>>();
  private readonly parked = new Map<Waker, Future<unknown>>();
  readonly timers: Timer[] = [];
  now = 0;
  polls = 0;

  constructor(private readonly blocking: boolean) {}

  spawn(task: Future<unknown>): void {
    this.live.add(task);
    this.ready.push(task);
  }

  private wakerFor(task: Future<unknown>): Waker {
    const waker: Waker = {
      wake: () => {
        if (this.parked.delete(waker)) this.ready.push(task);
      },
      wakeByRef: () => waker.wake(),
      clone: () => waker,
      willWake: (other) => other === waker,
    };
    return waker;
  }

  /** Runs until every task is done, or says why it cannot. */
  run(limitMs: number): string {
    const wakers = new Map<Future<unknown>, Waker>();
    while (this.live.size > 0) {
      if (!this.blocking) {
        // Busy mode: every parked task is polled again, woken or not.
        for (const [waker, task] of this.parked) {
          this.parked.delete(waker);
          this.ready.push(task);
        }
      }
      while (this.ready.length > 0) {
        const task = this.ready.shift() as Future<unknown>;
        let waker = wakers.get(task);
        if (waker === undefined) wakers.set(task, (waker = this.wakerFor(task)));
        this.polls++;
        if (task.poll({ waker }).ready) this.live.delete(task);
        else this.parked.set(waker, task);
      }
      if (this.live.size === 0) break;
      if (this.now >= limitMs) return `gave up at t=${this.now}`;
      if (!this.blocking) {
        this.now++; // busy mode: time passes as the loop spins
      } else {
        const next = this.timers.sort((a, b) => a.deadline - b.deadline).shift();
        if (next === undefined) return `blocked forever at t=${this.now}: ${this.live.size} task parked and no timer will ever wake it`;
        this.now = next.deadline;
        next.waker.wake();
      }
    }
    return `all done at t=${this.now}`;
  }
}

/** The bug: Pending, and nobody will ever call the waker. */
class ForgetfulSleep implements Future<void> {
  private deadline: number | undefined = undefined;
  constructor(
    private readonly rt: MiniRuntime,
    private readonly ms: number,
  ) {}
  poll(_cx: Context): Poll<void> {
    this.deadline ??= this.rt.now + this.ms;
    return this.rt.now >= this.deadline ? Poll.ready(undefined) : Poll.pending; // cx.waker untouched
  }
}

/** The fix: hand the waker to the runtime's timers before saying Pending. */
class Sleep implements Future<void> {
  private deadline: number | undefined = undefined;
  constructor(
    private readonly rt: MiniRuntime,
    private readonly ms: number,
  ) {}
  poll(cx: Context): Poll<void> {
    this.deadline ??= this.rt.now + this.ms;
    if (this.rt.now >= this.deadline) return Poll.ready(undefined);
    this.rt.timers.push({ deadline: this.deadline, waker: cx.waker });
    return Poll.pending;
  }
}

const polls = (rt: MiniRuntime) => `${rt.polls} poll${rt.polls === 1 ? "" : "s"}`;

console.log("1. ForgetfulSleep(10) on the mini-runtime:");
for (const blocking of [false, true]) {
  const rt = new MiniRuntime(blocking);
  rt.spawn(new ForgetfulSleep(rt, 10));
  console.log(`  blocking: ${String(blocking).padEnd(5)} → ${rt.run(1000)} (${polls(rt)})`);
}

console.log("\n2. The same bug on wakeful, found by its tools:");
/** ForgetfulSleep for wakeful: it reads wakeful's clock, and still forgets the waker. */
class WakefulForgetfulSleep extends Op<void> {
  private deadline: number | undefined = undefined;
  constructor(private readonly ms: number) {
    super();
  }
  poll(_cx: Context): Poll<void> {
    this.deadline ??= now() + this.ms;
    return now() >= this.deadline ? Poll.ready(undefined) : Poll.pending;
  }
  describe(): string {
    return `ForgetfulSleep(${this.ms})`;
  }
}
function* napper(): Operation<void> {
  yield* sleep(5); // a well-behaved sleep first, for contrast
  yield* new WakefulForgetfulSleep(10);
}
const rt = new Runtime({ clock: "virtual", trace: true, traceSites: true });
rt.spawn(
  function* () {
    yield* spawn(napper(), { name: "napper" }); // main parks on the napper's JoinHandle
  },
  { name: "main" },
);
try {
  rt.runSync();
  console.log("  finished (unexpected)");
} catch (error) {
  if (!(error instanceof DeadlockError)) throw error;
  console.log(`  rt.runSync() threw ${error.name}:`);
  console.log(`  ${error.message.split("\n").join("\n  ")}`);
  error.tasks.forEach((t, i) => console.log(`  err.tasks[${i}].lostWaker = ${String(t.lostWaker).padEnd(5)}  (#${t.id} "${t.name}", waits on ${t.waitsOn})`));
}
console.log("\n  timeline(rt.trace): sleep(5) parks, its timer fires and wakes the napper; ForgetfulSleep");
console.log("  parks, and nothing ever happens to the napper again.\n");
console.log(timeline(rt.trace).replace(/^/gm, "  "));
const lost = rt.trace;
console.log(`\n  The machine, on the page ${writePage("05-lost-wakeup", lost, "05 · the lost wake-up: ForgetfulSleep on wakeful")}:`);
console.log(after(lost, moveWhere(lost, "poll sleep(5) until t=5 → park")));
console.log(after(lost, moveWhere(lost, "poll ForgetfulSleep(10) → park")));

console.log("\n3. Solution: arrange the wake-up.");
for (const blocking of [false, true]) {
  const rt = new MiniRuntime(blocking);
  rt.spawn(new Sleep(rt, 10));
  console.log(`  mini-runtime, blocking: ${String(blocking).padEnd(5)} → ${rt.run(1000)} (${polls(rt)})`);
}
/** On wakeful, build on sleep(): it arms a timer with the task's waker. */
class FixedSleep extends Op<void> {
  private readonly inner: Future<void>;
  constructor(private readonly ms: number) {
    super();
    this.inner = sleep(ms);
  }
  poll(cx: Context): Poll<void> {
    return this.inner.poll(cx); // sleep() arms a timer with cx.waker: the wake-up is arranged
  }
  drop(cx: Context): void {
    this.inner.drop?.(cx); // our task was cancelled while waiting: take the timer out of the heap
  }
  describe(): string {
    return `FixedSleep(${this.ms})`;
  }
}
const fixed = new Runtime({ clock: "virtual", trace: true });
let at = NaN;
fixed.spawn(function* () {
  yield* sleep(5);
  yield* new FixedSleep(10);
  at = now();
}, { name: "napper" });
fixed.runSync();
console.log(`  wakeful: FixedSleep(10) after sleep(5) → done at t=${at}`);
const kept = fixed.trace;
console.log(`\n  The machine, on the page ${writePage("05-fixed-sleep", kept, "05 · the wake-up arranged: FixedSleep on wakeful")}:`);
console.log(after(kept, moveWhere(kept, "poll FixedSleep(10) → park")));
