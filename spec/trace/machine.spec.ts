// The machine rebuilt from a trace equals the driver's own state: for random programs (timers,
// combinators, a channel, a mutex, aborts, failures, budget-forced yields) under FIFO and under the random and PCT schedulers of
// wakeful/testing, stepped by hand with rt.step(), the replayed run queue, parked set, timer heap,
// running task and clock match the runtime's at every step and at every poll.

import { expect } from "chai";
import fc from "fast-check";
import { channel, Mutex, race, ready, Runtime, sleep, spawn, timeout, yieldNow, all, type JoinHandle, type Operation, type Receiver, type Sender, type TraceEvent } from "../../lib/index";
import { currentTask } from "../../lib/current";
import { PARKED, Task } from "../../lib/task";
import { pct, random } from "../../lib/testing/index";
import { MachineReplay, machineStates, type MachineState } from "../../lib/trace/machine";
import type { Scheduler } from "../../lib/scheduler";

type Act =
  | { do: "sleep"; ms: number }
  | { do: "yield" }
  | { do: "spawn"; acts: Act[] }
  | { do: "join" }
  | { do: "abort" }
  | { do: "send" }
  | { do: "recv" }
  | { do: "lock"; ms: number }
  | { do: "timeout"; ms: number; inner: number }
  | { do: "race"; a: number; b: number }
  | { do: "all"; a: number; b: number }
  | { do: "busy" }
  | { do: "fail" };

const ms = fc.integer({ min: 0, max: 6 });
const leaf: fc.Arbitrary<Act> = fc.oneof(
  fc.record({ do: fc.constant("sleep" as const), ms }),
  fc.record({ do: fc.constant("yield" as const) }),
  fc.record({ do: fc.constant("join" as const) }),
  fc.record({ do: fc.constant("abort" as const) }),
  fc.record({ do: fc.constant("send" as const) }),
  fc.record({ do: fc.constant("recv" as const) }),
  fc.record({ do: fc.constant("lock" as const), ms }),
  fc.record({ do: fc.constant("timeout" as const), ms, inner: ms }),
  fc.record({ do: fc.constant("race" as const), a: ms, b: ms }),
  fc.record({ do: fc.constant("all" as const), a: ms, b: ms }),
  fc.record({ do: fc.constant("busy" as const) }),
  fc.record({ do: fc.constant("fail" as const) }),
);
const acts: fc.Arbitrary<Act[]> = fc.letrec<{ list: Act[]; act: Act }>((tie) => ({
  list: fc.array(tie("act"), { maxLength: 5 }),
  act: fc.oneof({ depthSize: "small" }, leaf, leaf, leaf, fc.record({ do: fc.constant("spawn" as const), acts: tie("list") })),
})).list;

interface World {
  tx: Sender<number>;
  rx: Receiver<number>;
  lock: Mutex<number>;
}

function* perform(w: World, list: Act[]): Operation<void> {
  const children: JoinHandle<void>[] = [];
  try {
    for (const a of list) {
      if (a.do === "sleep") yield* sleep(a.ms);
      else if (a.do === "yield") yield* yieldNow();
      else if (a.do === "spawn") children.push(spawn(perform(w, a.acts), { name: `child${children.length}` }));
      else if (a.do === "join") {
        const c = children.pop();
        if (c !== undefined) {
          try {
            yield* c;
          } catch {
            // a cancelled child is expected here
          }
        }
      } else if (a.do === "abort") children.pop()?.abort();
      else if (a.do === "send") {
        try {
          yield* timeout(4, w.tx.send(1));
        } catch {
          // the buffer stayed full
        }
      }
      else if (a.do === "recv") {
        try {
          yield* timeout(5, w.rx.recv());
        } catch {
          // nobody sent in time
        }
      } else if (a.do === "lock") {
        const g = yield* w.lock.lock();
        try {
          yield* sleep(a.ms);
        } finally {
          g.release();
        }
      } else if (a.do === "timeout") {
        try {
          yield* timeout(a.ms, sleep(a.inner));
        } catch {
          // timed out
        }
      } else if (a.do === "race") yield* race(sleep(a.a), sleep(a.b));
      else if (a.do === "all") yield* all([sleep(a.a), sleep(a.b)]);
      else if (a.do === "busy") {
        for (let i = 0; i < 150; i++) yield* ready(i); // past the budget of 128 polls: a forced yield
      } else throw new Error("planned failure");
    }
  } finally {
    for (const c of children) c.abort();
  }
}

/** The driver's real state, read through its internals. */
function real(rt: Runtime): { queue: number[]; parked: number[]; timers: [number, number][] } {
  const d = rt.driver;
  return {
    queue: d.queue.toArray().map((t) => t.id),
    parked: d
      .liveTasks()
      .filter((t) => t.state === PARKED)
      .map((t) => t.id)
      .sort((a, b) => a - b),
    timers: d.timers.sorted().map((e) => [e.deadline, e.seq]),
  };
}

function rebuilt(s: MachineState): { queue: number[]; parked: number[]; timers: [number, number][] } {
  return { queue: s.queue.map((q) => q.task), parked: s.parked.map((p) => p.task), timers: s.timers.map((t) => [t.deadline, t.seq]) };
}

/** Run `mains` stepping by hand, comparing the replay with the driver after every step and at every poll. */
function check(mains: Act[][], scheduler: Scheduler | undefined): TraceEvent[] {
  const replay = new MachineReplay();
  const events: TraceEvent[] = [];
  const rt = new Runtime({
    clock: "virtual",
    scheduler,
    onTaskError: () => {},
    trace: (e) => {
      events.push(e);
      replay.apply(e);
      if (e.kind === "poll") {
        // The task being polled, and the owner of every armed timer, as the replay has them.
        const s = replay.snapshot();
        expect(s.running, `running at event ${events.length - 1}`).to.equal(currentTask()?.id);
        expect(s.step?.polling).to.equal(e.detail);
        // A timer's sole waiter, when it is a task, is the one that armed it (a shared timer has several).
        const owners = rt.driver.timers.sorted().map((t) => {
          const w = (t as { waiters?: unknown }).waiters;
          return w instanceof Task ? w.id : undefined;
        });
        s.timers.forEach((tm, i) => {
          if (owners[i] !== undefined) expect(tm.task, `owner of timer ${tm.seq}`).to.equal(owners[i]);
        });
      }
    },
  });
  const [tx, rx] = channel<number>(1);
  const w: World = { tx, rx, lock: new Mutex(0) };
  mains.forEach((m, i) => rt.spawn(perform(w, m), { name: `main${i}` }));
  for (let step = 0; step < 2000; step++) {
    const r = rt.step();
    const s = replay.snapshot();
    expect(rebuilt(s), `after step ${step}`).to.deep.equal(real(rt));
    expect(s.running).to.equal(undefined);
    if (events.length > 0) expect(s.t).to.equal(rt.now());
    if (r === undefined) break;
  }
  return events;
}

const schedulers: [string, (seed: number) => Scheduler | undefined][] = [
  ["FIFO", () => undefined],
  ["random", (seed) => random(seed)],
  ["PCT", (seed) => pct(seed, 3)],
];

describe("trace: the machine rebuilt from events", () => {
  for (const [name, make] of schedulers) {
    it(`equals the driver's queue, parked set, timers, running task and clock at every step (${name})`, () => {
      fc.assert(
        fc.property(fc.array(acts, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 2 ** 30 }), (mains, seed) => {
          check(mains, make(seed));
        }),
        { numRuns: 150 },
      );
    });
  }

  it("says why a task ran: the head of the queue under FIFO, the scheduler's choice otherwise", () => {
    const fifoEvents = check([[{ do: "yield" }], [{ do: "yield" }]], undefined);
    const fifoSteps = machineStates(fifoEvents).map((s) => s.step?.picked).filter((p) => p !== undefined);
    expect(new Set(fifoSteps)).to.deep.equal(new Set(["head of the run queue (FIFO)"]));
    const chosen = check([[{ do: "yield" }], [{ do: "yield" }], [{ do: "yield" }]], random(7));
    expect(chosen.some((e) => e.kind === "pick")).to.equal(true);
    const picks = machineStates(chosen)
      .map((s) => s.step?.picked ?? "")
      .filter((p) => p.startsWith("the scheduler's pick"));
    expect(picks.length).to.be.above(0);
  });

  it("names the timer that will wake a parked sleeper and who queued each ready task", () => {
    const events = check([[{ do: "sleep", ms: 5 }], [{ do: "spawn", acts: [] }]], undefined);
    const states = machineStates(events);
    const parked = states.find((s) => s.parked.length > 0) as MachineState;
    expect(parked.parked[0]).to.include({ task: 1, on: "sleep(5) until t=5", wakeBy: "timer t=5 #0" });
    const queued = states.flatMap((s) => s.queue.map((q) => q.why));
    expect(queued).to.include.members(["spawned from outside", "spawned by #2", "woken by timer t=5 #0"]);
  });

  it("shows the yield site a poll event carries, and forgets it at the poll's outcome", () => {
    const events = [
      { t: 0, kind: "spawn", task: 1, name: "main", by: "outside" },
      { t: 0, kind: "poll", task: 1, name: "main", detail: "recv on channel#1", site: "examples/x.ts:12" },
      { t: 0, kind: "ready", task: 1, name: "main" },
    ] as TraceEvent[];
    const states = machineStates(events, { compact: false });
    expect(states[1]?.step).to.include({ polling: "recv on channel#1", site: "examples/x.ts:12", picked: "head of the run queue (FIFO)" });
    expect(states[2]?.step).to.include({ polling: undefined, site: undefined });
  });
});
