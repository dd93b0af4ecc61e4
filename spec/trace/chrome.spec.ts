import { expect } from "chai";
import fc from "fast-check";
import { run, sleep, spawn, yieldNow } from "../../lib/index";
import { chromeTrace, type ChromeTrace, type ChromeTraceEvent, type TraceEvent } from "../../lib/trace/index";
import { actionsArbitrary, richTrace, traceOf } from "./support/programs";

const slices = (tr: ChromeTrace, cat?: string) => tr.traceEvents.filter((e) => e.ph === "X" && (cat === undefined || e.cat === cat));
const end = (e: ChromeTraceEvent) => (e.ts as number) + (e.dur as number);

/** Asserts what Perfetto needs to draw a trace: proper nesting per lane, and flows with both ends inside steps. */
function expectWellFormed(tr: ChromeTrace, events: readonly TraceEvent[]): void {
  expect(JSON.parse(JSON.stringify(tr))).to.deep.equal(tr);
  for (const e of tr.traceEvents) {
    expect(e.pid).to.equal(1);
    if (e.ph !== "M") expect(Number.isFinite(e.ts) && (e.ts as number) >= 0, JSON.stringify(e)).to.equal(true);
    if (e.ph === "X") expect(e.dur as number, JSON.stringify(e)).to.be.at.least(0);
  }
  const byTid = new Map<number, ChromeTraceEvent[]>();
  for (const s of slices(tr)) byTid.set(s.tid, [...(byTid.get(s.tid) ?? []), s]);
  for (const [tid, list] of byTid) {
    list.sort((a, b) => (a.ts as number) - (b.ts as number) || (b.dur as number) - (a.dur as number));
    const stack: ChromeTraceEvent[] = [];
    for (const s of list) {
      while (stack.length > 0 && end(stack[stack.length - 1] as ChromeTraceEvent) <= (s.ts as number)) stack.pop();
      const top = stack[stack.length - 1];
      if (top !== undefined) expect(end(s), `lane ${tid}: ${s.name} overlaps ${top.name} partially`).to.be.at.most(end(top));
      stack.push(s);
    }
  }
  const inStep = (tid: number, ts: number) => slices(tr, "step").some((s) => s.tid === tid && (s.ts as number) <= ts && ts < end(s));
  const starts = tr.traceEvents.filter((e) => e.ph === "s");
  const finishes = tr.traceEvents.filter((e) => e.ph === "f");
  expect(finishes).to.have.length(starts.length);
  for (const s of starts) {
    const f = finishes.filter((x) => x.id === s.id);
    expect(f, `flow ${s.id}`).to.have.length(1);
    const fin = f[0] as ChromeTraceEvent;
    expect(fin.cat).to.equal(s.cat);
    expect(fin.bp).to.equal("e");
    expect(fin.ts as number).to.be.above(s.ts as number);
    expect(inStep(s.tid, s.ts as number), `flow ${s.id} starts inside a step of #${s.tid}`).to.equal(true);
    expect(inStep(fin.tid, fin.ts as number), `flow ${s.id} ends inside a step of #${fin.tid}`).to.equal(true);
  }
  expect(slices(tr, "poll")).to.have.length(events.filter((e) => e.kind === "poll").length);
  const ids = [...new Set(events.map((e) => e.task))].sort((a, b) => a - b);
  expect(tr.traceEvents.filter((e) => e.name === "thread_name").map((e) => e.tid)).to.deep.equal(ids);
}

describe("trace: chromeTrace(events)", () => {
  it("names one thread lane per task, sorted by id", () => {
    const tr = chromeTrace(richTrace());
    const names = tr.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [e.tid, e.args?.name]);
    expect(names).to.deep.equal([[1, "#1 main"], [2, "#2"], [3, "#3 child0"], [4, "#4 child1"]]);
    expect(tr.traceEvents[0]).to.deep.include({ name: "process_name", ph: "M", args: { name: "wakeful runtime" } });
    expect(tr.displayTimeUnit).to.equal("ms");
  });

  it("draws each step as a slice with its polls nested inside, named by their futures and outcomes", () => {
    const tr = chromeTrace(richTrace());
    const steps = slices(tr, "step").filter((s) => s.tid === 1);
    expect(steps.map((s) => s.name)).to.deep.equal(["step → park", "step → park", "step → complete"]);
    const polls = slices(tr, "poll").filter((s) => s.tid === 1);
    expect(polls.map((p) => [p.name, p.args?.outcome])).to.deep.equal([
      ["poll sleep(5)", "Pending"],
      ["poll sleep(5) until t=5", "Ready"],
      ['poll join task #3 "child0"', "Pending"],
      ['poll join task #3 "child0"', "Ready"],
    ]);
    expect(polls[0]?.args?.["parked on"]).to.equal("sleep(5) until t=5");
  });

  it("ends the slice of a poll that threw at its throw, with the error as its outcome", () => {
    const tr = chromeTrace(richTrace());
    const poll = slices(tr, "poll").find((p) => p.name === "poll pollFn") as ChromeTraceEvent;
    expect(poll.tid).to.equal(2);
    expect(poll.args?.outcome).to.equal("threw Error: poll failed");
    expect(poll.dur).to.equal(1);
  });

  it("draws parked and queued stretches between steps", () => {
    const tr = chromeTrace(richTrace());
    const waits = slices(tr).filter((s) => s.tid === 1 && s.cat !== "step" && s.cat !== "poll");
    expect(waits.map((w) => w.name)).to.deep.equal([
      "ready, waiting to run",
      "parked: sleep(5) until t=5",
      "ready, waiting to run",
      'parked: join task #3 "child0"',
      "ready, waiting to run",
    ]);
  });

  it("draws a wake, an abort and a spawn by another task as flow arrows from waker to woken", () => {
    const tr = chromeTrace(richTrace());
    const flows = tr.traceEvents.filter((e) => e.ph === "s").map((s) => {
      const f = tr.traceEvents.find((e) => e.ph === "f" && e.id === s.id) as ChromeTraceEvent;
      return `${s.name} #${s.tid} → #${f.tid}`;
    });
    expect(flows).to.deep.equal(["spawn #1 → #3", "spawn #1 → #4", "abort #1 → #4", "wake #3 → #1"]);
  });

  it("shows spawns, timer fires and endings as instants on the task's lane", () => {
    const tr = chromeTrace(richTrace());
    const instants = tr.traceEvents.filter((e) => e.ph === "i" && e.tid === 3).map((e) => e.name);
    expect(instants).to.include.members(["spawned by #1", "timer fires (deadline 10)", "woken by timer", "complete"]);
    expect(tr.traceEvents.filter((e) => e.ph === "i" && e.tid === 1).map((e) => e.name)).to.include("spawn");
    expect(tr.traceEvents.filter((e) => e.ph === "i" && e.tid === 2).map((e) => e.name)).to.include("fail: Error: planned failure");
    for (const e of tr.traceEvents.filter((x) => x.ph === "i")) expect(e.s).to.equal("t");
  });

  it("keeps the runtime clock by default, spreading events that share a time 1 µs apart", () => {
    const events = richTrace();
    const tr = chromeTrace(events);
    const timer = tr.traceEvents.find((e) => e.name === "timer fires (deadline 10)") as ChromeTraceEvent;
    expect(timer.ts).to.equal(10_000);
    expect(timer.args?.["runtime time (ms)"]).to.equal("10");
    expect(tr.otherData.time).to.equal("runtime");
  });

  it("puts one event per µs in sequence mode", () => {
    const events = richTrace();
    const tr = chromeTrace(events, { time: "sequence" });
    const last = Math.max(...tr.traceEvents.filter((e) => e.ph !== "M").map((e) => (e.ph === "X" ? end(e) : (e.ts as number))));
    expect(last).to.be.at.most(events.length + 1);
    expectWellFormed(tr, events);
  });

  it("handles a real clock's fractional times", async () => {
    const events: TraceEvent[] = [];
    await run(
      function* () {
        const h = spawn(function* () {
          yield* sleep(2);
        });
        yield* yieldNow();
        yield* h;
      },
      { trace: (e) => void events.push(e) },
    );
    const tr = chromeTrace(events);
    expectWellFormed(tr, events);
    const timer = tr.traceEvents.find((e) => e.cat === "timer") as ChromeTraceEvent;
    expect(timer.ts as number).to.be.at.least(2000);
  });

  it("rejects bad input and options with errors naming them", () => {
    expect(() => chromeTrace(42 as never)).to.throw(TypeError, "chromeTrace() needs an array of trace events (runtime.trace), not 42");
    expect(() => chromeTrace([], { time: "wall" as never })).to.throw(RangeError, 'time must be "runtime" or "sequence", not "wall"');
    expect(() => chromeTrace([], { name: 3 as never })).to.throw(TypeError, "name must be a string, not 3");
    expect(chromeTrace([]).traceEvents).to.have.length(1);
  });

  it("is well-formed for any run: proper nesting, flows with both ends in steps (property)", () => {
    fc.assert(
      fc.property(actionsArbitrary, actionsArbitrary, fc.constantFrom("runtime" as const, "sequence" as const), (a, b, time) => {
        const events = traceOf(a, b);
        expectWellFormed(chromeTrace(events, { time }), events);
      }),
      { numRuns: 60 },
    );
  });

  it("stays well-formed for a trace cut off at any point (property)", () => {
    fc.assert(
      fc.property(actionsArbitrary, fc.nat(), (a, cut) => {
        const all = traceOf(a);
        const events = all.slice(0, cut % (all.length + 1));
        expectWellFormed(chromeTrace(events), events);
      }),
      { numRuns: 60 },
    );
  });
});
