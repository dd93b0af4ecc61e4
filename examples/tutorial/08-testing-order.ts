// tutorial 08 · testing scheduling order: find the interleaving that breaks a program.
//
// Two tasks withdraw 80 from a balance of 100. "quick" checks the balance, yields (think: an
// `await` on a database), then subtracts. "slow" first does two steps of other work, then
// checks and subtracts without yielding. Under FIFO — the order wakeful uses by default — quick
// finishes before slow checks, so the balance never goes negative, and a test run once passes.
//
// wakeful/testing runs the same test under many schedules (which ready task runs at each
// moment two or more are ready), finds one where both tasks see 100, shrinks it to the fewest
// deviations from FIFO, and reports a token that replays exactly that run, with its timeline.
// Then we fix the bug (check again after the yield) and exhaust every schedule with dfs.
//
// Notice: the failing schedule is plain data — a list of choices — so it can be shrunk,
// printed, replayed and kept as a regression test. docs/TESTING.md has the whole workflow.

import { Runtime, yieldNow } from "../../lib/index";
import type { Operation } from "../../lib/index";
import { explore } from "../../lib/testing/index";

function withdrawTest(fixed: boolean) {
  return (rt: Runtime) => {
    let balance = 100;
    function* quick(): Operation<void> {
      if (balance >= 80) {
        yield* yieldNow(); // the check and the write are in different steps: the race
        if (!fixed || balance >= 80) balance -= 80;
      }
    }
    function* slow(): Operation<void> {
      yield* yieldNow();
      yield* yieldNow();
      if (balance >= 80) balance -= 80;
    }
    rt.spawn(quick(), { name: "quick" });
    rt.spawn(slow(), { name: "slow" });
    return () => {
      if (balance < 0) throw new Error(`balance went negative: ${balance}`);
    };
  };
}

console.log("1. Run once, FIFO:");
const once = explore(withdrawTest(false), { runs: 1 });
console.log(`  ${once.ok ? "passes" : "fails"} (${once.schedules} schedule tried)`);

console.log("\n2. Explore schedules:");
const found = explore(withdrawTest(false), { runs: 200 });
const failure = found.failure;
if (failure === undefined) throw new Error("expected the race to be found");
console.log(`  fails: ${(failure.error as Error).message}`);
console.log(`  shrunk schedule: { choices: ${JSON.stringify(failure.schedule.choices)} }  replay token: ${failure.token}`);
console.log("  the run, as a timeline:\n");
console.log(failure.timeline.replace(/^/gm, "    "));

console.log("\n3. Replay the token: the same failure, every time:");
const again = explore(withdrawTest(false), { replay: failure.token });
console.log(`  ${again.ok ? "passes (?)" : `fails again: ${(again.failure?.error as Error).message}`}`);

console.log("\n4. The fix (check again after the yield), every schedule explored:");
const all = explore(withdrawTest(true), { strategy: "dfs" });
console.log(`  ${all.ok ? "passes" : "fails"} under all ${all.schedules} schedules`);
