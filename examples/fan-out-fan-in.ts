// fan-out / fan-in with a JoinSet: start many tasks, take their results as they finish.
//
// Part 1 fans 8 downloads out with at most 3 in flight: spawn 3, then each time one finishes
// (`joinNext()`, in finishing order) start the next. One download fails: `joinNext()` throws its
// error, and the set goes on with the rest. Part 2 asks 4 mirrors and keeps the first 2 answers;
// `using set` aborts the mirrors still running when the block ends (tokio drops its JoinSet),
// and their finally blocks run. Part 3 collects everything with `joinAll()`.
//
// Notice: each task is polled with its own waker, so joinNext() costs the same with 3 tasks in
// the set or 100,000. Everything runs on a virtual clock (runSync), so the times are exact.

import { JoinSet, now, runSync, sleep, yieldNow } from "../lib/index";

const log = (text: string) => console.log(`t=${String(now()).padStart(3)}  ${text}`);

// One shared generator function per kind of task (see 01-hello-sleep for why).
function* download(name: string, ms: number, size: number) {
  yield* sleep(ms);
  if (size < 0) throw new Error(`${name}: server said 500`);
  return { name, size };
}

function* mirror(name: string, ms: number) {
  let answered = false;
  try {
    yield* sleep(ms);
    answered = true;
    log(`mirror ${name} answers`);
    return name;
  } finally {
    if (!answered) log(`mirror ${name} was cancelled: its finally block runs`);
  }
}

function* named(name: string, ms: number) {
  yield* sleep(ms);
  return name;
}

function* boundedFanOut() {
  const jobs: [string, number, number][] = [
    ["a.txt", 40, 120],
    ["b.txt", 10, 80],
    ["c.txt", 30, 200],
    ["d.txt", 20, 50],
    ["e.txt", 15, -1], // fails
    ["f.txt", 5, 70],
    ["g.txt", 25, 10],
    ["h.txt", 10, 90],
  ];
  const set = new JoinSet<{ name: string; size: number }>();
  const limit = 3;
  let next = 0;
  const startNext = () => {
    const [name, ms, size] = jobs[next++] as [string, number, number];
    log(`start ${name} (${set.size + 1} in flight)`);
    set.spawn(download(name, ms, size));
  };
  while (next < limit) startNext();
  let total = 0;
  while (set.size > 0) {
    try {
      const outcome = yield* set.joinNext(); // { id, value }, or undefined once the set is empty
      if (outcome === undefined) break;
      const r = outcome.value;
      total += r.size;
      log(`done  ${r.name}: ${r.size} bytes`);
    } catch (error) {
      log(`fail  ${(error as Error).message}`);
    }
    if (next < jobs.length) startNext();
  }
  log(`all downloads finished: ${total} bytes`);
}

function* firstTwoMirrors() {
  const answers: string[] = [];
  {
    using set = new JoinSet<string>();
    for (const [name, ms] of [["eu", 30], ["us", 12], ["asia", 50], ["local", 8]] as const) set.spawn(mirror(name, ms));
    while (answers.length < 2) answers.push((yield* set.joinNext())?.value as string);
    log(`got ${answers.join(" and ")}; leaving the block aborts the ${set.size} mirrors still running`);
  }
  yield* yieldNow(); // the aborted mirrors were scheduled by the abort: let them run their finally blocks
  log(`first two answers: ${answers.join(", ")}`);
}

function* collectAll() {
  const set = new JoinSet<string>();
  for (const [name, ms] of [["x", 9], ["y", 3], ["z", 6]] as const) set.spawn(named(name, ms));
  const all = yield* set.joinAll();
  log(`joinAll: ${all.join(", ")} (finishing order), set size now ${set.size}`);
}

runSync(function* () {
  console.log("── 1. bounded fan-out, fan-in in finishing order");
  yield* boundedFanOut();
  console.log("── 2. first two of four mirrors; the rest aborted by `using`");
  yield* firstTwoMirrors();
  console.log("── 3. joinAll");
  yield* collectAll();
});
