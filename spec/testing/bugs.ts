// The corpus: classic concurrency bugs ported to wakeful tasks, each arranged so plain FIFO
// does not show it, each with its fix. Shared by the corpus specs; every program builds its
// state inside the test function, so each schedule starts fresh.

import { Mutex, MutexGuard, channel, sleep, sleepUntil, yieldNow, type Runtime } from "../../lib/index";
import type { Schedule, ScheduleTest } from "../../lib/testing/index";

export interface Bug {
  readonly name: string;
  readonly buggy: ScheduleTest;
  readonly fixed: ScheduleTest;
  /** The smallest failing schedule: the one shrinking must reach. */
  readonly minimal: Schedule;
  /** What the failure says. */
  readonly error: RegExp;
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** Lost update: read, an await point, write back. B validates first, so FIFO serialises them. */
export const lostUpdate: Bug = {
  name: "lost update",
  error: /balance: expected 30, got (10|20)/,
  minimal: { choices: [1] },
  buggy: (rt: Runtime) => {
    let balance = 0;
    function* deposit(amount: number, validate: boolean) {
      if (validate) yield* yieldNow(); // check the amount (an await point)
      const b = balance;
      yield* yieldNow(); // write an audit record
      balance = b + amount;
    }
    rt.spawn(deposit(10, false), { name: "deposit 10" });
    rt.spawn(deposit(20, true), { name: "deposit 20" });
    return () => expectEqual(balance, 30, "balance");
  },
  fixed: (rt: Runtime) => {
    let balance = 0;
    function* deposit(amount: number, validate: boolean) {
      if (validate) yield* yieldNow();
      yield* yieldNow(); // the audit record first: no await between the read and the write
      balance += amount;
    }
    rt.spawn(deposit(10, false), { name: "deposit 10" });
    rt.spawn(deposit(20, true), { name: "deposit 20" });
    return () => expectEqual(balance, 30, "balance");
  },
};

/** Check-then-act: both withdrawals pass the balance check before either debits. */
export const checkThenAct: Bug = {
  name: "check-then-act",
  error: /overdrawn: balance is -50/,
  minimal: { choices: [1, 1] },
  buggy: (rt: Runtime) => {
    let balance = 100;
    function* withdraw(amount: number, lookup: number) {
      for (let i = 0; i < lookup; i++) yield* yieldNow(); // find the account
      if (balance >= amount) {
        yield* yieldNow(); // ask the fraud check
        balance -= amount;
      }
    }
    rt.spawn(withdraw(80, 0), { name: "withdraw 80" });
    rt.spawn(withdraw(70, 2), { name: "withdraw 70" });
    return () => {
      if (balance < 0) throw new Error(`overdrawn: balance is ${balance}`);
    };
  },
  fixed: (rt: Runtime) => {
    let balance = 100;
    function* withdraw(amount: number, lookup: number) {
      for (let i = 0; i < lookup; i++) yield* yieldNow();
      if (balance >= amount) {
        balance -= amount; // reserve first, so the check and the debit are one step
        yield* yieldNow();
      }
    }
    rt.spawn(withdraw(80, 0), { name: "withdraw 80" });
    rt.spawn(withdraw(70, 2), { name: "withdraw 70" });
    return () => {
      if (balance < 0) throw new Error(`overdrawn: balance is ${balance}`);
    };
  },
};

/** Torn read: a reloader updates host and port across an await; a reader sees half of it. */
export const tornRead: Bug = {
  name: "torn read",
  error: /torn config: new\.example:80/,
  minimal: { choices: [1] },
  buggy: (rt: Runtime) => {
    const config = { host: "old.example", port: 80 };
    rt.spawn(function* reload() {
      config.host = "new.example";
      yield* yieldNow(); // log the change
      config.port = 443;
    }, { name: "reload" });
    rt.spawn(function* connect() {
      yield* yieldNow(); // resolve credentials
      const address = `${config.host}:${config.port}`;
      if (address !== "old.example:80" && address !== "new.example:443") throw new Error(`torn config: ${address}`);
    }, { name: "connect" });
  },
  fixed: (rt: Runtime) => {
    let config = { host: "old.example", port: 80 };
    rt.spawn(function* reload() {
      const next = { host: "new.example", port: 443 };
      yield* yieldNow(); // log the change
      config = next; // publish the whole object at once
    }, { name: "reload" });
    rt.spawn(function* connect() {
      yield* yieldNow();
      const { host, port } = config;
      const address = `${host}:${port}`;
      if (address !== "old.example:80" && address !== "new.example:443") throw new Error(`torn config: ${address}`);
    }, { name: "connect" });
  },
};

/**
 * Two timers due at the same instant: the cache refresh and the reader both wake at t=10. The
 * refresh's timer was created first, so the timers fire refresh first and FIFO runs it first;
 * whatever happens at t=0, only the decision at t=10 (both woken at once) can run the reader first.
 */
export const timerTie: Bug = {
  name: "same-instant timers",
  error: /read a stale entry at t=10/,
  minimal: { choices: [0, 1] },
  buggy: (rt: Runtime) => {
    let version = 1;
    rt.spawn(function* refresh() {
      yield* sleep(10);
      version = 2;
    }, { name: "refresh" });
    rt.spawn(function* reader() {
      yield* sleep(4); // connect
      yield* sleepUntil(10); // "the refresh is due by now"
      if (version !== 2) throw new Error(`read a stale entry at t=${rt.now()}`);
    }, { name: "reader" });
  },
  fixed: (rt: Runtime) => {
    let version = 1;
    rt.spawn(function* refresh() {
      yield* sleep(10);
      version = 2;
    }, { name: "refresh" });
    rt.spawn(function* reader() {
      yield* sleep(4);
      yield* sleepUntil(10);
      while (version !== 2) yield* sleep(1); // wait for the refresh instead of assuming it
      if (version !== 2) throw new Error(`read a stale entry at t=${rt.now()}`);
    }, { name: "reader" });
  },
};

/** Lock-order deadlock: transfer(a→b) locks a then b, transfer(b→a) locks b then a. */
export const lockOrder: Bug = {
  name: "lock-order deadlock",
  error: /deadlock/,
  minimal: { choices: [1] },
  buggy: (rt: Runtime) => {
    const a = new Mutex({ balance: 100 }, { name: "a" });
    const b = new Mutex({ balance: 100 }, { name: "b" });
    function* transfer(from: typeof a, to: typeof a, amount: number, validate: boolean) {
      if (validate) yield* yieldNow(); // check the amount
      const g1 = yield* from.lock();
      yield* yieldNow(); // write the journal entry
      const g2 = yield* to.lock();
      g1.value.balance -= amount;
      g2.value.balance += amount;
      g2.release();
      g1.release();
    }
    rt.spawn(transfer(a, b, 10, false), { name: "a→b" });
    rt.spawn(transfer(b, a, 20, true), { name: "b→a" });
  },
  fixed: (rt: Runtime) => {
    const a = new Mutex({ balance: 100 }, { name: "a" });
    const b = new Mutex({ balance: 100 }, { name: "b" });
    function* transfer(from: typeof a, to: typeof a, amount: number, validate: boolean) {
      if (validate) yield* yieldNow();
      const [first, second] = from.id < to.id ? [from, to] : [to, from]; // one global lock order
      const g1 = yield* first.lock();
      yield* yieldNow();
      const g2 = yield* second.lock();
      const [payer, payee] = from.id < to.id ? [g1, g2] : [g2, g1];
      payer.value.balance -= amount;
      payee.value.balance += amount;
      g2.release();
      g1.release();
    }
    rt.spawn(transfer(a, b, 10, false), { name: "a→b" });
    rt.spawn(transfer(b, a, 20, true), { name: "b→a" });
  },
};

/** Wrong lock: two code paths guard the same counter with two different mutexes. */
export const wrongLock: Bug = {
  name: "wrong lock",
  error: /hits: expected 2, got 1/,
  minimal: { choices: [1] },
  buggy: (rt: Runtime) => {
    const stats = { hits: 0 };
    const pageLock = new Mutex(undefined, { name: "page" });
    const apiLock = new Mutex(undefined, { name: "api" });
    function* record(lock: Mutex<undefined>, warmup: number) {
      for (let i = 0; i < warmup; i++) yield* yieldNow();
      const g = yield* lock.lock();
      const hits = stats.hits;
      yield* yieldNow(); // flush a log line while holding "the" lock
      stats.hits = hits + 1;
      g.release();
    }
    rt.spawn(record(pageLock, 0), { name: "page" });
    rt.spawn(record(apiLock, 1), { name: "api" });
    return () => expectEqual(stats.hits, 2, "hits");
  },
  fixed: (rt: Runtime) => {
    const stats = new Mutex({ hits: 0 }, { name: "stats" }); // the lock lives with the data it guards
    function* record(warmup: number) {
      for (let i = 0; i < warmup; i++) yield* yieldNow();
      const g = yield* stats.lock();
      const hits = g.value.hits;
      yield* yieldNow();
      g.value.hits = hits + 1;
      g.release();
    }
    rt.spawn(record(0), { name: "page" });
    rt.spawn(record(1), { name: "api" });
    return () => {
      const g = stats.tryLock() as MutexGuard<{ hits: number }>; // every task has finished: it is free
      expectEqual(g.value.hits, 2, "hits");
      g.release();
    };
  },
};

/** Dining philosophers: each takes the left fork, then the right. */
export const philosophers: Bug = {
  name: "dining philosophers",
  error: /deadlock/,
  minimal: { choices: [2, 1] },
  buggy: (rt: Runtime) => dine(rt, false),
  fixed: (rt: Runtime) => dine(rt, true),
};

function dine(rt: Runtime, ordered: boolean): () => void {
  const n = 3;
  const forks = Array.from({ length: n }, (_, i) => new Mutex(i, { name: `fork ${i}` }));
  let meals = 0;
  function* philosopher(i: number) {
    for (let t = 0; t < i; t++) yield* yieldNow(); // think
    let [first, second] = [forks[i], forks[(i + 1) % n]];
    if (ordered && first.id > second.id) [first, second] = [second, first];
    const g1 = yield* first.lock();
    yield* yieldNow(); // reach for the other fork
    const g2 = yield* second.lock();
    meals++;
    g2.release();
    g1.release();
  }
  for (let i = 0; i < n; i++) rt.spawn(philosopher(i), { name: `philosopher ${i}` });
  return () => expectEqual(meals, n, "meals");
}

/** A channel protocol bug: the server needs "hello" first, but a keepalive may ping before it. */
export const handshake: Bug = {
  name: "channel protocol",
  error: /protocol error: "ping" before "hello"/,
  minimal: { choices: [2, 2] },
  buggy: (rt: Runtime) => session(rt, false),
  fixed: (rt: Runtime) => session(rt, true),
};

function session(rt: Runtime, fixed: boolean): () => void {
  const [tx, rx] = channel<string>(1, { name: "wire" });
  const log: string[] = [];
  rt.spawn(function* server() {
    let greeted = false;
    for (let m; (m = yield* rx.recv()) !== undefined; ) {
      if (!greeted && m !== "hello") throw new Error(`protocol error: ${JSON.stringify(m)} before "hello"`);
      greeted = true;
      log.push(m);
    }
  }, { name: "server" });
  function* keepalive(ping: typeof tx) {
    yield* yieldNow(); // start the heartbeat timer
    yield* ping.send("ping");
    ping.close();
  }
  const ping = tx.clone();
  rt.spawn(function* client() {
    yield* tx.send("hello");
    if (fixed) rt.spawn(keepalive(ping), { name: "keepalive" }); // only once the session is open
    yield* tx.send("data");
    tx.close();
  }, { name: "client" });
  if (!fixed) rt.spawn(keepalive(ping), { name: "keepalive" });
  return () => expectEqual(log.length, 3, "messages");
}
