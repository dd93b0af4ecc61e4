import { expect } from "chai";
import fc from "fast-check";
import { Runtime, sleep, spawn, yieldNow } from "../../lib/index";
import { timeline, type TraceEvent } from "../../lib/trace/index";
import { actionsArbitrary, richTrace, traceOf } from "./support/programs";

/** The rows of a chart: the lines between the header rule and the legend. */
function rowsOf(chart: string): string[] {
  const lines = chart.split("\n");
  const body = lines.slice(2);
  return body[body.length - 1]?.trimStart().startsWith("(") ? body.slice(0, -1) : body;
}

/** The text of lane `i` in a row, found by the header's column positions. */
function cellOf(chart: string, row: string, i: number): string {
  const header = chart.split("\n")[0] as string;
  const starts = [...header.matchAll(/#\d+/g)].map((m) => m.index as number);
  const from = starts[i] as number;
  const to = starts[i + 1] ?? Infinity;
  return row.slice(from, to).trim();
}

describe("trace: timeline(events)", () => {
  it("draws the documented chart for one sleeping task", () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    rt.spawn(function* () {
      yield* sleep(5);
    }, { name: "main" });
    rt.runSync();
    expect(timeline(rt.trace)).to.equal(
      [
        "t │ #1 main",
        "──┼───────────────────────────────",
        "0 │ spawn",
        "  │ poll sleep(5) until t=5 → park",
        "5 │ timer fires → woken",
        "  │ poll sleep(5) until t… → Ready",
        "  │ complete",
      ].join("\n"),
    );
  });

  it("gives each task one lane, in id order, labelled with its id and name", () => {
    const chart = timeline(richTrace());
    const header = chart.split("\n")[0] as string;
    expect([...header.matchAll(/#\d+( \w+)?/g)].map((m) => m[0].trim())).to.deep.equal(["#1 main", "#2", "#3 child0", "#4 child1"]);
  });

  it("shows the time only on the first row at each time", () => {
    const times = rowsOf(timeline(richTrace())).map((r) => r.split("│")[0]?.trim());
    expect(times.filter((t) => t !== "")).to.deep.equal(["0", "5", "10", "15"]);
  });

  it("writes a wake in the waker's lane and the woken task's lane on the same row", () => {
    const chart = timeline(richTrace());
    const row = rowsOf(chart).find((r) => r.includes("wake #1")) as string;
    expect(cellOf(chart, row, 0)).to.equal("woken by #3");
    expect(cellOf(chart, row, 2)).to.equal("wake #1");
    const abort = rowsOf(chart).find((r) => r.includes("abort #4")) as string;
    expect(cellOf(chart, abort, 3)).to.equal("aborted by #1");
  });

  it("marks a parked lane ╎, a ready lane │, and leaves a lane blank before its spawn and after its end", () => {
    const chart = timeline(richTrace());
    const rows = rowsOf(chart);
    const parkRow = rows.findIndex((r) => cellOf(chart, r, 0).startsWith("poll sleep(5)") && r.includes("→ park"));
    expect(cellOf(chart, rows[parkRow + 1] as string, 0)).to.equal("╎");
    expect(cellOf(chart, rows[0] as string, 1)).to.equal("");
    expect(cellOf(chart, rows[1] as string, 0)).to.equal("│");
    const failRow = rows.findIndex((r) => r.includes("fail: Error: planned failure"));
    expect(cellOf(chart, rows[failRow + 1] as string, 1)).to.equal("");
  });

  it("joins a poll with its outcome in compact mode, and shows one row per event without it", () => {
    const events = richTrace();
    const compact = rowsOf(timeline(events));
    const full = rowsOf(timeline(events, { compact: false, width: 100 }));
    expect(full).to.have.length(events.length);
    expect(compact.length).to.be.below(events.length);
    expect(compact.some((r) => r.includes("poll yieldNow() → requeued"))).to.equal(true);
    expect(full.some((r) => r.includes("woken by itself during its own poll"))).to.equal(true);
  });

  it("ends a poll that threw with the error it threw", () => {
    const chart = timeline(richTrace(), { width: 60 });
    expect(chart).to.include("poll pollFn → threw Error");
    expect(chart).not.to.include("poll failed"); // the message is in the trace and non-compact mode
    expect(timeline(richTrace(), { compact: false, width: 60 })).to.include("→ threw Error: poll failed");
  });

  it("cuts long text to the lane width with …, keeping the poll's outcome", () => {
    const chart = timeline(richTrace(), { width: 16 });
    for (const row of rowsOf(chart)) for (let i = 0; i < 4; i++) expect(cellOf(chart, row, i).length).to.be.at.most(16);
    expect(chart).to.include("poll sle… → park");
  });

  it("keeps only the last maxRows rows, and only the lanes with a part in them, saying what it left out", () => {
    const events = richTrace();
    const all = rowsOf(timeline(events, { legend: false }));
    const chart = timeline(events, { maxRows: 3, legend: false });
    const tail = rowsOf(chart);
    expect(tail).to.have.length(4);
    expect(tail[0]).to.include(`… ${all.length - 3} earlier rows not shown (and 2 tasks with no part in the rows below)`);
    expect([...(chart.split("\n")[0] as string).matchAll(/#\d+( \w+)?/g)].map((m) => m[0].trim())).to.deep.equal(["#1 main", "#3 child0"]);
    expect(cellOf(chart, tail[1] as string, 0)).to.equal("woken by #3");
    expect(cellOf(chart, tail[1] as string, 1)).to.equal("wake #1");
    expect(tail.slice(2).map((r) => cellOf(chart, r, 0))).to.deep.equal(['poll join task #3 "ch… → Ready', "complete"]);
    expect(tail[1]?.split("│")[0]?.trim()).to.equal("15"); // the first shown row carries its time
    expect(timeline(events, { maxRows: 1000 })).to.equal(timeline(events)); // nothing cut: every lane stays
  });

  it("explains only the marks it used in the legend", () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    rt.spawn(function* () {
      yield* yieldNow();
    });
    rt.runSync();
    expect(timeline(rt.trace)).not.to.include("ready to run");
    expect(timeline(richTrace())).to.include("(│ ready to run · ╎ parked · blank: not spawned yet, or finished)");
  });

  it("says how to get events when the trace is empty", () => {
    expect(timeline([])).to.equal("(no trace events: was the runtime created with { trace: true }?)");
    expect(timeline(new Runtime({ clock: "virtual" }).trace)).to.include("trace: true");
  });

  it("accepts events from a trace sink as any iterable", () => {
    const seen = new Set<TraceEvent>();
    const rt = new Runtime({ clock: "virtual", trace: (e) => void seen.add(e) });
    rt.spawn(function* () {
      yield* sleep(1);
    });
    rt.runSync();
    expect(timeline(seen)).to.include("timer fires → woken");
  });

  it("rejects what is not a trace with an error naming the problem", () => {
    expect(() => timeline(null as never)).to.throw(TypeError, "timeline() needs an array of trace events (runtime.trace), not null");
    expect(() => timeline([{ t: 0, kind: "spawn", task: 1 }, { t: "x", kind: "poll", task: 1 }] as never)).to.throw(TypeError, 'event 1 has t = "x"');
    expect(() => timeline([{ t: 0, kind: "spawn" }] as never)).to.throw(TypeError, "event 0 has task = undefined");
    expect(() => timeline([], { width: 3 })).to.throw(RangeError, "width must be a whole number ≥ 8, not 3");
    expect(() => timeline([], { maxRows: 0 })).to.throw(RangeError, "maxRows must be ≥ 1, not 0");
  });

  it("reads a task spawned from inside another as spawned by it", () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    rt.spawn(function* () {
      yield* spawn(function* () {
        yield* yieldNow();
      }, { name: "kid" });
    }, { name: "parent" });
    rt.runSync();
    const chart = timeline(rt.trace);
    const row = rowsOf(chart).find((r) => r.includes("spawn #2")) as string;
    expect(cellOf(chart, row, 1)).to.equal("spawned by #1");
  });

  it("shows every event of any run exactly once, in a lane per task (property)", () => {
    fc.assert(
      fc.property(actionsArbitrary, actionsArbitrary, (a, b) => {
        const events = traceOf(a, b);
        const chart = timeline(events, { compact: false, legend: false, width: 200 });
        const rows = rowsOf(chart);
        expect(rows).to.have.length(events.length);
        const ids = [...new Set(events.flatMap((e) => (typeof e.by === "number" ? [e.task, e.by] : [e.task])))].sort((x, y) => x - y);
        const header = chart.split("\n")[0] as string;
        expect([...header.matchAll(/#(\d+)/g)].map((m) => Number(m[1]))).to.deep.equal(ids);
        events.forEach((e, r) => {
          const cell = cellOf(chart, rows[r] as string, ids.indexOf(e.task));
          expect(cell, `row ${r} for ${JSON.stringify(e)}`).to.not.match(/^[│┃╎]?$/);
        });
        const compactRows = rowsOf(timeline(events, { legend: false }));
        expect(compactRows.length).to.be.at.most(events.length);
      }),
      { numRuns: 60 },
    );
  });

  it("marks a lane parked exactly between its park and its next wake (property)", () => {
    fc.assert(
      fc.property(actionsArbitrary, (a) => {
        const events = traceOf(a);
        const chart = timeline(events, { compact: false, legend: false, width: 200 });
        const rows = rowsOf(chart);
        const ids = [...new Set(events.map((e) => e.task))].sort((x, y) => x - y);
        const parked = new Set<number>();
        events.forEach((e, r) => {
          ids.forEach((id, i) => {
            const cell = cellOf(chart, rows[r] as string, i);
            if (id !== e.task && e.by !== id) expect(cell === "╎", `lane #${id} at row ${r}`).to.equal(parked.has(id));
          });
          if (e.kind === "park") parked.add(e.task);
          if (e.kind === "wake") parked.delete(e.task);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe("trace: timeline(events, { state: true })", () => {
  const run = () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    rt.spawn(function* () {
      spawn(function* () {
        yield* sleep(3);
      }, { name: "child" });
      yield* sleep(5);
    }, { name: "main" });
    rt.runSync();
    return rt.trace;
  };

  it("prints after each row the run queue (and why each task is in it), the parked tasks, the timers, and why a step's task ran", () => {
    expect(timeline(run(), { state: true, legend: false })).to.equal(
      [
        "t │ #1 main                         #2 child",
        "──┼───────────────────────────────────────────────────────────────",
        "0 │ spawn",
        "  ┆   queue:  1. #1 main (spawned from outside)",
        "  ┆   parked: none",
        "  ┆   timers: none armed",
        "  │ spawn #2                        spawned by #1",
        "  ┆   step: #1 main ran as head of the run queue (FIFO); it was spawned from outside",
        "  ┆   running: #1 main",
        "  ┆   queue:  1. #2 child (spawned by #1)",
        "  ┆   parked: none",
        "  ┆   timers: none armed",
        "  │ poll sleep(5) until t=5 → park  │",
        "  ┆   queue:  1. #2 child (spawned by #1)",
        "  ┆   parked: #1 main on sleep(5) until t=5 ⇠ timer t=5 #0",
        "  ┆   timers: t=5 #0 (#1 main)",
        "  │ ╎                               poll sleep(3) until t=3 → park",
        "  ┆   step: #2 child ran as head of the run queue (FIFO); it was spawned by #1",
        "  ┆   queue:  empty",
        "  ┆   parked: #1 main on sleep(5) until t=5 ⇠ timer t=5 #0",
        "  ┆           #2 child on sleep(3) until t=3 ⇠ timer t=3 #1",
        "  ┆   timers: t=3 #1 (#2 child)",
        "  ┆           t=5 #0 (#1 main)",
        "3 │ ╎                               timer fires → woken",
        "  ┆   queue:  1. #2 child (woken by timer t=3 #1)",
        "  ┆   parked: #1 main on sleep(5) until t=5 ⇠ timer t=5 #0",
        "  ┆   timers: t=5 #0 (#1 main)",
        "  │ ╎                               poll sleep(3) until t… → Ready",
        "  ┆   step: #2 child ran as head of the run queue (FIFO); it was woken by timer t=3 #1",
        "  ┆   running: #2 child",
        "  ┆   queue:  empty",
        "  ┆   parked: #1 main on sleep(5) until t=5 ⇠ timer t=5 #0",
        "  ┆   timers: t=5 #0 (#1 main)",
        "  │ ╎                               complete",
        "  ┆   queue:  empty",
        "  ┆   parked: #1 main on sleep(5) until t=5 ⇠ timer t=5 #0",
        "  ┆   timers: t=5 #0 (#1 main)",
        "5 │ timer fires → woken",
        "  ┆   queue:  1. #1 main (woken by timer t=5 #0)",
        "  ┆   parked: none",
        "  ┆   timers: none armed",
        "  │ poll sleep(5) until t… → Ready",
        "  ┆   step: #1 main ran as head of the run queue (FIFO); it was woken by timer t=5 #0",
        "  ┆   running: #1 main",
        "  ┆   queue:  empty",
        "  ┆   parked: none",
        "  ┆   timers: none armed",
        "  │ complete",
        "  ┆   queue:  empty",
        "  ┆   parked: none",
        "  ┆   timers: none armed",
      ].join("\n"),
    );
  });

  it("rebuilds the state from the first event even when maxRows leaves rows out", () => {
    const full = timeline(run(), { state: true, legend: false }).split("\n");
    const tail = timeline(run(), { state: true, legend: false, maxRows: 2 }).split("\n");
    // The same last two rows and their state lines (the first shown row now prints its time).
    expect(tail.slice(4)).to.deep.equal(full.slice(-9));
    expect(tail[3]).to.equal(`5${(full[full.length - 10] as string).slice(1)}`);
  });

  it("prints no state lines without the option", () => {
    expect(timeline(run())).not.to.include("┆");
  });
});
