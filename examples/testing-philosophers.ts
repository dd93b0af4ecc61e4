// testing · dining philosophers: a deadlock found by exploration, reported with the wait-for
// cycle, shrunk to the two deviations that cause it, and fixed.
//
// Three philosophers share three forks (Mutexes). Each thinks for a while (philosopher i
// yields i times), takes the fork on the left, reaches for the one on the right, eats, and puts
// both down. Thinking staggers them, so in FIFO order they never all hold a left fork at once:
// the plain run finishes. Under other schedules all three take their left fork and wait forever.
//
// explore() finds it with random schedules and reports a DeadlockError: every parked task,
// the lock it waits on and who holds it, and the wait-for cycle read from those holders. The
// shrinker proves two deviations are needed (no schedule with fewer deadlocks) and picks the
// least such schedule, the same whichever seed or strategy found it.
//
// The fix is the classic one: take the forks in one global order (lowest id first). An
// exhaustive dfs then covers every schedule and none deadlocks. Progress is printed as the
// dfs goes, through onProgress.

import { Mutex, yieldNow, type Runtime } from "../lib/index";
import { explore } from "../lib/testing/index";

function dinner(ordered: boolean) {
  return (rt: Runtime) => {
    const forks = [0, 1, 2].map((i) => new Mutex(i, { name: `fork ${i}` }));
    let meals = 0;
    function* philosopher(i: number) {
      for (let t = 0; t < i; t++) yield* yieldNow(); // think
      let [first, second] = [forks[i], forks[(i + 1) % 3]];
      if (ordered && first.id > second.id) [first, second] = [second, first];
      const left = yield* first.lock();
      yield* yieldNow(); // reach for the other fork
      const right = yield* second.lock();
      meals++;
      right.release();
      left.release();
    }
    for (let i = 0; i < 3; i++) rt.spawn(philosopher(i), { name: `philosopher ${i}` });
    return () => {
      if (meals !== 3) throw new Error(`${meals} meals, expected 3`);
    };
  };
}

const r = explore(dinner(false), { strategy: "random", seed: 7 });
console.log(`explore: ok=${r.ok} after ${r.schedules} schedules, kind=${r.failure?.kind}\n`);
console.log(r.failure?.report);

const fixed = explore(dinner(true), {
  strategy: "dfs",
  progressEvery: 250,
  onProgress: (p) => console.log(`  … dfs: ${p.schedules} schedules, ${p.failures} failures`),
});
console.log(`\nordered forks: ok=${fixed.ok}, exhausted=${fixed.exhausted}: every one of ${fixed.schedules} schedules finishes`);
