// Properties of the driver, checked with fast-check over random programs: wake-ups run in the
// order they happened, k wakes cost one poll, every task finishes exactly once, and timers fire
// in (deadline, creation) order.

import { expect } from "chai";
import fc from "fast-check";
import { sleep, sleepUntil, spawn, yieldNow } from "../../lib/index";
import type { JoinHandle, Operation, TraceEvent, Waker } from "../../lib/index";
import { Gate, stepAll, virtual } from "./helpers";

const RUNS = { numRuns: 150 };

describe("properties", () => {
  it("runs parked tasks in exactly the order they were woken (FIFO of wake-ups)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            order: fc.shuffledSubarray([...Array(n).keys()], { minLength: 1 }),
            fromTask: fc.boolean(),
          }),
        ),
        ({ n, order, fromTask }) => {
          const rt = virtual();
          const gates = [...Array(n).keys()].map((i) => new Gate(`g${i}`));
          const resumed: number[] = [];
          const hs = gates.map((g, i) =>
            rt.spawn(function* () {
              yield* g;
              resumed.push(i);
            }),
          );
          stepAll(rt); // all parked
          if (fromTask) {
            rt.spawn(function* () {
              for (const i of order) (gates[i] as Gate).open();
            });
          } else {
            for (const i of order) (gates[i] as Gate).open();
          }
          stepAll(rt);
          expect(resumed).to.deep.equal(order);
          for (const h of hs) h.abort();
          rt.runSync();
          expect(rt.metrics.live).to.equal(0);
        },
      ),
      RUNS,
    );
  });

  it("polls a parked task once after k wake-ups, whatever mix of wake, wakeByRef and clone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("wake", "wakeByRef", "clone"), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (calls, fromTask) => {
          const rt = virtual();
          const gate = new Gate("g");
          rt.spawn(function* () {
            yield* gate;
          });
          rt.step();
          const w = gate.waker as Waker;
          gate.held = true;
          const fire = () => {
            for (const c of calls) {
              if (c === "wake") w.wake();
              else if (c === "wakeByRef") w.wakeByRef();
              else w.clone().wake();
            }
          };
          if (fromTask) {
            rt.spawn(function* () {
              fire();
              yield* yieldNow();
              fire(); // woken again while it already waits in the queue
            });
          } else fire();
          rt.runSync();
          expect(gate.polls).to.equal(2);
          expect(rt.metrics.completed).to.equal(fromTask ? 2 : 1);
        },
      ),
      RUNS,
    );
  });

  type Op =
    | { k: "sleep"; ms: number }
    | { k: "yield" }
    | { k: "spawn"; target: number }
    | { k: "abort"; which: number }
    | { k: "join"; which: number }
    | { k: "throw" }
    | { k: "finallySleep"; ms: number };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ k: fc.constant("yield" as const) }),
    fc.record({ k: fc.constant("spawn" as const), target: fc.nat() }),
    fc.record({ k: fc.constant("abort" as const), which: fc.nat() }),
    fc.record({ k: fc.constant("join" as const), which: fc.nat() }),
    fc.record({ k: fc.constant("throw" as const) }),
    fc.record({ k: fc.constant("finallySleep" as const), ms: fc.integer({ min: 0, max: 3 }) }),
  );

  it("finishes every spawned task exactly once across random spawn / abort / join / sleep programs", () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), (scripts) => {
        const reported: unknown[] = [];
        const rt = virtual({ trace: true, onTaskError: (e) => reported.push(e) });
        const handles: JoinHandle<unknown>[] = [];

        // Script s may only spawn scripts after it, and a task may only join tasks spawned
        // before it: the program is finite and has no join cycle, so it must not deadlock.
        function* runScript(s: number, ops: readonly Op[], from: number, self: number): Operation<void> {
          for (let i = from; i < ops.length; i++) {
            const op = ops[i] as Op;
            switch (op.k) {
              case "sleep":
                yield* sleep(op.ms);
                break;
              case "yield":
                yield* yieldNow();
                break;
              case "spawn": {
                const later = scripts.length - s - 1;
                if (later > 0) start(s + 1 + (op.target % later));
                break;
              }
              case "abort":
                if (handles.length > 0) (handles[op.which % handles.length] as JoinHandle<unknown>).abort();
                break;
              case "join":
                if (self > 0) {
                  const joined = handles[op.which % self] as JoinHandle<unknown>;
                  try {
                    yield* joined;
                  } catch (e) {
                    if (!joined.finished) throw e; // our own cancellation: let it unwind us
                  }
                }
                break;
              case "throw":
                throw new Error(`script ${s} op ${i}`);
              case "finallySleep":
                try {
                  yield* runScript(s, ops, i + 1, self);
                } finally {
                  yield* sleep(op.ms);
                }
                return;
            }
          }
        }
        function start(s: number): void {
          const self = handles.length;
          const ops = scripts[s] as Op[];
          handles.push(spawnOn(() => runScript(s, ops, 0, self)));
        }
        let spawnOn = (body: () => Operation<void>): JoinHandle<unknown> => rt.spawn(body);
        start(0);
        spawnOn = (body) => spawn(body); // inside tasks: the free function, on the running runtime
        rt.runSync();

        const m = rt.metrics;
        expect(m.spawned).to.equal(handles.length);
        expect(m.spawned).to.equal(m.completed + m.failed + m.cancelled);
        expect(m.live).to.equal(0);
        expect(m.parked).to.equal(0);
        expect(m.ready).to.equal(0);
        expect(m.timers).to.equal(0);
        expect(reported.length).to.be.at.most(m.failed);
        for (const h of handles) expect(h.finished).to.equal(true);
        const ends = new Map<number, number>();
        for (const e of rt.trace as TraceEvent[]) {
          if (e.kind === "complete" || e.kind === "fail" || e.kind === "cancel") ends.set(e.task, (ends.get(e.task) ?? 0) + 1);
        }
        expect(ends.size).to.equal(handles.length);
        for (const count of ends.values()) expect(count).to.equal(1);
      }),
      RUNS,
    );
  });

  it("fires timers in (deadline, creation) order, ties included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.integer({ min: 0, max: 3 }), b: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 16 }),
        (tasks) => {
          const rt = virtual();
          const fired: [number, number][] = [];
          tasks.forEach(({ a, b }, i) => {
            rt.spawn(function* () {
              yield* sleep(a); // the second timer is created when this one fires
              yield* sleep(b);
              fired.push([i, rt.now()]);
            });
          });
          rt.runSync();
          // Creation order of the second timers: by a (stable), since the first ones fire in
          // (a, spawn order) and sleep(0) is ready at once in spawn order.
          const created = tasks.map((t, i) => ({ ...t, i })).sort((x, y) => x.a - y.a);
          const rank = new Map(created.map((t, r) => [t.i, r] as const));
          const expected = tasks
            .map((t, i) => ({ i, at: t.a + t.b, r: rank.get(i) as number }))
            .sort((x, y) => x.at - y.at || x.r - y.r)
            .map(({ i, at }) => [i, at]);
          expect(fired).to.deep.equal(expected);
        },
      ),
      RUNS,
    );
  });

  it("fires sleepUntil timers sharing a deadline in the order they were armed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 20 }), (deadlines) => {
        const rt = virtual();
        const fired: number[] = [];
        deadlines.forEach((d, i) =>
          rt.spawn(function* () {
            yield* sleepUntil(d);
            fired.push(i);
          }),
        );
        rt.runSync();
        const expected = deadlines.map((d, i) => ({ d, i })).sort((x, y) => x.d - y.d || x.i - y.i).map((x) => x.i);
        expect(fired).to.deep.equal(expected);
      }),
      RUNS,
    );
  });
});
