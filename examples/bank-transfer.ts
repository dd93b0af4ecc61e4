// bank-transfer · two Mutexes, a consistent lock order, and what the wrong order does.
//
// Each account is a Mutex around its balance. A transfer holds both accounts' locks across a
// simulated round trip to a ledger (a sleep), so the debit and the credit happen together.
//
// Part 1 locks the two accounts in one global order (by account id), whichever way the money
// goes: concurrent transfers in opposite directions take turns, and no money is created or lost.
//
// Part 2 locks "from" first, then "to". Two opposite transfers each take their first lock and
// then wait forever for the other's: a deadlock. On a virtual clock the runtime notices that
// nothing can wake them and throws a DeadlockError naming, for each parked task, the lock it
// waits on and the task holding it. The mutexes' `waiting` and `holders` lists (task ids) are
// enough to draw the wait-for cycle, printed last.

import { DeadlockError, Mutex, Runtime, now, runSync, sleep, spawn } from "../lib/index";
import type { JoinHandle } from "../lib/index";

interface Account {
  id: number;
  name: string;
  lock: Mutex<number>; // the balance
}

function open(id: number, name: string, balance: number): Account {
  return { id, name, lock: new Mutex(balance, { name }) };
}

/** Part 1: lock the lower id first, so two transfers can never each hold what the other needs. */
function* transfer(from: Account, to: Account, amount: number) {
  const [first, second] = from.id < to.id ? [from, to] : [to, from];
  using a = yield* first.lock.lock();
  using b = yield* second.lock.lock();
  const debit = first === from ? a : b;
  const credit = first === from ? b : a;
  yield* sleep(10); // write to the ledger while holding both
  debit.value -= amount;
  credit.value += amount;
  console.log(`t=${now()}\t${from.name} → ${to.name}: ${amount}`);
}

/** Part 2: lock in argument order — the bug. */
function* careless(from: Account, to: Account, amount: number) {
  using debit = yield* from.lock.lock();
  yield* sleep(1); // enough for the opposite transfer to take its first lock
  using credit = yield* to.lock.lock();
  debit.value -= amount;
  credit.value += amount;
}

/** The balance, read under the lock (every transfer has finished, so it is free). */
function balance(a: Account): number {
  using g = a.lock.tryLock();
  if (g === undefined) throw new Error(`${a.name} is still locked`);
  return g.value;
}

console.log("Part 1: a consistent lock order");
const alice = open(1, "alice", 100);
const bob = open(2, "bob", 50);
runSync(function* () {
  const hs: JoinHandle<void>[] = [
    spawn(transfer(alice, bob, 30), { name: "alice→bob" }),
    spawn(transfer(bob, alice, 20), { name: "bob→alice" }),
    spawn(transfer(alice, bob, 5), { name: "alice→bob" }),
    spawn(transfer(bob, alice, 45), { name: "bob→alice" }),
  ];
  for (const h of hs) yield* h;
});
console.log(`balances: alice ${balance(alice)}, bob ${balance(bob)}; total ${balance(alice) + balance(bob)} (was 150)`);

console.log("\nPart 2: each transfer locks its own account first");
const carol = open(3, "carol", 100);
const dave = open(4, "dave", 100);
const rt = new Runtime({ clock: "virtual" });
rt.spawn(careless(carol, dave, 10), { name: "carol→dave" });
rt.spawn(careless(dave, carol, 10), { name: "dave→carol" });
try {
  rt.runSync();
} catch (error) {
  if (!(error instanceof DeadlockError)) throw error;
  console.log(error.message);
  console.log(`wait-for cycle: ${waitForCycle([carol.lock, dave.lock])}`);
}

/** Follow task → lock it waits on → task holding it, from the mutexes' `waiting` and `holders`. */
function waitForCycle(locks: Mutex<number>[]): string {
  const waitsOn = new Map<number, Mutex<number>>();
  for (const m of locks) for (const t of m.waiting) waitsOn.set(t, m);
  const start = Math.min(...waitsOn.keys());
  const path: string[] = [];
  for (let t: number | undefined = start, seen = 0; t !== undefined && seen <= locks.length; seen++) {
    const m = waitsOn.get(t);
    if (m === undefined) break;
    path.push(`task #${t}`, m.label);
    t = m.holders[0];
    if (t === start) return [...path, `task #${t}`].join(" → ");
  }
  return "none";
}
