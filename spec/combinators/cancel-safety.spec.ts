// Nothing a combinator took is lost when it is cancelled. Random trees of race/select/join/all/
// timeout whose leaves take messages, mutex guards and permits, mixed with generator losers
// whose shielded cleanup waits, under a root timeout and an abort at a random moment (also
// while losers unwind): at the end every message was received exactly once or is still in its
// channel in order, every mutex is unlocked, every permit is back.

import { expect } from "chai";
import fc from "fast-check";
import { Mutex, MutexGuard, Permit, Semaphore, all, channel, join, race, select, shield, sleep, timeout } from "../../lib/index";
import type { Body, Operation, Receiver } from "../../lib/index";
import { virtual } from "./helpers";

type Leaf =
  | { kind: "recv" }
  | { kind: "lock"; mutex: number }
  | { kind: "acquire"; n: number }
  | { kind: "gen"; ms: number; cleanupMs: number };
type Combo = { kind: "all" | "join" | "race" | "select"; children: Tree[] } | { kind: "timeout"; ms: number; children: [Tree] };
type Tree = Leaf | Combo;

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.constant({ kind: "recv" as const }),
  fc.record({ kind: fc.constant("lock" as const), mutex: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("acquire" as const), n: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant("gen" as const), ms: fc.integer({ min: 0, max: 12 }), cleanupMs: fc.integer({ min: 0, max: 6 }) }),
);

const { combo: tree } = fc.letrec<{ tree: Tree; combo: Combo }>((tie) => ({
  tree: fc.oneof({ maxDepth: 3, depthIdentifier: "t" }, leaf, tie("combo")),
  combo: fc.oneof(
    fc.record({
      kind: fc.constantFrom("all" as const, "join" as const, "race" as const, "select" as const),
      children: fc.array(tie("tree"), { minLength: 1, maxLength: 4, depthIdentifier: "t" }),
    }),
    fc.record({ kind: fc.constant("timeout" as const), ms: fc.integer({ min: 0, max: 15 }), children: fc.tuple(tie("tree")) }),
  ),
}));

/** A message, told apart from every other value in an outcome. */
class Msg {
  constructor(readonly n: number) {}
}

/** Holding every 10 ms a guard of each mutex and two permits for 4 ms, so leaves wait and get granted. */
interface World {
  rx: Receiver<Msg>;
  mutexes: Mutex<number>[];
  sem: Semaphore;
}

function build(t: Tree, w: World): Body<unknown> {
  switch (t.kind) {
    case "recv":
      return w.rx.recv();
    case "lock":
      return (w.mutexes[t.mutex] as Mutex<number>).lock();
    case "acquire":
      return w.sem.acquire(t.n);
    case "gen":
      return function* () {
        try {
          yield* sleep(t.ms);
          return "gen";
        } finally {
          if (t.cleanupMs > 0) yield* shield(sleep(t.cleanupMs)); // a loser that unwinds slowly
        }
      };
    case "timeout":
      return timeout(t.ms, build(t.children[0], w));
    default: {
      const kids = t.children.map((c) => build(c, w));
      if (t.kind === "all") return all(kids);
      if (t.kind === "join") return join(...kids);
      if (t.kind === "race") return race(...kids);
      return select(Object.fromEntries(kids.map((k, i) => [`k${i}`, k])));
    }
  }
}

/** Everything the root delivered: messages are noted, guards and permits released. */
function collect(value: unknown, got: number[]): void {
  if (value instanceof Msg) got.push(value.n);
  else if (value instanceof MutexGuard || value instanceof Permit) value.release();
  else if (Array.isArray(value)) for (const v of value) collect(v, got);
  else if (value !== null && typeof value === "object" && "key" in value) collect((value as { key: unknown; value: unknown }).value, got);
}

const MESSAGES = 12;

/** A loser whose cleanup waits (shielded), so its race is still unwinding at t=1..5. */
function* slowLoser() {
  try {
    yield* sleep(100);
  } finally {
    yield* shield(sleep(5));
  }
}

describe("cancel safety of combinators", () => {
  it("race(rx.recv(), slow loser) aborted while the loser unwinds: the message is delivered or back at the front", () => {
    const rt = virtual();
    const [tx, rx] = channel<string>(4);
    let got: string | undefined;
    const main = rt.spawn(function* () {
      got = (yield* race(rx.recv(), slowLoser)) as string | undefined; // the loser has started: its cleanup runs t=1..6
    });
    rt.spawn(function* () {
      yield* sleep(1);
      tx.trySend("a");
      tx.trySend("b");
      yield* sleep(1);
      main.abort(); // the recv won at t=1; the race waits for the loser
    });
    rt.runSync();
    const left = [rx.tryRecv(), rx.tryRecv()].filter((m) => m !== undefined);
    expect([got, ...left].filter((m) => m !== undefined)).to.deep.equal(["a", "b"]);
  });

  it("race(rx.recv(), slow loser) under a timeout that fires while the loser unwinds: the message returns to the front", () => {
    const rt = virtual();
    const [tx, rx] = channel<string>(4);
    rt.spawn(function* () {
      try {
        yield* timeout(2, race(rx.recv(), slowLoser));
      } catch {
        // TimeoutError
      }
    });
    rt.spawn(function* () {
      yield* sleep(1);
      tx.trySend("a");
      tx.trySend("b");
    });
    rt.runSync();
    expect([rx.tryRecv(), rx.tryRecv(), rx.tryRecv()]).to.deep.equal(["a", "b", undefined]);
  });

  it("race(m.lock(), slow loser) cancelled by an enclosing timeout while the loser unwinds: the mutex is unlocked", () => {
    const rt = virtual();
    const m = new Mutex(0);
    const early = m.tryLock();
    let error: unknown;
    rt.spawn(function* () {
      try {
        yield* timeout(2, race(m.lock(), slowLoser)); // granted at t=1; the loser unwinds until t=6
      } catch (e) {
        error = e;
      }
    });
    rt.spawn(function* () {
      yield* sleep(1);
      early?.release();
    });
    rt.runSync();
    expect(String(error)).to.match(/TimeoutError/);
    expect(m.locked).to.equal(false);
  });

  it("join(a.lock(), b.lock()) cancelled while waiting for b: a is unlocked", () => {
    const rt = virtual();
    const a = new Mutex(0);
    const b = new Mutex(0);
    const held = b.tryLock();
    const main = rt.spawn(function* () {
      yield* join(a.lock(), b.lock());
    });
    rt.spawn(function* () {
      yield* sleep(3);
      main.abort();
    });
    rt.runSync();
    held?.release();
    expect([a.locked, b.locked]).to.deep.equal([false, false]);
  });

  it("timeout(5, all([s.acquire(1), s.acquire(2)])) that times out returns every permit", () => {
    const rt = virtual();
    const s = new Semaphore(2);
    rt.spawn(function* () {
      try {
        yield* timeout(5, all([s.acquire(1), s.acquire(2)]));
      } catch {
        // TimeoutError: acquire(2) cannot get in while acquire(1) holds one
      }
    });
    rt.runSync();
    expect(s.available).to.equal(2);
  });

  it("a cancelled combinator tree loses no message, guard or permit", () => {
    fc.assert(
      fc.property(tree, fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }), fc.integer({ min: 5, max: 40 }), (root, abortAt, rootMs) => {
        const rt = virtual();
        const [tx, rx] = channel<Msg>(3);
        const w: World = { rx, mutexes: [new Mutex(0), new Mutex(0)], sem: new Semaphore(3) };
        const got: number[] = [];
        let sentCount = 0; // a producer left waiting on a full channel sent only these
        rt.spawn(function* producer() {
          for (let i = 0; i < MESSAGES; i++) {
            yield* tx.send(new Msg(i));
            sentCount++;
            yield* sleep(i % 3);
          }
        });
        rt.spawn(function* holder() {
          for (let t = 0; t < 40; t += 10) {
            const guards = [(w.mutexes[0] as Mutex<number>).tryLock(), (w.mutexes[1] as Mutex<number>).tryLock(), w.sem.tryAcquire(2)];
            yield* sleep(4);
            for (const g of guards) g?.release();
            yield* sleep(6);
          }
        });
        const main = rt.spawn(function* () {
          for (let round = 0; round < 2; round++) {
            const value = yield* timeout(rootMs, build(root, w) as Operation<unknown>);
            collect(value, got); // no yield between: a value delivered before an abort is kept
          }
        });
        if (abortAt !== undefined) {
          rt.spawn(function* () {
            yield* sleep(abortAt);
            main.abort();
          });
        }
        try {
          rt.runSync();
        } catch {
          // the main task's TimeoutError or CancelledError: what matters is what is left
        }
        const left: number[] = [];
        for (let m = rx.tryRecv(); m !== undefined; m = rx.tryRecv()) left.push(m.n);
        const seen = [...got, ...left].sort((a, b) => a - b);
        expect(new Set(seen).size, `messages received twice: got ${got}, left ${left}`).to.equal(seen.length);
        const sent = Array.from({ length: sentCount }, (_, i) => i);
        expect(seen, `every message received once or still in the channel: got ${got}, left ${left}`).to.deep.equal(sent);
        expect(left, "the messages left are in order").to.deep.equal([...left].sort((a, b) => a - b));
        expect(
          w.mutexes.map((m) => m.locked),
          "every mutex unlocked",
        ).to.deep.equal([false, false]);
        expect(w.sem.available, "every permit back").to.equal(3);
      }),
      { numRuns: Number(process.env.COMBINATOR_RUNS ?? 400) },
    );
  });
});
