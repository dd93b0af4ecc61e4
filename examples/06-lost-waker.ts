// 06 · the lost waker: a Sleep that returns Pending without arranging a wake-up.
//
// `ForgetfulSleep` computes its deadline and returns Pending until the clock passes it, but it
// never touches `cx.waker`. This is the bug of the Sleep in rio, a small Rust runtime: it
// worked while rio re-polled every pending task in a busy loop, and broke the day rio started
// polling only woken tasks. A poll-based runtime polls a parked task again only when its waker
// is woken; a future that keeps no waker can never be polled again.
//
// wakeful notices. Run on a virtual clock, the runtime finds every task parked, no timer armed
// and no promise pending, so instead of hanging (or exiting silently, as rio did) `runSync()`
// throws a `DeadlockError` naming each parked task, what it waits on, and that its future
// returned Pending without reading `cx.waker`.
//
// Then two fixes: hand the waker to something that will call it (a host timer, on the real
// clock), or build on wakeful's own timers by delegating to `sleep()` (on the virtual clock).
// Last, the bug on the real clock: there the runtime waits until the host has nothing left
// that could wake anyone (Node's "beforeExit") and then reports the same deadlock.
//
// Notice: the contract is "Pending means a wake is arranged". The runtime can only enforce it
// after the fact; the report points at the future that broke it.

import { DeadlockError, Poll, Runtime, from, now, run, runSync, sleep, spawn } from "../lib/index";
import type { Context, Future, Waker } from "../lib/index";

/** The bug: Pending, and nobody will ever call the waker. */
class ForgetfulSleep implements Future<void> {
  private deadline: number | undefined = undefined;
  constructor(private readonly ms: number) {}
  poll(_cx: Context): Poll<void> {
    this.deadline ??= now() + this.ms;
    return now() >= this.deadline ? Poll.ready(undefined) : Poll.pending; // cx.waker untouched
  }
  describe(): string {
    return `ForgetfulSleep(${this.ms})`;
  }
}

/** Fix 1: give the waker to a host timer, which calls it when the time is up. */
class HostTimerSleep implements Future<void> {
  private done = false;
  private waker: Waker | undefined = undefined;
  private armed = false;
  constructor(private readonly ms: number) {}
  poll(cx: Context): Poll<void> {
    if (this.done) return Poll.ready(undefined);
    this.waker = cx.waker; // the wake-up is now arranged
    if (!this.armed) {
      this.armed = true;
      setTimeout(() => {
        this.done = true;
        (this.waker as Waker).wake();
      }, this.ms);
    }
    return Poll.pending;
  }
  describe(): string {
    return `HostTimerSleep(${this.ms})`;
  }
}

/** Fix 2: delegate to wakeful's own sleep, passing our Context on: it registers the waker. */
class DelegatingSleep implements Future<void> {
  private readonly inner: Future<void>;
  constructor(private readonly ms: number) {
    this.inner = sleep(ms);
  }
  poll(cx: Context): Poll<void> {
    return this.inner.poll(cx);
  }
  drop(cx: Context): void {
    this.inner.drop?.(cx); // cancelled while waiting: disarm the inner timer
  }
  describe(): string {
    return `DelegatingSleep(${this.ms})`;
  }
}

// One shared generator function for every variant (spawn(napper(...)), see example 05).
function* napper(future: Future<void>) {
  yield* from(future);
  return "woke up";
}

function* mainWith(future: Future<void>) {
  const h = spawn(napper(future), { name: "napper" });
  return yield* h;
}

// 1. The bug, on a virtual clock.
console.log("1. ForgetfulSleep(10) on a virtual clock:");
try {
  runSync(mainWith(new ForgetfulSleep(10)));
  console.log("   finished (unexpected)");
} catch (error) {
  if (!(error instanceof DeadlockError)) throw error;
  console.log(`   runSync() threw ${error.name}:`);
  for (const line of error.message.split("\n")) console.log(`   | ${line}`);
  const lost = error.tasks.filter((t) => t.lostWaker).map((t) => `#${t.id} "${t.name}"`);
  console.log(`   error.tasks: ${error.tasks.length} parked; lost waker in ${lost.join(", ")}`);
  console.log(`   ("main" is parked too, but correctly: it waits on the napper's JoinHandle)`);
}

// 2. Fix 1, on the real clock (so no times are printed).
async function fixes(): Promise<void> {
  console.log("2. HostTimerSleep(10) on the real clock:");
  const a = await run(mainWith(new HostTimerSleep(10)));
  console.log(`   ${a}: the host timer called the waker it was given`);

  // 3. Fix 2, back on a virtual clock, where time is exact.
  console.log("3. DelegatingSleep(10) on a virtual clock:");
  const rt = new Runtime({ clock: "virtual" });
  const h = rt.spawn(mainWith(new DelegatingSleep(10)), { name: "main" });
  rt.runSync();
  console.log(`   ${await h} at t=${rt.now()}: wakeful's timer heap held the waker and fired at the deadline`);

  // 4. The bug again, on the real clock: the runtime idles (nothing to poll, no timer of its
  // own) until the host itself has nothing left to run — Node's "beforeExit" — and then
  // rejects with the same report. (Its first line holds a real time, so we print the rest.)
  console.log("4. ForgetfulSleep(10) on the real clock:");
  try {
    await run(mainWith(new ForgetfulSleep(10)));
    console.log("   finished (unexpected)");
  } catch (error) {
    if (!(error instanceof DeadlockError)) throw error;
    const [first = "", ...rest] = error.message.split("\n");
    console.log(`   run() rejected with ${error.name}: ${first.replace(/^deadlock at t=[\d.]+: /, "")}`);
    for (const line of rest) console.log(`   | ${line}`);
  }
}

fixes().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
