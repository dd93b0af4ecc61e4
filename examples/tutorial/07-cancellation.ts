// tutorial 07 · cancellation, `finally`, and why it must be sticky.
//
// To cancel a task suspended at a `yield`, the runtime must unwind its generator so that its
// `finally` blocks run (they release locks, close files). JavaScript offers two ways in:
// `gen.return()` and `gen.throw(error)`. With nested generators (`yield*`) and a `finally`
// that itself yields (asynchronous cleanup), they differ.
//
// Part 1 is the experiment of NOTES.md §1 on bare generators, no runtime: park at A, start
// cancelling, let the inner `finally` yield B, then resume. With `return()`, the outer
// generator carries on after `yield* inner()` as if nothing happened: "after" runs. With a
// thrown error, the unwinding resumes after the cleanup and "after" never runs.
//
// Part 2 is wakeful, which cancels by throwing a CancelledError at the suspension point:
// `finally` blocks may yield (here they sleep), code after an aborted `yield*` never runs, and a
// task that catches the CancelledError and returns normally still ends cancelled.
//
// Notice: a `catch` sees the CancelledError; rethrow it (or let it pass) unless you mean to
// swallow it — and even then wakeful records the task as cancelled. The run is written as a
// page (build/tutorial/07-cancellation.html): right after the two aborts, both tasks are back
// in the run queue ("aborted by #1"), and their sleeps' timers are still in the heap until each
// task's next step takes its own out.

import { CancelledError, Runtime, now, sleep, spawn } from "../../lib/index";
import { look, moveWhere } from "./support/page";
import type { Operation } from "../../lib/index";

console.log("1. Bare generators: return() versus throw()");
for (const how of ["return", "throw"] as const) {
  const log: string[] = [];
  function* inner(): Generator<string, void, unknown> {
    try {
      yield "A";
    } finally {
      yield "B"; // asynchronous cleanup: the runtime would poll B here
      log.push("inner cleaned");
    }
  }
  function* outer(): Generator<string, void, unknown> {
    try {
      yield* inner();
      log.push("after");
    } finally {
      log.push("outer finally");
    }
  }
  const g = outer();
  g.next(); // parked at A
  let r = how === "return" ? g.return(undefined) : g.throw(new Error("cancelled"));
  log.push(`suspended at ${r.value}`);
  let ending = "completed";
  try {
    while (r.done !== true) r = g.next(); // B is ready: resume after the cleanup
  } catch (error) {
    ending = `threw "${(error as Error).message}"`;
  }
  console.log(`  g.${how}(): ${log.join(", ")} → ${ending}`);
}

console.log("\n2. wakeful: abort() throws a CancelledError at the yield, and it sticks");
const log: string[] = [];
function* inner(): Operation<void> {
  try {
    yield* sleep(100);
  } finally {
    yield* sleep(5); // cleanup that takes time
    log.push(`inner cleaned at t=${now()} (its finally slept 5 ms)`);
  }
}
function* worker(): Operation<string> {
  try {
    yield* inner();
    log.push("after inner (never)");
    return "finished";
  } finally {
    log.push("outer finally");
  }
}
function* stubborn(): Operation<string> {
  try {
    yield* sleep(100);
  } catch (error) {
    log.push(`stubborn caught ${(error as Error).name} and returns normally`);
  }
  return "I refuse";
}
const rt = new Runtime({ clock: "virtual", trace: true });
let outcome: string[] = [];
rt.spawn(function* () {
  const w = spawn(worker(), { name: "worker" });
  const s = spawn(stubborn(), { name: "stubborn" });
  yield* sleep(10);
  w.abort(); // at t=10
  s.abort();
  const results: string[] = [];
  for (const [name, h] of [["worker", w], ["stubborn", s]] as const) {
    try {
      results.push(`${name} returned ${yield* h}`);
    } catch (error) {
      results.push(`${name}: ${error instanceof CancelledError ? "CancelledError" : String(error)}`);
    }
  }
  outcome = results;
}, { name: "main" });
rt.runSync();
for (const line of log) console.log(`  ${line}`);
for (const line of outcome) console.log(`  join → ${line}`);
console.log(`\n${look("07-cancellation", "07 · cancellation: two tasks aborted while they sleep", rt.trace, moveWhere(rt.trace, "aborted by #1") + 1)}`);
