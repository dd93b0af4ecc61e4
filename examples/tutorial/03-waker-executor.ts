// tutorial 03 · wakers that re-queue: poll only what was woken.
//
// Chapter 02's executor polled every task on every lap. This one keeps two places for a task:
// the ready queue, and a map of parked tasks keyed by their waker. A task whose poll says
// Pending is parked; its waker's `wake()` moves it back to the ready queue. When nothing is
// ready, the executor jumps its clock to the earliest timer and fires it (virtual time).
//
// The delays now register a timer with their waker, so each one costs exactly two polls
// (Pending, then Ready) instead of one per millisecond.
//
// First run: Countdown wakes itself *during* its own poll, when its task is neither parked nor
// queued — the executor drops that wake, parks the task, and it is never polled again. The
// fix is one flag: a wake that arrives while the task runs is remembered, and the task goes
// straight back to the queue instead of parking (wakeful's task.ts calls this state NOTIFIED).
//
// Notice: a waker is per task, and waking a task that is already queued does nothing, so a
// task is never in the queue twice however often it is woken.
//
// Last, the same four tasks run on wakeful with tracing on, and the program writes the run as a
// page (build/tutorial/03-waker-executor.html) and prints the machine after three moves: every
// delay parked with its timer in the heap; the countdown back in the queue after waking itself
// during its poll; a timer leaving the heap and its task joining the queue.

import { Poll, Runtime, sleep } from "../../lib/index";
import { RingQueue } from "../../lib/primitives/index";
import type { Context, Future, Waker } from "../../lib/index";
import { Countdown } from "./support/futures";
import { after, moveWhere, writePage } from "./support/page";

interface Task {
  readonly name: string;
  readonly future: Future<unknown>;
  readonly waker: Waker;
  running: boolean;
  /** Woken while running: poll it again instead of parking it. */
  notified: boolean;
}

class WakerExecutor {
  readonly ready = new RingQueue<Task>();
  readonly parked = new Map<Waker, Task>();
  readonly timers: { deadline: number; waker: Waker }[] = [];
  now = 0;
  polls = 0;

  constructor(private readonly rememberWakeDuringPoll: boolean) {}

  spawn(name: string, future: Future<unknown>): void {
    const waker: Waker = {
      wake: () => this.wake(task),
      wakeByRef: () => this.wake(task),
      clone: () => waker,
      willWake: (other) => other === waker,
    };
    const task: Task = { name, future, waker, running: false, notified: false };
    this.ready.push(task);
  }

  private wake(task: Task): void {
    if (this.parked.delete(task.waker)) this.ready.push(task); // parked → ready, exactly once
    else if (task.running && this.rememberWakeDuringPoll) task.notified = true;
    // otherwise: already queued (nothing to do) — or running, and this wake is lost
  }

  run(): void {
    for (;;) {
      while (this.ready.length > 0) {
        const task = this.ready.shift() as Task;
        task.running = true;
        task.notified = false;
        this.polls++;
        const p = task.future.poll({ waker: task.waker });
        task.running = false;
        if (p.ready) console.log(`  t=${this.now}  ${task.name} → Ready(${JSON.stringify(p.value)})`);
        else if (task.notified) this.ready.push(task);
        else this.parked.set(task.waker, task);
      }
      if (this.parked.size === 0) return;
      // Nothing is ready: jump to the earliest timer and fire every timer due then.
      if (this.timers.length === 0) {
        const names = [...this.parked.values()].map((t) => t.name).join(", ");
        console.log(`  stuck at t=${this.now}: ${this.parked.size} task parked (${names}) and no timer can wake it`);
        return;
      }
      this.timers.sort((a, b) => a.deadline - b.deadline);
      this.now = (this.timers[0] as { deadline: number }).deadline;
      while (this.timers.length > 0 && (this.timers[0] as { deadline: number }).deadline <= this.now) {
        (this.timers.shift() as { waker: Waker }).waker.wake();
      }
    }
  }
}

/** Ready at its deadline; until then it hands its waker to the executor's timer list. */
class Delay implements Future<string> {
  private deadline: number | undefined = undefined;
  constructor(
    private readonly ex: WakerExecutor,
    private readonly ms: number,
  ) {}
  poll(cx: Context): Poll<string> {
    this.deadline ??= this.ex.now + this.ms;
    if (this.ex.now >= this.deadline) return Poll.ready(`slept ${this.ms}`);
    this.ex.timers.push({ deadline: this.deadline, waker: cx.waker }); // the wake-up is arranged
    return Poll.pending;
  }
}

for (const remember of [false, true]) {
  console.log(remember ? "\nWith the fix (a wake during the poll is remembered):" : "Without the fix (a wake during the poll is dropped):");
  const ex = new WakerExecutor(remember);
  for (const ms of [3, 50, 200]) ex.spawn(`delay ${ms}`, new Delay(ex, ms));
  ex.spawn("countdown", new Countdown("countdown", 3));
  ex.run();
  console.log(`  polls: ${ex.polls} (chapter 02 needed 256 for the three delays alone)`);
}

// The same four tasks on wakeful, traced: its driver keeps the same three things — a run queue,
// parked tasks, a timer heap — and the page (and the text below) shows them after every move.
const rt = new Runtime({ clock: "virtual", trace: true });
for (const ms of [3, 50, 200]) rt.spawn(function* () { yield* sleep(ms); }, { name: `delay ${ms}` });
rt.spawn(function* () { return yield new Countdown("countdown", 3); }, { name: "countdown" });
rt.runSync();
const events = rt.trace;
console.log(`\nOn wakeful: ${writePage("03-waker-executor", events, "03 · wakers that re-queue: three delays and a countdown")}`);
const allParked = moveWhere(events, "poll sleep(200) until t=200 → park");
const requeued = moveWhere(events, "→ requeued");
const fired = moveWhere(events, "timer fires");
console.log(`${after(events, allParked)}\n${after(events, requeued)}\n${after(events, fired)}`);
