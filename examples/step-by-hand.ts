// step by hand: drive a runtime yourself, one task step at a time, with `rt.step()`.
//
// `run()` and `runSync()` loop until every task is done. `rt.step()` does one turn of that loop
// and tells you what happened: it fires due timers (on a virtual clock it first jumps to the
// next timer when nothing is ready), takes one ready task, polls it until it parks, is
// requeued or finishes, and returns that outcome as a trace event. When nothing can run without
// waiting it returns `undefined`, so you can step until then and look at the runtime between
// steps (`rt.now()`, `rt.metrics`).
//
// Three tasks: "counter" yields three times (each yieldNow() puts it behind the other ready
// tasks), "sleeper" waits 5 ms of virtual time, and "door" waits on a hand-written Doorbell
// future until we ring it from outside the runtime, between two steps.
//
// Notice: a step runs a task until it *parks*, so one step may hold several polls (a Ready
// resumes the generator at once); and the wake we cause from outside appears in the trace as
// "woken from outside", the mark of a wake the runtime did not cause itself.

import { Op, Poll, Runtime, sleep, yieldNow } from "../lib/index";
import type { Context, Operation, TraceEvent, Waker } from "../lib/index";
import { timeline } from "../lib/trace/index";

/** A future that is Pending until someone calls ring(); it keeps the waker so ring() can wake the task. */
class Doorbell extends Op<string> {
  private rung = false;
  private waker: Waker | undefined = undefined;
  poll(cx: Context): Poll<string> {
    if (this.rung) return Poll.ready("ding");
    this.waker = cx.waker; // Pending means a wake is arranged: ring() will use this waker
    return Poll.pending;
  }
  ring(): void {
    this.rung = true;
    this.waker?.wake();
  }
  describe(): string {
    return "the doorbell";
  }
}

function* counter(): Operation<void> {
  for (let i = 1; i <= 3; i++) {
    console.log(`    counter: ${i}`);
    yield* yieldNow();
  }
}

function* sleeper(): Operation<void> {
  yield* sleep(5);
  console.log("    sleeper: awake");
}

function* door(bell: Doorbell): Operation<void> {
  const sound = yield* bell;
  console.log(`    door: ${sound}`);
}

const rt = new Runtime({ clock: "virtual", trace: true });
const bell = new Doorbell();
rt.spawn(counter(), { name: "counter" });
rt.spawn(sleeper(), { name: "sleeper" });
rt.spawn(door(bell), { name: "door" });

function describe(e: TraceEvent): string {
  return `#${e.task}${e.name === undefined ? "" : ` ${e.name}`} ${e.kind}${e.detail === undefined ? "" : `: ${e.detail}`}`;
}

let n = 0;
function stepUntilIdle(): void {
  for (let e = rt.step(); e !== undefined; e = rt.step()) {
    const m = rt.metrics;
    console.log(`step ${++n} · t=${rt.now()} · ${describe(e)} · now ready ${m.ready}, parked ${m.parked}`);
  }
}

console.log("Stepping until nothing can run:");
stepUntilIdle();
console.log(`step() returned undefined: ${rt.metrics.live} task left, parked on the doorbell.`);

console.log("\nWe ring the doorbell from outside the runtime, then step again:");
bell.ring();
console.log(`after ring(): ready ${rt.metrics.ready}, parked ${rt.metrics.parked}`);
stepUntilIdle();
console.log(`step() returned undefined: ${rt.metrics.live} tasks left, ${rt.metrics.polls} polls in all.`);

console.log("\nThe same run as a timeline (wakeful/trace):\n");
console.log(timeline(rt.trace));
