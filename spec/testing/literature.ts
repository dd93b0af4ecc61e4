// Concurrency bugs from the literature, ported to wakeful tasks in this project's own code:
// programs of SCTBench's CS set (Thomson, Donaldson, Betts: "Concurrency testing using
// controlled schedulers", PPoPP 2014 / TOPC 2016), the PCT paper's long-loop example (Burckhardt,
// Kothari, Musuvathi, Nagarakatte, ASPLOS 2010), the ABA bug of a lock-free (Treiber) stack, and
// three Node.js bug shapes of the kind NodeRacer's study reports (Endo, Møller, Ponzetto,
// ICSE 2020: a check-then-act across awaits, an event emitted before its listener is added, a
// lost update through a callback). Threads become tasks, atomic steps become the code between
// two yields, and every program labels its steps with what they touch (`step(label, …)`) so
// dfs can reduce. Each passes under FIFO, and each has a fixed version.

import { Mutex, channel, step, type Runtime } from "../../lib/index";
import type { ScheduleTest } from "../../lib/testing/index";

export interface Program {
  readonly name: string;
  /** Where it comes from. */
  readonly source: string;
  readonly buggy: ScheduleTest;
  readonly fixed: ScheduleTest;
  /** What the failure says. */
  readonly error: RegExp;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/**
 * The PCT paper's long loop: t1 runs `n` steps, then initialises; t2 assumes it runs before t1
 * has finished. A depth-1 bug: PCT finds it in half its runs (t1 gets the higher priority), a
 * random walk needs t1 chosen n times in a row (2^-n), and FIFO needs n deviations.
 */
export function longLoop(n: number, fixed = false): ScheduleTest {
  return (rt: Runtime) => {
    let initialised = false;
    let t2saw: boolean | undefined;
    rt.spawn(function* t1() {
      for (let i = 0; i < n; i++) yield* step("work", `t1 local`);
      yield* step("initialise", "initialised");
      initialised = true;
    }, { name: "t1" });
    rt.spawn(function* t2() {
      yield* step("read initialised", "initialised");
      t2saw = initialised;
      if (t2saw && !fixed) throw new Error("t2 ran after t1 had finished its loop");
    }, { name: "t2" });
    // The fix: t2 handles both orders (it no longer assumes it runs first).
    return () => check(initialised && t2saw !== undefined, "both finish");
  };
}

/** SCTBench CS/account: the checker reads the done flags, set after the lock is released. */
function account(fixed: boolean): ScheduleTest {
  return (rt) => {
    const x = 1, y = 2, z = 4;
    const m = new Mutex(undefined, { name: "m" });
    let balance = x;
    let depositDone = false, withdrawDone = false;
    rt.spawn(function* checkResult() {
      yield* step("check", "balance", "flags");
      const g = yield* m.lock();
      const expected = x + (depositDone ? y : 0) - (withdrawDone ? z : 0);
      g.release();
      check(balance === expected, `account: balance ${balance}, expected ${expected}`);
    }, { name: "check" });
    rt.spawn(function* deposit() {
      yield* step("deposit", "balance", "flags");
      const g = yield* m.lock();
      balance += y;
      if (fixed) depositDone = true; // the flag goes with the balance, under the lock
      g.release();
      yield* step("publish deposit", "flags");
      depositDone = true;
    }, { name: "deposit" });
    rt.spawn(function* withdraw() {
      yield* step("withdraw", "balance", "flags");
      const g = yield* m.lock();
      balance -= z;
      if (fixed) withdrawDone = true;
      g.release();
      yield* step("publish withdraw", "flags");
      withdrawDone = true;
    }, { name: "withdraw" });
  };
}

/** SCTBench CS/bluetooth_driver: the adder checks stoppingFlag and increments pendingIo in two steps. */
function bluetooth(fixed: boolean): ScheduleTest {
  return (rt) => {
    const dev = { pendingIo: 1, stoppingFlag: false, stopped: false };
    const [stoppingEvent, stoppingEventRx] = channel<true>(1, { name: "stoppingEvent" });
    function* ioIncrement() {
      yield* step("check stoppingFlag", dev);
      if (dev.stoppingFlag) return -1;
      if (!fixed) yield* step("increment pendingIo", dev); // the fix: check and increment in one step
      dev.pendingIo++;
      return 0;
    }
    function* ioDecrement() {
      yield* step("decrement pendingIo", dev);
      if (--dev.pendingIo === 0) stoppingEvent.trySend(true);
    }
    rt.spawn(function* adder() {
      yield* step("start", dev);
      if ((yield* ioIncrement()) === 0) {
        yield* step("perform I/O", dev);
        check(!dev.stopped, "bluetooth: I/O on a stopped driver");
        yield* ioDecrement();
      }
    }, { name: "adder" });
    rt.spawn(function* stopper() {
      yield* step("set stoppingFlag", dev);
      dev.stoppingFlag = true;
      yield* ioDecrement();
      yield* stoppingEventRx.recv();
      yield* step("stopped", dev);
      dev.stopped = true;
    }, { name: "stopper" });
  };
}

/** SCTBench CS/circular_buffer: the producer publishes the count before it writes the slot. */
function circularBuffer(fixed: boolean): ScheduleTest {
  return (rt) => {
    const size = 3;
    const buffer: (number | undefined)[] = new Array(size).fill(undefined);
    const ring = { first: 0, next: 0, count: 0 };
    const received: number[] = [];
    rt.spawn(function* producer() {
      for (let v = 1; v <= 3; v++) {
        yield* step("reserve", ring);
        const at = ring.next;
        ring.next = (ring.next + 1) % size;
        if (!fixed) ring.count++; // published before the value is there
        yield* step("write slot", ring);
        buffer[at] = v;
        if (fixed) ring.count++;
      }
    }, { name: "producer" });
    rt.spawn(function* consumer() {
      yield* step("connect", "consumer local");
      for (let attempt = 0; attempt < 4 && received.length < 3; attempt++) {
        yield* step("poll", ring);
        if (ring.count === 0) continue; // nothing yet: try again later (a bounded number of times)
        const v = buffer[ring.first];
        check(v !== undefined, `circular_buffer: read slot ${ring.first} before it was written`);
        buffer[ring.first] = undefined;
        ring.first = (ring.first + 1) % size;
        ring.count--;
        received.push(v as number);
        yield* step("process value", "consumer local");
      }
    }, { name: "consumer" });
    return () => check("1,2,3".startsWith(received.join()), `circular_buffer: received ${received.join()}`);
  };
}

/** SCTBench CS/lazy01: the third thread asserts data < 3, which holds only if it runs before both adders. */
function lazy(fixed: boolean): ScheduleTest {
  return (rt) => {
    const m = new Mutex(undefined, { name: "m" });
    let data = 0;
    let checked = false;
    rt.spawn(function* t3() {
      yield* step("check", "data");
      const g = yield* m.lock();
      if (fixed || !checked) check(fixed ? data <= 3 : data < 3, `lazy01: data reached ${data}`);
      checked = true;
      g.release();
    }, { name: "t3" });
    for (const add of [1, 2]) {
      rt.spawn(function* adder() {
        yield* step("setup", `adder ${add} local`);
        yield* step(`add ${add}`, "data");
        const g = yield* m.lock();
        data += add;
        g.release();
      }, { name: `t${add}` });
    }
  };
}

/** SCTBench CS/reorder_N: setters write a then b; the checker may see one write without the other. */
export function reorder(setters: number, fixed: boolean): ScheduleTest {
  return (rt) => {
    const m = new Mutex(undefined, { name: "m" });
    const v = { a: 0, b: 0 };
    for (let i = 0; i < setters; i++) {
      rt.spawn(function* setter() {
        yield* step("start", `setter ${i}`); // its own state only: commutes with every other task's steps
        if (fixed) {
          yield* step("set a and b", "a", "b");
          const g = yield* m.lock(); // the fix: both writes under one lock
          v.a = 1;
          v.b = -1;
          g.release();
          return;
        }
        yield* step("set a", "a");
        v.a = 1;
        yield* step("set b", "b");
        v.b = -1;
      }, { name: `setter ${i}` });
    }
    rt.spawn(function* checker() {
      yield* step("start", "checker");
      let a: number, b: number;
      if (fixed) {
        yield* step("read a and b", "a", "b");
        const g = yield* m.lock();
        [a, b] = [v.a, v.b];
        g.release();
      } else {
        yield* step("read a", "a");
        a = v.a;
        yield* step("read b", "b");
        b = v.b;
      }
      check((a === 0 && b === 0) || (a === 1 && b === -1), `reorder: checker saw a=${a}, b=${b}`);
    }, { name: "checker" });
  };
}

/** SCTBench CS/stack: the popper checks for an empty stack outside the lock it pops under. */
function stack(fixed: boolean): ScheduleTest {
  return (rt) => {
    const m = new Mutex<number[]>([], { name: "stack" });
    let pushed = 0;
    const [items, itemsRx] = channel<true>(2, { name: "items" }); // the fix: the popper waits for an item
    rt.spawn(function* pusher() {
      for (let i = 0; i < 2; i++) {
        yield* step("push", "pushed");
        const g = yield* m.lock();
        g.value.push(i);
        pushed++;
        g.release();
        if (fixed) items.trySend(true);
      }
    }, { name: "pusher" });
    rt.spawn(function* popper() {
      for (let i = 0; i < 2; i++) {
        yield* step("check", "pushed");
        if (fixed) yield* itemsRx.recv();
        else if (pushed < i) continue; // checks an older count: one element behind
        const g = yield* m.lock();
        const top = g.value.pop();
        g.release();
        check(top !== undefined, "stack: pop on an empty stack (underflow)");
      }
    }, { name: "popper" });
  };
}

/** SCTBench CS/token_ring: each station copies the token from its left neighbour; the last asserts it went round. */
function tokenRing(fixed: boolean): ScheduleTest {
  return (rt) => {
    const x = [1, 0, 0, 0];
    const m = new Mutex(undefined, { name: "ring" });
    const passed = [0, 1, 2, 3].map((i) => channel<true>(1, { name: `token ${i}` }));
    passed[0][0].trySend(true);
    for (let i = 1; i <= 3; i++) {
      rt.spawn(function* station() {
        yield* step(`station ${i}`, "ring");
        if (fixed) yield* passed[i - 1][1].recv(); // the fix: wait for the token to arrive
        const g = yield* m.lock();
        x[i] = x[i - 1];
        g.release();
        if (fixed) passed[i][0].trySend(true);
      }, { name: `station ${i}` });
    }
    return () => check(x[3] === 1, `token_ring: the token did not reach station 3 (x = ${x.join()})`);
  };
}

/** SCTBench CS/twostage: stage 2 reads stage 1's result under a different lock; the reader sees them apart. */
function twostage(fixed: boolean): ScheduleTest {
  return (rt) => {
    const m1 = new Mutex(undefined, { name: "m1" });
    const m2 = new Mutex(undefined, { name: "m2" });
    const d = { data1: 0, data2: 0 };
    rt.spawn(function* writer() {
      yield* step("stage 1", "data1", "data2");
      const g1 = yield* m1.lock();
      d.data1 = 1;
      if (!fixed) g1.release(); // the fix: hold m1 across both stages
      yield* step("stage 2", "data1", "data2");
      const g2 = yield* m2.lock();
      d.data2 = d.data1 + 1;
      g2.release();
      if (fixed) g1.release();
    }, { name: "writer" });
    rt.spawn(function* reader() {
      yield* step("read", "data1", "data2");
      const g1 = yield* m1.lock();
      const t1 = d.data1;
      g1.release();
      if (t1 === 0) return;
      yield* step("read stage 2", "data1", "data2");
      const g2 = yield* m2.lock();
      const t2 = d.data2;
      g2.release();
      check(t2 === t1 + 1, `twostage: read data1=${t1} but data2=${t2}`);
    }, { name: "reader" });
  };
}

/** SCTBench CS/wronglock: two threads guard one counter with two different locks. */
function wronglock(fixed: boolean): ScheduleTest {
  return (rt) => {
    const lock1 = new Mutex(undefined, { name: "lock1" });
    const lock2 = fixed ? lock1 : new Mutex(undefined, { name: "lock2" });
    let data = 0;
    for (const [name, lock, warmup] of [["t1", lock1, 0], ["t2", lock2, 1]] as const) {
      rt.spawn(function* () {
        for (let i = 0; i < warmup; i++) yield* step("warm up", `${name} local`);
        yield* step("increment", "data");
        const g = yield* lock.lock();
        const v = data;
        yield* step("log", "data");
        data = v + 1;
        g.release();
      }, { name });
    }
    return () => check(data === 2, `wronglock: data ${data}, expected 2`);
  };
}

/**
 * A lock-free (Treiber) stack whose nodes are recycled: t1 reads top = A and A.next = B; t2 pops
 * A and B and pushes A back; t1's compare-and-swap still sees A on top and installs B, a node t2
 * owns. The fix tags the top pointer with a version, so the CAS sees the change.
 */
function aba(fixed: boolean): ScheduleTest {
  return (rt) => {
    interface Node { readonly name: string; next: Node | undefined }
    const C: Node = { name: "C", next: undefined };
    const B: Node = { name: "B", next: C };
    const A: Node = { name: "A", next: B };
    const top = { node: A as Node | undefined, version: 0 };
    const cas = (node: Node | undefined, version: number, next: Node | undefined): boolean => {
      if (top.node !== node || (fixed && top.version !== version)) return false;
      top.node = next;
      top.version++;
      return true;
    };
    function* pop(who: string) {
      for (;;) {
        yield* step(`${who}: read top`, top);
        const [node, version] = [top.node, top.version];
        if (node === undefined) return undefined;
        const next = node.next;
        yield* step(`${who}: compare-and-swap`, top);
        if (cas(node, version, next)) return node;
      }
    }
    function* push(who: string, node: Node) {
      for (;;) {
        yield* step(`${who}: read top`, top);
        const [old, version] = [top.node, top.version];
        node.next = old;
        yield* step(`${who}: compare-and-swap`, top);
        if (cas(old, version, node)) return;
      }
    }
    const owned = new Set<string>();
    rt.spawn(function* t1() {
      const n = yield* pop("t1");
      if (n !== undefined) owned.add(n.name);
    }, { name: "t1" });
    rt.spawn(function* t2() {
      yield* step("t2: start", "t2 local");
      const a = (yield* pop("t2")) as Node;
      const b = (yield* pop("t2")) as Node;
      owned.add(b.name);
      yield* push("t2", a);
    }, { name: "t2" });
    return () => {
      for (let n = top.node; n !== undefined; n = n.next) check(!owned.has(n.name), `ABA: node ${n.name} is on the stack and owned by a task`);
    };
  };
}

/** Node.js: get-or-create with an await between the check and the insert; two requests create one user twice. */
function getOrCreate(fixed: boolean): ScheduleTest {
  return (rt) => {
    const users = new Map<string, number>();
    const creating = new Map<string, boolean>();
    let inserts = 0;
    function* handle(request: string, parseSteps: number) {
      for (let i = 0; i < parseSteps; i++) yield* step(`${request}: parse body`, `${request} local`);
      yield* step(`${request}: look up "ada"`, users);
      if (users.has("ada") || (fixed && creating.get("ada"))) return;
      if (fixed) creating.set("ada", true); // the fix: claim the name before the await
      yield* step(`${request}: await validation`, users);
      check(!users.has("ada"), `getOrCreate: duplicate key "ada" (inserted twice)`);
      users.set("ada", ++inserts);
    }
    rt.spawn(handle("request 1", 0), { name: "request 1" });
    rt.spawn(handle("request 2", 1), { name: "request 2" });
  };
}

/** Node.js: the server emits "ready" after an await; a client that adds its listener later never hears it. */
function emitBeforeListen(fixed: boolean): ScheduleTest {
  return (rt) => {
    const listeners: (() => void)[] = [];
    let emitted = false;
    const [tx, rx] = channel<string>(1, { name: "ready" });
    rt.spawn(function* server() {
      yield* step("server: listen", "emitter");
      yield* step("server: emit ready", "emitter");
      emitted = true;
      for (const l of listeners) l();
      tx.close();
    }, { name: "server" });
    rt.spawn(function* client() {
      yield* step("client: on ready", "emitter");
      // The fix: check whether it already happened (like `once` on a resolved promise).
      if (fixed && emitted) return;
      listeners.push(() => void tx.trySend("ready"));
      const message = yield* rx.recv();
      check(message === "ready", `emitter: the client missed "ready" (emitted before its listener was added)`);
    }, { name: "client" });
  };
}

/** Node.js: read a counter, write it back in a callback; two requests lose an update. */
function callbackLostUpdate(fixed: boolean): ScheduleTest {
  return (rt) => {
    const store = { hits: 0 };
    function* request(name: string, authSteps: number) {
      for (let i = 0; i < authSteps; i++) yield* step(`${name}: authenticate`, `${name} local`);
      yield* step(`${name}: get hits`, store);
      const v = store.hits;
      rt.spawn(function* callback() {
        yield* step(`${name}: callback sets hits`, store);
        if (fixed) store.hits++; // the fix: an atomic increment instead of a write-back
        else store.hits = v + 1;
      }, { name: `${name} callback` });
    }
    rt.spawn(request("request 1", 0), { name: "request 1" });
    rt.spawn(request("request 2", 2), { name: "request 2" });
    return () => check(store.hits === 2, `callback: hits ${store.hits}, expected 2 (a lost update)`);
  };
}

export const programs: readonly Program[] = [
  { name: "account", source: "SCTBench CS/account", buggy: account(false), fixed: account(true), error: /account: balance/ },
  { name: "bluetooth_driver", source: "SCTBench CS/bluetooth_driver", buggy: bluetooth(false), fixed: bluetooth(true), error: /I\/O on a stopped driver/ },
  { name: "circular_buffer", source: "SCTBench CS/circular_buffer", buggy: circularBuffer(false), fixed: circularBuffer(true), error: /before it was written/ },
  { name: "lazy01", source: "SCTBench CS/lazy01", buggy: lazy(false), fixed: lazy(true), error: /lazy01: data reached 3/ },
  { name: "reorder_3", source: "SCTBench CS/reorder_3", buggy: reorder(2, false), fixed: reorder(2, true), error: /reorder: checker saw/ },
  { name: "reorder_5", source: "SCTBench CS/reorder_5", buggy: reorder(4, false), fixed: reorder(4, true), error: /reorder: checker saw/ },
  { name: "stack", source: "SCTBench CS/stack", buggy: stack(false), fixed: stack(true), error: /stack: pop on an empty stack/ },
  { name: "token_ring", source: "SCTBench CS/token_ring", buggy: tokenRing(false), fixed: tokenRing(true), error: /token_ring/ },
  { name: "twostage", source: "SCTBench CS/twostage", buggy: twostage(false), fixed: twostage(true), error: /twostage: read data1=1 but data2=0/ },
  { name: "wronglock", source: "SCTBench CS/wronglock", buggy: wronglock(false), fixed: wronglock(true), error: /wronglock: data 1/ },
  { name: "long loop (PCT figure, n = 50)", source: "Burckhardt et al., ASPLOS 2010", buggy: longLoop(50), fixed: longLoop(50, true), error: /t2 ran after t1/ },
  { name: "Treiber stack ABA", source: "lock-free stack, ABA problem", buggy: aba(false), fixed: aba(true), error: /ABA: node/ },
  { name: "get-or-create across an await", source: "Node.js check-then-act (NodeRacer study)", buggy: getOrCreate(false), fixed: getOrCreate(true), error: /duplicate key/ },
  { name: "emit before listen", source: "Node.js event ordering (NodeRacer study)", buggy: emitBeforeListen(false), fixed: emitBeforeListen(true), error: /missed "ready"|deadlock/ },
  { name: "lost update in a callback", source: "Node.js callback write-back (NodeRacer study)", buggy: callbackLostUpdate(false), fixed: callbackLostUpdate(true), error: /hits 1, expected 2/ },
];
