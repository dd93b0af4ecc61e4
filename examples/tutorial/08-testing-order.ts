// tutorial 08 · testing scheduling order: find the interleaving that loses an update.
//
// Two tasks each add 1 to a shared counter: read it, yield (think: an `await` on a database
// between the read and the write), write what they read plus one. Task B first does two steps
// of other work. Under FIFO — the order wakeful uses by default — A writes before B reads, the
// counter ends at 2, and a test that runs the program once passes.
//
// wakeful/testing runs the same test under many schedules (which ready task runs at each moment
// two or more are ready). `check` explores with a fixed seed, finds a schedule where both tasks
// read 0, shrinks it to the fewest deviations from FIFO, and throws a report holding the error,
// a token that replays exactly that run, and its timeline. We replay the token with `explore`,
// then fix the bug (read and write in one step) and exhaust every schedule with dfs.
//
// Last, the failing schedule replayed on a traced runtime and written as a page
// (build/tutorial/08-testing-order.html): at the move where the schedule leaves FIFO, the
// machine says which task the scheduler took, from which place in the queue, over whom.
//
// Notice: the failing schedule is plain data — a list of choices — so it can be shrunk,
// printed, replayed and kept as a regression test. docs/TESTING.md has the whole workflow.

import { Runtime, yieldNow } from "../../lib/index";
import type { Operation } from "../../lib/index";
import { CounterexampleError, check, explore, replay } from "../../lib/testing/index";
import { machineStates } from "../../lib/trace/index";
import { look } from "./support/page";

/** The schedule test: spawn the tasks (fresh state every run) and return the final check. */
function counterTest(fixed: boolean) {
  return (rt: Runtime) => {
    let counter = 0;
    function* increment(otherWork: number): Operation<void> {
      for (let i = 0; i < otherWork; i++) yield* yieldNow();
      if (fixed) {
        yield* yieldNow();
        counter += 1; // read and write in one step: nothing can run in between
        return;
      }
      const seen = counter; // read
      yield* yieldNow(); // another task may run here…
      counter = seen + 1; // …and this write overwrites what it did
    }
    rt.spawn(increment(0), { name: "A" });
    rt.spawn(increment(2), { name: "B" });
    return () => {
      if (counter !== 2) throw new Error(`lost update: counter is ${counter}, expected 2`);
    };
  };
}

console.log("1. Run once, FIFO:");
const once = explore(counterTest(false), { runs: 1 });
console.log(`  ${once.ok ? "passes" : "fails"} (${once.schedules} schedule tried)`);

console.log("\n2. check(test, { seed: 42, runs: 200 }) throws this report:\n");
let token = "";
try {
  check(counterTest(false), { seed: 42, runs: 200 });
  console.log("  passed (unexpected)");
} catch (error) {
  if (!(error instanceof CounterexampleError)) throw error;
  token = error.failure.token;
  console.log(error.message.replace(/^(?=.)/gm, "  "));
}

console.log(`\n3. Replay the token ${token}: the same run, every time:`);
for (let i = 1; i <= 3; i++) {
  const again = explore(counterTest(false), { replay: token });
  console.log(`  replay ${i}: ${again.ok ? "passes (?)" : (again.failure?.error as Error).message}`);
}

console.log("\n4. The fix (read and write in one step), every schedule explored with dfs:");
const all = explore(counterTest(true), { strategy: "dfs" });
const replayed = new Runtime({ clock: "virtual", trace: true, scheduler: replay(token) });
const verdict = counterTest(false)(replayed);
replayed.runSync();
try {
  verdict();
} catch {
  // the lost update, as expected: the page shows how it happened
}
const picked = machineStates(replayed.trace).findIndex((s) => s.step?.picked.startsWith("the scheduler's pick: position") === true) + 1;
console.log(`  ${all.ok ? "passes" : "fails"} under all ${all.schedules} schedules (exhausted: ${all.exhausted})`);
console.log(`\n${look("08-testing-order", `08 · the lost update, replayed from ${token}`, replayed.trace, picked)}`);
