// testing · lost update: a race that every plain run hides, found, shrunk and replayed.
//
// Two tasks deposit into one balance: each reads it, awaits something (an audit record), then
// writes back what it read plus its amount. The second depositor validates first, so in the
// runtime's normal FIFO order the two never overlap and the balance is always right: the test
// passes, and the code is still racy.
//
// explore() runs the same test under a thousand schedules (PCT: random task priorities with a
// few priority changes), each on a fresh virtual-clock runtime. It finds a failing schedule,
// checks that replaying it fails again, and shrinks it toward FIFO: here to one deviation, at
// the first decision point. The report holds the error, the replay token, the shrunk schedule
// with the deviation spelled out, and a timeline of the failing run.
//
// Then the token replays the failure (`replay(token)` on any runtime, or `check(test, { replay })`),
// and the fixed program passes every schedule there is (an exhaustive dfs).

import { Runtime, yieldNow } from "../lib/index";
import { check, CounterexampleError, explore, replay } from "../lib/testing/index";

function depositTest(fixed: boolean) {
  return (rt: Runtime) => {
    let balance = 0; // state lives inside the test: every schedule starts fresh
    function* deposit(amount: number, validate: boolean) {
      if (validate) yield* yieldNow(); // check the amount
      if (fixed) {
        yield* yieldNow(); // the audit record first...
        balance += amount; // ...then read and write in one step
      } else {
        const b = balance;
        yield* yieldNow(); // write an audit record: other tasks may run here
        balance = b + amount;
      }
    }
    rt.spawn(deposit(10, false), { name: "deposit 10" });
    rt.spawn(deposit(20, true), { name: "deposit 20" });
    return () => {
      if (balance !== 30) throw new Error(`balance is ${balance}, expected 30`);
    };
  };
}

console.log("1. the plain FIFO run passes:", explore(depositTest(false), { replay: "w1:" }).ok);

const result = explore(depositTest(false), { strategy: "pct", runs: 1000, seed: 1 });
console.log(`2. explore: ok=${result.ok} after ${result.schedules} schedules; found ${result.failure?.found.token}, shrunk to ${result.failure?.token}\n`);
console.log(result.failure?.report);

// 3. The token replays the same run on any runtime: here by hand, with a bare scheduler.
const token = result.failure!.token;
const rt = new Runtime({ clock: "virtual", scheduler: replay(token) });
const finalCheck = depositTest(false)(rt);
rt.runSync();
try {
  finalCheck();
} catch (e) {
  console.log(`\n3. replay(${JSON.stringify(token)}) on a fresh runtime: ${(e as Error).message}`);
}

// 4. check() is the one-liner for specs: it throws a CounterexampleError with the report.
try {
  check(depositTest(false), { replay: token });
} catch (e) {
  console.log(`4. check(test, { replay }) throws ${(e as CounterexampleError).name}, token ${(e as CounterexampleError).failure.token}`);
}

// 5. The fix passes every schedule.
const fixed = explore(depositTest(true), { strategy: "dfs" });
console.log(`5. fixed: ok=${fixed.ok}, exhausted=${fixed.exhausted} after all ${fixed.schedules} schedules`);
