// 03 · a hand-written future, woken from outside the runtime.
//
// `Flag` is a future written by hand: a class with `poll(cx)`. Its first poll starts a host
// timer (`setTimeout`, 10 ms), keeps `cx.waker`, and returns Pending. Later the host timer
// sets the flag and calls `waker.wake()`; the runtime polls the same future again (rule 3),
// and this time it is Ready.
//
// While the task is parked, the runtime has nothing to do and no timer of its own: it does not
// spin, poll or arm anything. It idles, and is woken from outside, by the host calling our
// waker. `rt.metrics.outsideWakes` counts exactly such wakes.
//
// Notice: the contract of Pending is "I have arranged a wake-up". `Flag` keeps it by handing
// `cx.waker` to the timer callback; example 06 shows what happens when a future forgets.
// Real clock, so the example prints no times. (Why not a virtual clock: it knows only its own
// timers and the promises it awaits through `fromPromise`; a host `setTimeout` is invisible to
// it, so it would call the parked task a deadlock instead of waiting.)

import { Poll, Runtime, from } from "../lib/index";
import type { Context, Future, Waker } from "../lib/index";

class Flag implements Future<string> {
  private set = false;
  private waker: Waker | undefined = undefined;
  private started = false;
  polls = 0;

  constructor(
    private readonly ms: number,
    private readonly onHostTimer: () => void,
  ) {}

  poll(cx: Context): Poll<string> {
    this.polls++;
    console.log(`  Flag.poll #${this.polls}: flag is ${this.set ? "set" : "not set"}`);
    if (this.set) return Poll.ready("the flag was set");
    // Keep the latest waker: a future may be polled by a different task than last time.
    this.waker = cx.waker;
    if (!this.started) {
      // Like a Rust future, nothing starts until the first poll.
      this.started = true;
      setTimeout(() => {
        this.onHostTimer();
        this.set = true;
        (this.waker as Waker).wake(); // the only thing that will ever poll us again
      }, this.ms);
    }
    return Poll.pending;
  }

  describe(): string {
    return `Flag (set by a ${this.ms} ms host timer)`;
  }
}

const rt = new Runtime(); // the real clock (the default)

function* waiter(flag: Flag) {
  console.log("waiter: waiting for the flag");
  // `from()` turns a raw Future into an operation, so `yield*` gives a typed value.
  // (A raw future can also be yielded directly: `const v = yield flag`, untyped.)
  const message = yield* from(flag);
  console.log(`waiter: ${message}`);
}

const flag = new Flag(10, () => {
  const m = rt.metrics;
  console.log(`host timer fired. The runtime meanwhile: ${m.parked} task parked, ${m.ready} ready, ${m.timers} timers of its own`);
  console.log("host timer: set the flag and call waker.wake()");
});
rt.spawn(waiter(flag), { name: "waiter" });

rt.run().then(() => {
  const m = rt.metrics;
  console.log(`done. Flag was polled ${flag.polls} times (Pending, then Ready); runtime polls: ${m.polls}`);
  console.log(`outside wakes: ${m.outsideWakes} (the host timer's wake; everything else happened inside the runtime's own steps)`);
}, (error) => {
  console.error(error);
  process.exitCode = 1;
});
