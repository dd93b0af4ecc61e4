// tutorial 01 · a future by hand: Poll, Context, Waker.
//
// A future is an object with one method, `poll(cx)`. It answers `Poll.ready(value)` or
// `Poll.pending`; the Context `cx` carries a Waker, the future's way to say "poll me again".
// Here we are the executor: we build a Waker that only logs, and poll two futures by hand.
//
// Countdown(3) answers Pending three times, waking itself before each; Doorbell stays
// Pending until someone rings it, and its ring() calls the waker it kept. Last, the same two
// futures run on wakeful, which polls them exactly this way; the run is written as a page
// (build/tutorial/01-future-by-hand.html) and we print the machine at the move where the
// ringer's ring() puts main back in the run queue.
//
// Notice: nothing happens between polls unless someone polls again. A Pending future must
// have arranged for `wake()` to be called — that is the whole contract.

import { Poll, Runtime, from, spawn } from "../../lib/index";
import type { Context, Waker } from "../../lib/index";
import { Countdown, Doorbell } from "./support/futures";
import { look, moveWhere } from "./support/page";

/** A waker that only records that it was called: we are the executor, so we decide what to do. */
function loggingWaker(name: string): Waker & { woken: number } {
  const w = {
    woken: 0,
    wake() {
      w.woken++;
      console.log(`    ${name}.wake() called`);
    },
    wakeByRef() {
      w.wake();
    },
    clone() {
      return w;
    },
    willWake(other: Waker) {
      return other === w;
    },
  };
  return w;
}

console.log("1. Countdown(3), polled by hand until it is Ready:");
const waker = loggingWaker("waker");
const cx: Context = { waker };
const countdown = new Countdown("countdown", 3);
for (let i = 1; ; i++) {
  const p: Poll<string> = countdown.poll(cx);
  console.log(`  poll ${i} → ${p.ready ? `Ready(${JSON.stringify(p.value)})` : "Pending"}`);
  if (p.ready) break;
}

console.log("\n2. Doorbell: Pending until rung; ring() wakes the waker it kept:");
const bell = new Doorbell("front door");
const bellWaker = loggingWaker("bellWaker");
console.log(`  poll → ${bell.poll({ waker: bellWaker }).ready ? "Ready" : "Pending"}`);
console.log(`  poll → ${bell.poll({ waker: bellWaker }).ready ? "Ready" : "Pending"}  (polling again changes nothing)`);
console.log("  someone rings:");
bell.ring();
const rung = bell.poll({ waker: bellWaker });
console.log(`  poll → ${rung.ready ? `Ready(${JSON.stringify(rung.value)})` : "Pending"}  (after ${bellWaker.woken} wake)`);

console.log("\n3. The same futures on wakeful (a task yields them; wakeful polls them with its own waker):");
const traced = new Runtime({ clock: "virtual", trace: true });
let result: string[] = [];
traced.spawn(function* () {
  const door = new Doorbell("back door");
  const ringer = spawn(function* () {
    door.ring(); // runs once main has parked on the door: its ring wakes main
  }, { name: "ringer" });
  const a = yield* from(door);
  const b = yield* from(new Countdown("countdown", 3));
  yield* ringer;
  result = [a, b];
}, { name: "main" });
traced.runSync();
console.log(`  ${JSON.stringify(result)}`);
console.log(`\n${look("01-future-by-hand", "01 · a future by hand: Doorbell and Countdown on wakeful", traced.trace, moveWhere(traced.trace, "woken by #2"))}`);
