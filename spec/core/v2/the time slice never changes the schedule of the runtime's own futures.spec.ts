// Issue 9, "Done when" property (c), rule 7: the runtime yields to the host at least once per
// `slice` ms of continuous polling, and host yields never change the order in which its own tasks
// and timers run. For random programs that wait only on the runtime's own futures (sleeps,
// yieldNow, channels, notify, joins, busy loops of ready polls), runSync() (which never yields to
// the host) and run() on a virtual clock record the same trace, whatever `slice` is.
//
// Before Core v2 `slice` did not exist (RuntimeOptions had no such field; the runtime yielded a
// macrotask per `budget` polls), so this spec does not compile against that core; run with the
// type check off, the option is ignored and the property checks only run() against runSync().

import { expect } from "chai";
import fc from "fast-check";
import { Notify, Runtime, channel, race, ready, sleep, spawn, yieldNow } from "../../../lib/index";
import type { JoinHandle, Operation, TraceEvent } from "../../../lib/index";

type Step =
  | { op: "sleep"; ms: number }
  | { op: "yieldNow" }
  | { op: "busy"; polls: number }
  | { op: "send"; to: number }
  | { op: "recv" }
  | { op: "notify"; which: "one" | "all" }
  | { op: "notified" }
  | { op: "child"; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ op: fc.constant("yieldNow" as const) }),
  fc.record({ op: fc.constant("busy" as const), polls: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ op: fc.constant("send" as const), to: fc.nat(5) }),
  fc.record({ op: fc.constant("recv" as const) }),
  fc.record({ op: fc.constant("notify" as const), which: fc.constantFrom("one" as const, "all" as const) }),
  fc.record({ op: fc.constant("notified" as const) }),
  fc.record({ op: fc.constant("child" as const), ms: fc.integer({ min: 0, max: 4 }) }),
);

const programArb = fc.array(fc.array(stepArb, { maxLength: 8 }), { minLength: 1, maxLength: 6 });

/**
 * Build the program on `rt`: one task per step list. Receives and notified() waits are bounded by
 * a race against a sleep, so no program deadlocks; every wait is on the runtime's own futures.
 */
function install(rt: Runtime, program: Step[][]): void {
  const inboxes = program.map(() => channel<number>());
  const notify = new Notify();
  function* child(ms: number): Operation<number> {
    yield* sleep(ms);
    return ms;
  }
  function* worker(i: number, steps: Step[]): Operation<void> {
    const [, rx] = inboxes[i]!;
    for (const s of steps) {
      switch (s.op) {
        case "sleep":
          yield* sleep(s.ms);
          break;
        case "yieldNow":
          yield* yieldNow();
          break;
        case "busy":
          for (let k = 0; k < s.polls; k++) yield* ready(k); // continuous polling: the budget and the slice apply
          break;
        case "send":
          inboxes[s.to % inboxes.length]![0].trySend(i);
          break;
        case "recv":
          yield* timeoutRace(rx.recv(), 3);
          break;
        case "notify":
          if (s.which === "one") notify.notifyOne();
          else notify.notifyWaiters();
          break;
        case "notified":
          yield* timeoutRace(notify.notified(), 3);
          break;
        case "child": {
          const h: JoinHandle<number> = spawn(child(s.ms), { name: `child of ${i}` });
          yield* h;
          break;
        }
      }
    }
  }
  program.forEach((steps, i) => rt.spawn(worker(i, steps), { name: `w${i}` }));
}

/** Wait for `op` or `ms`, whichever comes first (both the runtime's own futures). */
function* timeoutRace(op: Operation<unknown>, ms: number): Operation<void> {
  yield* race(op, sleep(ms));
}

/**
 * The trace as comparable lines. Channels and notifies number themselves from a process-wide
 * counter (`channel#7`), so those numbers are left out: each run builds its own.
 */
function shape(events: readonly TraceEvent[]): string[] {
  return events.map((e) => {
    const detail = e.detail === undefined ? "" : ` ${e.detail.replace(/#\d+/g, "#")}`;
    return `${e.t} ${e.kind} #${e.task}${e.name === undefined ? "" : ` ${e.name}`}${detail} by ${String(e.by)}`;
  });
}

describe("Core v2 · property (c): the time slice never changes the schedule of the runtime's own futures", () => {
  it("gives runSync() and a virtual-clock run() the same trace for slice 0.01, 1 and 1000 ms", async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(programArb, fc.integer({ min: 1, max: 256 }), async (program, budget) => {
        const reference = new Runtime({ clock: "virtual", trace: true, budget });
        install(reference, program);
        reference.runSync();
        const expected = shape(reference.trace);
        for (const slice of [0.01, 1, 1000]) {
          const rt = new Runtime({ clock: "virtual", trace: true, budget, slice });
          install(rt, program);
          await rt.run();
          expect(shape(rt.trace), `slice ${slice} ms, budget ${budget}`).to.deep.equal(expected);
          const sync = new Runtime({ clock: "virtual", trace: true, budget, slice });
          install(sync, program);
          sync.runSync();
          expect(shape(sync.trace), `runSync with slice ${slice} ms`).to.deep.equal(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("rejects a slice that is not a number of ms", () => {
    for (const slice of [-1, Number.NaN, "1" as unknown as number]) {
      expect(() => new Runtime({ slice }), String(slice)).to.throw(/slice/);
    }
  });
});
