// tutorial 03 · several waiters: a future that keeps one waker per waiter, keyed by `willWake`.
//
// Chapter 01's Doorbell keeps the waker of its *last* poll. That is enough while one task waits.
// But any task may poll a future it can reach, and a second task polling the same Doorbell
// overwrites the first one's waker: the ring wakes only the second, and the first is stranded,
// parked forever. Keeping every waker of every poll is no better: a task polls many times before
// the future is ready, so the list grows with each poll and the task is woken once per entry.
//
// The rule wakeful's own futures follow: every waiter is registered once, keyed by its waker. A
// poll whose waker `willWake` an earlier registration (the same task polling again, perhaps with
// another Waker object that wakes the same task) *replaces* that registration, so the newest
// waker is the one used; a poll with a waker that matches none is a new waiter. `drop(cx)` says
// that the waiter that polled with `cx` is gone (its task was cancelled): remove exactly its
// registration. `ring()` wakes every registration once.
//
// Part 1 is by hand, with wakers that print; part 2 runs both bells on wakeful.
//
// Notice: `willWake` is a question about tasks, not objects. Two Waker objects may wake the
// same task (a clone, the waker of a later poll); comparing them with `===` would register the
// same task twice.

import { Poll, from, runSync, spawn } from "../../lib/index";
import type { Context, DeadlockError, Future, Waker } from "../../lib/index";
import { Doorbell } from "./support/futures";

const log = (line: string) => console.log(line);

/** A bell any number of tasks may wait on: one registration per waiter, keyed by its waker. */
class Bell implements Future<string> {
  private rung = false;
  private readonly waiters: Waker[] = [];
  constructor(readonly label: string) {}

  poll(cx: Context): Poll<string> {
    if (this.rung) return Poll.ready(`${this.label}: ding`);
    const i = this.waiters.findIndex((w) => w.willWake(cx.waker));
    if (i === -1) this.waiters.push(cx.waker.clone()); // a new waiter
    else this.waiters[i] = cx.waker.clone(); // the same waiter again: keep its newest waker
    return Poll.pending;
  }

  /** The waiter that polled with `cx` is gone: remove its registration, and only its. */
  drop(cx: Context): void {
    const i = cx === undefined ? -1 : this.waiters.findIndex((w) => w.willWake(cx.waker));
    if (i !== -1) this.waiters.splice(i, 1);
  }

  ring(): void {
    this.rung = true;
    for (const w of this.waiters.splice(0)) w.wake();
  }

  get registered(): number {
    return this.waiters.length;
  }

  describe(): string {
    return `Bell(${this.label})`;
  }
}

/** A printing waker for task `task`; each call makes a new object that wakes the same task. */
function wakerOf(task: string): Waker {
  const waker: Waker & { task: string } = {
    task,
    wake: () => log(`    task ${task} woken`),
    wakeByRef: () => waker.wake(),
    clone: () => wakerOf(task),
    willWake: (other) => (other as Partial<{ task: string }>).task === task,
  };
  return waker;
}

log("1. By hand: tasks A and B poll one future");
log("  Doorbell (keeps the last waker only): A polls, B polls, ring:");
const door = new Doorbell("door");
door.poll({ waker: wakerOf("A") });
door.poll({ waker: wakerOf("B") });
door.ring();
log("    (A is never woken: stranded)");

log("  Bell (one registration per waiter):");
const bell = new Bell("bell");
bell.poll({ waker: wakerOf("A") });
log(`    A polls: ${bell.registered} registered`);
bell.poll({ waker: wakerOf("A") });
log(`    A polls again, with another Waker object that wakes A: ${bell.registered} registered (replaced)`);
bell.poll({ waker: wakerOf("B") });
log(`    B polls: ${bell.registered} registered`);
bell.poll({ waker: wakerOf("C") });
log(`    C polls: ${bell.registered} registered`);
bell.drop({ waker: wakerOf("C") });
log(`    C is cancelled, drop(cx) with C's context: ${bell.registered} registered`);
log("    ring:");
bell.ring();

log("\n2. On wakeful: two tasks wait on one future, a third rings it");
function waitOn(future: Future<string>) {
  return function* () {
    return yield* from(future);
  };
}
const shared = new Bell("shared bell");
const both = runSync(function* () {
  const a = spawn(waitOn(shared), { name: "a" });
  const b = spawn(waitOn(shared), { name: "b" });
  spawn(
    function* () {
      shared.ring();
    },
    { name: "ringer" },
  );
  return [yield* a, yield* b];
});
log(`  Bell: ${JSON.stringify(both)}`);

const lastOnly = new Doorbell("last-waker door");
try {
  runSync(function* () {
    const a = spawn(waitOn(lastOnly), { name: "a" });
    const b = spawn(waitOn(lastOnly), { name: "b" });
    spawn(
      function* () {
        lastOnly.ring();
      },
      { name: "ringer" },
    );
    return [yield* a, yield* b];
  });
  log("  Doorbell: no deadlock?");
} catch (error) {
  const names = (error as DeadlockError).tasks.map((t) => t.name);
  log(`  Doorbell: ${(error as Error).name}, still parked: ${names.join(", ")} (a's waker was overwritten by b's)`);
}
