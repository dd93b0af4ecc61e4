// chromeTrace(events): Trace Event Format JSON for Perfetto and chrome://tracing. A thread lane
// per task; steps as slices with their polls nested; parked and queued stretches as slices; a
// wake or spawn by another task as a flow arrow; timers and endings as instants. Invariant:
// slices on one lane never overlap partially, and every flow arrow has both ends.

import type { TraceEvent } from "../events";
import { describeValue } from "../poll";
import { checkEvents, formatTime, lanesOf } from "./lanes";
import { isQuiet } from "./moves";
import { type Step, stepsOf } from "./steps";
import { ownText } from "./words";

/** How {@link chromeTrace} places events in time. @public */
export interface ChromeTraceOptions {
  /**
   * `"runtime"` (default): the runtime clock (ms → µs); events that share a time (every event
   * of a step on a virtual clock) are spread 1 µs apart so their order shows.
   * `"sequence"`: one event per µs, ignoring the clock: every step gets the same room.
   */
  time?: "runtime" | "sequence";
  /** The process name shown above the lanes. Default `"wakeful runtime"`. */
  name?: string;
}

/** One record of the Trace Event Format. @public */
export interface ChromeTraceEvent {
  /** The slice's, instant's or arrow's label. */
  name: string;
  /** Phase: `X` a complete slice, `i` an instant, `s`/`f` a flow arrow's start/finish, `M` metadata. */
  ph: "X" | "i" | "s" | "f" | "M";
  /** Process id (one per runtime). */
  pid: number;
  /** Thread id: the task's lane. */
  tid: number;
  /** Start time (µs). */
  ts?: number;
  /** Duration of an `X` slice (µs). */
  dur?: number;
  /** Category, for filtering in the viewer. */
  cat?: string;
  /** Scope of an instant: thread, process or global. */
  s?: "t" | "p" | "g";
  /** Pairs a flow arrow's start and finish. */
  id?: number;
  /** Binding point of a flow finish: `e`, the enclosing slice. */
  bp?: "e";
  /** Details shown when the event is selected. */
  args?: Record<string, unknown>;
}

/** The JSON object format of the Trace Event Format: write it with `JSON.stringify`. @public */
export interface ChromeTrace {
  /** Every record: metadata, slices, instants and flow arrows. */
  traceEvents: ChromeTraceEvent[];
  /** How the viewer shows times. */
  displayTimeUnit: "ms";
  /** About the export (the generator, the time mode, the event count), shown in the viewer's metadata. */
  otherData: Record<string, string | number>;
}

const PID = 1;

/**
 * Trace Event Format JSON of a trace: save `JSON.stringify(chromeTrace(rt.trace))` to a
 * `.json` file and open it in https://ui.perfetto.dev or chrome://tracing.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", trace: true });
 * rt.spawn(main());
 * rt.runSync();
 * writeFileSync("build/run.trace.json", JSON.stringify(chromeTrace(rt.trace)));
 * ```
 * @public
 */
export function chromeTrace(events: Iterable<TraceEvent> | ArrayLike<TraceEvent>, options: ChromeTraceOptions = {}): ChromeTrace {
  const list = checkEvents(events, "chromeTrace()");
  const mode = options.time ?? "runtime";
  if (mode !== "runtime" && mode !== "sequence") throw new RangeError(`chromeTrace() time must be "runtime" or "sequence", not ${describeValue(mode)}`);
  const processName = options.name ?? "wakeful runtime";
  if (typeof processName !== "string") throw new TypeError(`chromeTrace() name must be a string, not ${describeValue(processName)}`);

  const ts = timestamps(list, mode);
  const { steps, stepOf } = stepsOf(list);
  const out: ChromeTraceEvent[] = [{ name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: processName } }];
  for (const lane of lanesOf(list)) {
    out.push({ name: "thread_name", ph: "M", pid: PID, tid: lane.id, args: { name: lane.label } });
    out.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: lane.id, args: { sort_index: lane.id } });
  }

  // Where each step's slice ends: after its last event, before anything later on the lane.
  const stepEnd = (s: Step) => (ts[s.last] as number) + 0.5;
  for (const s of steps) {
    const first = list[s.first] as TraceEvent;
    const end = s.end >= 0 ? (list[s.end] as TraceEvent) : undefined;
    out.push({
      name: end === undefined ? "step (trace ends)" : `step → ${end.kind}`,
      cat: "step",
      ph: "X",
      pid: PID,
      tid: s.task,
      ts: ts[s.first] as number,
      dur: stepEnd(s) - (ts[s.first] as number),
      args: { "runtime time (ms)": formatTime(first.t), ended: end === undefined ? "the trace stops here" : ownText(end) },
    });
  }
  out.push(...pollSlices(list, ts, steps, stepOf));
  out.push(...waitSlices(list, ts, steps, stepOf));

  // Wakes and spawns by another task: an arrow from its step to the step they lead to. Spawns,
  // timer fires, wakes from elsewhere and endings: instants on the task's lane.
  let flowId = 0;
  const nextStepOf = nextStepFinder(steps);
  list.forEach((e, i) => {
    const t = ts[i] as number;
    const args = { "runtime time (ms)": formatTime(e.t), ...(e.detail === undefined ? {} : { detail: e.detail }) };
    if ((e.kind === "wake" || e.kind === "spawn") && typeof e.by === "number" && e.by !== e.task) {
      const target = nextStepOf(e.task, i);
      if (target !== undefined) {
        const id = ++flowId;
        const name = e.kind === "spawn" ? "spawn" : e.detail === "abort" ? "abort" : "wake";
        out.push({ name, cat: name, ph: "s", pid: PID, tid: e.by, ts: t, id, args });
        // Just inside the step it caused, so the arrow binds to that step, not the wait before it.
        out.push({ name, cat: name, ph: "f", bp: "e", pid: PID, tid: e.task, ts: (ts[target.first] as number) + 0.25, id, args });
        if (e.kind === "wake") return; // a spawn is also marked where the new lane begins
      }
    }
    if (e.kind === "poll" || e.kind === "ready" || e.kind === "park" || e.kind === "throw") return; // drawn as slices
    out.push({ name: ownText(e), cat: e.kind, ph: "i", s: "t", pid: PID, tid: e.task, ts: t, args });
  });

  return {
    traceEvents: out,
    displayTimeUnit: "ms",
    otherData: { generator: "wakeful/trace chromeTrace()", time: mode, events: list.length },
  };
}

/** Microsecond timestamps, strictly increasing, one per event. */
function timestamps(list: readonly TraceEvent[], mode: "runtime" | "sequence"): number[] {
  const ts: number[] = [];
  let prev = -Infinity;
  for (let i = 0; i < list.length; i++) {
    const t = mode === "sequence" ? i : Math.max((list[i] as TraceEvent).t * 1000, prev + 1);
    ts.push(t);
    prev = t;
  }
  return ts;
}

/** Each poll as a slice nested in its step, from the poll to its outcome. */
function pollSlices(list: readonly TraceEvent[], ts: number[], steps: Step[], stepOf: number[]): ChromeTraceEvent[] {
  const out: ChromeTraceEvent[] = [];
  list.forEach((e, i) => {
    if (e.kind !== "poll") return;
    const step = steps[stepOf[i] as number];
    if (step === undefined) return;
    let j = i + 1;
    // The poll ends at the task's next own event in this step, other than a wake it gave itself
    // or a timer it armed or disarmed on the way.
    while (j <= step.last && ((list[j] as TraceEvent).task !== e.task || (list[j] as TraceEvent).kind === "wake" || isQuiet((list[j] as TraceEvent).kind))) j++;
    const endIdx = Math.min(j, step.last);
    const next = j <= step.last ? (list[j] as TraceEvent) : undefined;
    const outcome =
      next === undefined ? "the step ends"
      : next.kind === "ready" ? "Ready"
      : next.kind === "park" || next.kind === "pending" ? "Pending"
      : next.kind === "throw" ? `threw ${next.detail ?? ""}`.trim()
      : `followed by ${next.kind}`;
    const end = next === undefined ? (ts[step.last] as number) + 0.5 : (ts[endIdx] as number);
    out.push({
      name: `poll ${e.detail ?? "a future"}`,
      cat: "poll",
      ph: "X",
      pid: PID,
      tid: e.task,
      ts: ts[i] as number,
      dur: end - (ts[i] as number),
      args: { "runtime time (ms)": formatTime(e.t), outcome, ...(next?.kind === "park" && next.detail !== undefined ? { "parked on": next.detail } : {}) },
    });
  });
  return out;
}

/** Between steps, a task is parked (from its park to its wake) or queued (from then to its next step). */
function waitSlices(list: readonly TraceEvent[], ts: number[], steps: Step[], stepOf: number[]): ChromeTraceEvent[] {
  const out: ChromeTraceEvent[] = [];
  const since = new Map<number, { from: number; parkedOn: string | undefined; queuedAt: number }>();
  const push = (tid: number, name: string, cat: string, from: number, to: number) => {
    if (to > from) out.push({ name, cat, ph: "X", pid: PID, tid, ts: from, dur: to - from });
  };
  const lastTs = (ts[ts.length - 1] ?? 0) + 1;
  list.forEach((e, i) => {
    const s = stepOf[i] as number;
    const step = steps[s];
    if (step !== undefined && step.first === i) {
      // A task starts running (its first event may be a spawn or wake it causes): close its wait.
      const w = since.get(step.task);
      if (w !== undefined) {
        if (w.parkedOn !== undefined) push(step.task, `parked: ${w.parkedOn}`, "parked", w.from, w.queuedAt < 0 ? (ts[i] as number) : w.queuedAt);
        if (w.queuedAt >= 0) push(step.task, "ready, waiting to run", "queued", w.queuedAt, ts[i] as number);
        since.delete(step.task);
      }
    }
    if (e.kind === "spawn") since.set(e.task, { from: ts[i] as number, parkedOn: undefined, queuedAt: ts[i] as number });
    else if (e.kind === "park" && step !== undefined) since.set(e.task, { from: (ts[step.last] as number) + 0.5, parkedOn: e.detail ?? "a future", queuedAt: -1 });
    else if (e.kind === "pending" && step !== undefined) since.set(e.task, { from: (ts[step.last] as number) + 0.5, parkedOn: undefined, queuedAt: (ts[step.last] as number) + 0.5 });
    else if (e.kind === "wake") {
      const w = since.get(e.task);
      if (w !== undefined && w.queuedAt < 0) w.queuedAt = ts[i] as number;
    } else if (e.kind === "complete" || e.kind === "fail" || e.kind === "cancel") since.delete(e.task);
  });
  // Whoever still waits when the trace stops waits to its end.
  for (const [tid, w] of since) {
    if (w.parkedOn !== undefined) push(tid, `parked: ${w.parkedOn}`, "parked", w.from, w.queuedAt < 0 ? lastTs : w.queuedAt);
    if (w.queuedAt >= 0) push(tid, "ready, waiting to run", "queued", w.queuedAt, lastTs);
  }
  return out;
}

/** Finds the first step of a task that starts after a given event. */
function nextStepFinder(steps: Step[]): (task: number, after: number) => Step | undefined {
  const byTask = new Map<number, Step[]>();
  for (const s of steps) {
    let l = byTask.get(s.task);
    if (l === undefined) byTask.set(s.task, (l = []));
    l.push(s);
  }
  return (task, after) => byTask.get(task)?.find((s) => s.first > after);
}
