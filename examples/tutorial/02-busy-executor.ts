// tutorial 02 · the smallest executor: a queue that re-polls everything.
//
// An executor's job: poll futures until they are Ready. The smallest one keeps a queue of
// tasks, takes the first, polls it, and puts it back at the end if it is still Pending. It
// never looks at wakers (it hands every future a waker that does nothing), because it polls
// everything again anyway.
//
// It works. But count the polls: three tasks that wait 3, 50 and 200 ms of (simulated) time
// cost hundreds of polls, and only three of them — the ones that returned Ready — were useful.
// On a real clock it is worse: the loop spins as fast as the CPU allows for the whole wait
// (the poll count of that run depends on the machine, so it is printed on stderr).
//
// Notice: `Delay` here never touches `cx.waker`. That is fine for this executor and a bug for
// any executor that polls only woken tasks (chapter 03, and chapter 05's lost wake-up).
//
// Last, the three delays on wakeful, written as a page (build/tutorial/02-busy-executor.html):
// after the last one parks, the run queue is empty and the three timers wait in the heap.

import { Poll, Runtime, noopContext, sleep } from "../../lib/index";
import { RingQueue } from "../../lib/primitives/index";
import { look, moveWhere } from "./support/page";
import type { Context, Future } from "../../lib/index";

/** Simulated time: the executor moves it forward by 1 ms per lap of its loop. */
const clock = { now: 0 };

/** Ready once the clock reaches its deadline. Does not arrange a wake-up: it relies on being re-polled. */
class Delay implements Future<void> {
  private readonly deadline: number;
  constructor(readonly ms: number) {
    this.deadline = clock.now + ms;
  }
  poll(_cx: Context): Poll<void> {
    return clock.now >= this.deadline ? Poll.ready(undefined) : Poll.pending;
  }
}

/** The whole executor. */
class BusyExecutor {
  private readonly queue = new RingQueue<Future<void>>();
  polls = 0;
  ready = 0;

  spawn(task: Future<void>): void {
    this.queue.push(task);
  }

  run(now: () => void): void {
    while (this.queue.length > 0) {
      // One lap: poll every task once, in order.
      for (let n = this.queue.length; n > 0; n--) {
        const task = this.queue.shift() as Future<void>;
        this.polls++;
        if (task.poll(noopContext).ready) this.ready++;
        else this.queue.push(task); // still Pending: poll it again next lap
      }
      if (this.queue.length > 0) now(); // time passes before the next lap
    }
  }
}

const ex = new BusyExecutor();
for (const ms of [3, 50, 200]) ex.spawn(new Delay(ms));
ex.run(() => clock.now++);
console.log(`simulated clock: three delays (3, 50, 200 ms) finished at t=${clock.now} ms`);
console.log(`polls: ${ex.polls}, useful (Ready): ${ex.ready}, wasted (Pending): ${ex.polls - ex.ready}`);
console.log(`one poll per task per lap: 3 + 50 + 200 + 3 = ${3 + 50 + 200 + 3}`);

// The same executor on the real clock: one task waiting 20 ms. How many laps the loop makes in
// 20 ms depends on the machine and on its load, so that number goes to stderr (run this file by
// hand to see it); stdout, which `npm test` compares, gets only what is true on every machine.
class RealDelay implements Future<void> {
  private readonly deadline = performance.now() + 20;
  poll(): Poll<void> {
    return performance.now() >= this.deadline ? Poll.ready(undefined) : Poll.pending;
  }
}
const spinner = new BusyExecutor();
spinner.spawn(new RealDelay());
spinner.run(() => {});
console.log(`\nreal clock: one 20 ms delay: ${spinner.ready} useful poll, and until then the loop polled without a pause: it never slept`);
console.error(`  (this run: ${spinner.polls} polls, ${spinner.polls - spinner.ready} of them wasted; the count depends on the machine)`);

// The same three delays on wakeful: once each has said Pending, its run queue is empty and
// stays empty until a timer fires. Nothing is polled while they wait.
const rt = new Runtime({ clock: "virtual", trace: true });
for (const ms of [3, 50, 200]) rt.spawn(function* () { yield* sleep(ms); }, { name: `delay ${ms}` });
rt.runSync();
console.log(`\n${look("02-busy-executor", "02 · three delays on wakeful: nothing is polled while they wait", rt.trace, moveWhere(rt.trace, "poll sleep(200) until t=200 → park"))}`);
