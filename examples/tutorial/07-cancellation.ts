// tutorial 07 · cancellation, `finally`, and why a cancelled task cannot yield.
//
// To cancel a task suspended at a `yield`, the runtime must unwind its generator so that its
// `finally` blocks run (they release locks, close files). JavaScript offers two ways in:
// `gen.return()` and `gen.throw(error)`. With nested generators (`yield*`) and a `finally`
// that itself yields (asynchronous cleanup), they differ.
//
// Part 1, bare generators: park at A, start cancelling, let the inner `finally` yield B, then
// resume. With `return()` the outer generator carries on after `yield* inner()` ("after" runs);
// with a thrown error the unwinding resumes after the cleanup and "after" never runs.
//
// Part 2, a ten-line driver over bare generators: a throw alone is not enough either. A
// catch-all retry loop swallows it and goes round. Three ways to go on after the throw; only
// "return() at every later yield, ready or not" ends the loop.
//
// Part 3, wakeful: abort() throws a CancelledError once; after that any yield outside shield()
// ends the task. A `finally` that waits is cut short at its yield; `shield()` is how cleanup
// waits; a catch-all retry loop ends at its next yield; a task that swallows the error still
// ends cancelled.

import { CancelledError, Runtime, now, shield, sleep, spawn } from "../../lib/index";
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

console.log("\n2. A catch-all retry loop: throw once, then what?");
const rules = ["throw only", "return() where it would wait", "return() at every yield"] as const;
for (const rule of rules) {
  let after = 0;
  // `op` waits, and its cleanup yields a future that is ready at once ("ack").
  function* op(): Generator<"wait" | "ack", void, unknown> {
    try {
      yield "wait";
    } finally {
      yield "ack";
    }
  }
  function* retryForever(): Generator<"wait" | "ack", void, unknown> {
    for (;;) {
      try {
        yield* op();
        after++; // code after the yield*: must not run once cancelled
      } catch {
        // retry on any error
      }
    }
  }
  const g = retryForever();
  let r = g.next(); // step 1: waits
  r = g.throw(new Error("cancelled")); // step 2: the cancellation, thrown once
  let steps = 2;
  while (r.done !== true && steps < 200) {
    steps++;
    // Every "wait" here is over by the next step (a sleep that elapsed); "ack" is ready now.
    const end = rule === "return() at every yield" || (rule === "return() where it would wait" && r.value === "wait");
    r = end ? g.return(undefined) : g.next();
  }
  const state = r.done === true ? `ended after ${steps} steps` : `still running after ${steps} steps`;
  console.log(`  ${rule.padEnd(29)} ${state}; code after yield* ran ${after} times`);
}

console.log("\n3. wakeful: the CancelledError is thrown once; then a cancelled task cannot yield");
const log: string[] = [];
function* inner(): Operation<void> {
  try {
    yield* sleep(100);
  } finally {
    log.push(`inner finally starts at t=${now()}`);
    yield* sleep(5); // a cancelled task cannot wait: this yield ends the finally
    log.push("inner finally after its sleep (never)");
  }
}
function* worker(): Operation<string> {
  try {
    yield* inner();
    log.push("after inner (never)");
    return "finished";
  } finally {
    yield* shield(sleep(5)); // the way to wait in cleanup: a shield runs to its end
    log.push(`worker's shielded cleanup done at t=${now()}`);
  }
}
function* retrying(): Operation<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      yield* sleep(100); // the request
      return "answered";
    } catch (error) {
      log.push(`retrying caught ${(error as Error).name} on attempt ${attempt}; tries again`);
    }
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
  const tasks = [
    ["worker", spawn(worker(), { name: "worker" })],
    ["retrying", spawn(retrying(), { name: "retrying" })],
    ["stubborn", spawn(stubborn(), { name: "stubborn" })],
  ] as const;
  yield* sleep(10);
  for (const [, h] of tasks) h.abort(); // at t=10
  const results: string[] = [];
  for (const [name, h] of tasks) {
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
console.log(`\n${look("07-cancellation", "07 · cancellation: tasks aborted while they sleep", rt.trace, moveWhere(rt.trace, "aborted by #1") + 2)}`); // after the third abort
