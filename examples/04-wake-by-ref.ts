// 04 · wake by ref: a future that wakes itself during its own poll.
//
// `Spin` returns Pending five times, and each time first calls `cx.waker.wakeByRef()`: "poll
// me again, but let the others go first". On its sixth poll it is Ready. Three such tasks are
// spawned from one group task, which then joins them.
//
// A wake during a task's own poll is never lost (rule 2): the task is marked NOTIFIED, and
// when its poll ends it goes to the back of the run queue instead of parking. So the three
// tasks take turns, A B C A B C …, one poll each, like a round-robin: cooperative fairness.
//
// Notice: 3 tasks × 6 polls = 18 polls of Spin, plus the group's own polls of its
// JoinHandles, and 15 wakes that each cost one queue push, never a Promise. No timer is
// involved, so the virtual clock stays at t=0 throughout.

import { Poll, Runtime, from, spawn } from "../lib/index";
import type { Context, Future } from "../lib/index";

const order: string[] = [];

class Spin implements Future<number> {
  polls = 0;
  constructor(
    private readonly label: string,
    private readonly pendings: number,
  ) {}

  poll(cx: Context): Poll<number> {
    this.polls++;
    order.push(`${this.label}${this.polls}`);
    if (this.polls > this.pendings) return Poll.ready(this.polls);
    cx.waker.wakeByRef(); // woken while running: rescheduled at the end of this poll
    return Poll.pending;
  }

  describe(): string {
    return `Spin ${this.label} (${this.polls} polls so far)`;
  }
}

// The shared-generator form: `spawn(spinner("A"))` calls one generator function per task.
function* spinner(label: string) {
  const polls = yield* from(new Spin(label, 5));
  return `${label}: Pending 5 times, Ready on poll ${polls}`;
}

function* group() {
  const handles = ["A", "B", "C"].map((label) => spawn(spinner(label), { name: label }));
  for (const h of handles) console.log(yield* h);
}

const rt = new Runtime({ clock: "virtual" });
rt.spawn(group(), { name: "group" });
rt.runSync();

console.log(`poll order: ${order.join(" ")}`);
const m = rt.metrics;
// The group polls A's handle once before A is done (Pending, so it parks), and is woken once,
// by A finishing. By the time it runs again B and C have finished too: three Ready polls.
console.log(`runtime polls: ${m.polls} = 18 Spin polls + ${m.polls - 18} join-handle polls by the group (A: Pending; then A, B, C: Ready)`);
console.log(`wakes: ${m.wakes} = 15 self-wakes + ${m.wakes - 15} wake of the group when A finished (B and C had no waiter yet)`);
console.log(`tasks: ${m.spawned} spawned, ${m.completed} completed; virtual time t=${rt.now()}`);
