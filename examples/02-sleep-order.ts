// 02 · sleep order: two tasks, spawned slow-first, finish fast-first.
//
// The main task spawns "slow" (sleeps 50 ms) and then "fast" (sleeps 20 ms), and joins both.
// Spawning only queues a task (rule 6); they start in spawn order at t=0, each arms a timer
// and parks. With nothing ready, the virtual clock jumps to the earliest deadline (t=20) and
// wakes "fast", then to t=50 and wakes "slow". So tasks finish in order of their deadlines,
// not of their spawning, and the total time is the longest sleep (50), not the sum (70).
//
// Notice: `yield* slowHandle` returns "slow"'s value even though "fast" finished first; a
// JoinHandle is a future of one task's outcome, and joining a finished task is ready at once.

import { Runtime, now, sleep, spawn } from "../lib/index";

// The shared-generator form: one `function*`, called once per task with its arguments.
function* sleeper(name: string, ms: number) {
  console.log(`t=${now()}  ${name} starts, sleeps ${ms} ms`);
  yield* sleep(ms);
  console.log(`t=${now()}  ${name} wakes up and finishes`);
  return `${name} slept ${ms} ms`;
}

function* main() {
  const slow = spawn(sleeper("slow", 50), { name: "slow" });
  const fast = spawn(sleeper("fast", 20), { name: "fast" });
  console.log(`t=${now()}  main spawned slow (#${slow.id}) then fast (#${fast.id}); neither has run yet`);
  const a = yield* slow; // main parks until "slow" is done; "fast" finishes meanwhile
  console.log(`t=${now()}  main joined slow: ${a}`);
  const b = yield* fast; // already finished: ready at the first poll
  console.log(`t=${now()}  main joined fast: ${b}`);
}

const rt = new Runtime({ clock: "virtual" });
rt.spawn(main(), { name: "main" });
rt.runSync();
console.log(`total: t=${rt.now()} (the longest sleep, not 50 + 20), timers fired: ${rt.metrics.timersFired}`);
