// One schedule, run to its end: a fresh virtual-clock Runtime with the given scheduler, the
// test's setup, then steps until nothing can run, and an honest verdict. Invariant: every way a
// run can go wrong becomes a failure of a named kind — a thrown error, a deadlock, the step
// limit, or nondeterminism — nothing is dropped and nothing uncontrolled is accepted.

import type { VirtualClock } from "../clock";
import { DeadlockError } from "../errors";
import type { TraceEvent } from "../events";
import { describeValue } from "../poll";
import { Runtime } from "../runtime";
import type { TaskInfo } from "../task";
import { NondeterminismError, StepLimitError, type BusyTask } from "./errors";
import { describeReads, watchSources } from "./sources";
import type { DecisionRecord, RecordingScheduler } from "./recorder";
import type { Transition } from "./dfs";
import { endStep, startCollecting, stopCollecting } from "../footprint";

/**
 * A test: spawn the tasks to explore on `rt` (create the state they share here too, so every
 * schedule starts fresh). It may return a function, called after the tasks have all finished,
 * that checks the final state (throw to fail).
 * @public
 */
export type ScheduleTest = (rt: Runtime) => void | (() => void);

/** How a failing run failed; shrinking keeps a candidate only if it fails the same way. @public */
export type FailureKind = "error" | "deadlock" | "maxSteps" | "nondeterminism";

/** The verdict of one run. */
export interface RunOutcome {
  readonly kind: FailureKind | undefined;
  readonly error: unknown;
  /** Set when tasks were left deadlocked, even if a task's error is the reported failure. */
  readonly deadlock: DeadlockError | undefined;
  /** The choice taken at each decision point, and how many tasks were ready there. */
  readonly choices: readonly number[];
  readonly candidates: readonly number[];
  /** The same choices relative to the non-preemptive baseline, which decisions could preempt, and how many did. */
  readonly pchoices: readonly number[];
  readonly costly: readonly boolean[];
  readonly preemptions: number;
  /** With `collect`: each step's task and footprint, and the ready task ids at each decision. */
  readonly transitions: readonly Transition[] | undefined;
  readonly readyIds: readonly (readonly number[])[] | undefined;
  /** Steps (task polls) the run took. */
  readonly steps: number;
  readonly trace: readonly TraceEvent[] | undefined;
  readonly decisions: readonly DecisionRecord[] | undefined;
}

/** How many extra steps are sampled after the step limit, to say who keeps running. */
const LIVELOCK_SAMPLE = 64;

/**
 * The two candidates of a late-loop decision point: index 0 fires the next timer on time (what
 * an idle loop does), index 1 is late and fires every timer due within the window in one phase,
 * before any task they wake runs. Their ids are negative, so no task is mistaken for them.
 */
export const ON_TIME: TaskInfo = { id: -1, name: "event loop on time" };
export const LATE: TaskInfo = { id: -2, name: "event loop late" };

/**
 * Run `test` once under `scheduler`. With `traced`, the trace and every decision are kept.
 * `timerWindow` > 0 makes "is the loop late?" a decision wherever timers are due within that
 * many ms of the next one.
 */
export function runOnce(test: ScheduleTest, scheduler: RecordingScheduler, maxSteps: number, traced: boolean, timerWindow = 0, collect = false): RunOutcome {
  const { result, reads } = watchSources(() => {
    if (!collect) return runSteps(test, scheduler, maxSteps, traced, timerWindow, undefined);
    startCollecting();
    scheduler.keepReadyIds = true;
    try {
      return runSteps(test, scheduler, maxSteps, traced, timerWindow, { transitions: [], readyIds: [] });
    } finally {
      stopCollecting();
    }
  });
  if (reads.length === 0 || result.kind === "nondeterminism") return result;
  const error = new NondeterminismError(
    `the test read the host's clock or random numbers, which are not part of the schedule, so the same schedule can behave differently: ` +
      `${describeReads(reads).join("; ")}. Use the runtime clock (now(), sleep) and a seeded generator instead` +
      (result.kind === undefined ? "" : ` (the run also failed: ${result.error instanceof Error ? result.error.message : String(result.error)})`),
  );
  return { ...result, kind: "nondeterminism", error };
}

interface Collected {
  transitions: Transition[];
  readyIds: number[][];
}

function runSteps(test: ScheduleTest, scheduler: RecordingScheduler, maxSteps: number, traced: boolean, timerWindow: number, collected: Collected | undefined): RunOutcome {
  const taskErrors: unknown[] = [];
  if (traced) scheduler.log = [];
  const rt = new Runtime({
    clock: "virtual",
    scheduler,
    trace: traced,
    onTaskError: (error) => void taskErrors.push(error),
  });
  let steps = 0;
  const verdict = (kind: FailureKind | undefined, error: unknown, deadlock?: DeadlockError): RunOutcome => ({
    kind,
    error,
    deadlock,
    choices: scheduler.choices,
    candidates: scheduler.candidates,
    pchoices: scheduler.pchoices,
    costly: scheduler.costly,
    preemptions: scheduler.preemptions,
    transitions: collected?.transitions,
    readyIds: collected?.readyIds,
    steps,
    trace: traced ? rt.trace : undefined,
    decisions: scheduler.log,
  });

  let after: unknown;
  try {
    after = test(rt);
  } catch (error) {
    return verdict("error", error);
  }
  if (after !== undefined && typeof after !== "function") {
    return verdict("error", new TypeError(`a schedule test may return a function (a final check) or nothing, not ${describeValue(after)}`));
  }

  for (;;) {
    scheduler.stepsTaken = steps;
    if (timerWindow > 0) lateLoop(rt, scheduler, timerWindow);
    const decisions = scheduler.choices.length;
    const e = rt.step();
    if (e === undefined) break;
    scheduler.lastRan = e.task;
    scheduler.lastStillReady = e.kind === "pending";
    if (collected !== undefined) collect(collected, scheduler, decisions, e.task);
    if (++steps > maxSteps) {
      steps--;
      return verdict("maxSteps", new StepLimitError(maxSteps, sampleBusy(rt)));
    }
  }

  let deadlock: DeadlockError | undefined;
  let stuck: DeadlockError | undefined; // parked on promises or I/O the explorer cannot drive
  const external = rt.metrics.pendingExternal;
  try {
    rt.runSync(); // nothing can run: reports unjoined task errors, and the deadlock if tasks are left
  } catch (error) {
    if (!(error instanceof DeadlockError)) taskErrors.push(error);
    else if (external > 0) stuck = error;
    else deadlock = error;
  }

  if (taskErrors.length > 0) {
    const error = taskErrors.length === 1 ? taskErrors[0] : new AggregateError(taskErrors, `${taskErrors.length} tasks failed and nobody joined them`);
    return verdict("error", error, deadlock);
  }
  if (deadlock !== undefined) return verdict("deadlock", deadlock, deadlock);
  if (stuck !== undefined) {
    const waiting = stuck.tasks.map((t) => `  task #${t.id}${t.name === undefined ? "" : ` "${t.name}"`} waits on ${t.waitsOn}`).join("\n");
    return verdict(
      "nondeterminism",
      new NondeterminismError(
        `tasks wait on ${external} promise${external === 1 ? "" : "s"} or I/O outside the runtime: explore runs synchronously on a virtual clock and cannot wait for them, ` +
          `and when they settle would be up to the host, not the schedule. Replace them with runtime futures (channels, sleep) in the test:\n${waiting}`,
      ),
    );
  }
  const outside = rt.metrics.outsideWakes;
  if (outside > 0) {
    return verdict(
      "nondeterminism",
      new NondeterminismError(
        `${outside} wake${outside === 1 ? "" : "s"} came from outside the runtime (a host callback, a Promise, or another runtime): their timing is not part of the schedule, so the run cannot be replayed`,
      ),
    );
  }
  if (typeof after === "function") {
    try {
      (after as () => void)();
    } catch (error) {
      return verdict("error", error);
    }
  }
  return verdict(undefined, undefined);
}

/**
 * Idle, with timers armed: if others are due within `window` ms of the next, a real loop that
 * wakes late fires them all in one phase. Ask the scheduler; when it says late, move the clock
 * to the last of them, and the next step fires them together in deadline order.
 */
function lateLoop(rt: Runtime, scheduler: RecordingScheduler, window: number): void {
  const d = rt.driver;
  if (d.queue.length > 0) return;
  const next = d.timers.nextDeadline();
  if (next === undefined || next <= d.clock.now()) return;
  const latest = d.timers.latestDueIn(next, next + window);
  if (latest === undefined) return;
  const late = { id: LATE.id, name: `${LATE.name}: timers due t=${next}…${latest} fire in one phase` };
  if (scheduler.chooseTask([ON_TIME, late], next) === 1) (d.clock as VirtualClock).advanceTo(latest);
}

/** Record the step `task` just took, and the decision point it was chosen at (if any). */
function collect(into: Collected, scheduler: RecordingScheduler, before: number, task: number): void {
  const ids = scheduler.readyIds;
  // Decisions made since `before`: a late-loop one (before the step) and the step's own.
  for (let d = into.readyIds.length; d < ids.length; d++) into.readyIds.push(ids[d]);
  const chosenHere = scheduler.choices.length > before ? ids.length - 1 : -1;
  into.transitions.push({ task, footprint: endStep(task), decision: chosenHere });
}

/** Step a little further and say which tasks keep running, for the step-limit report. */
function sampleBusy(rt: Runtime): BusyTask[] {
  const seen = new Map<number, { id: number; name: string | undefined; steps: number; last: string }>();
  for (let i = 0; i < LIVELOCK_SAMPLE; i++) {
    const e = rt.step();
    if (e === undefined) break;
    let t = seen.get(e.task);
    if (t === undefined) seen.set(e.task, (t = { id: e.task, name: e.name, steps: 0, last: "" }));
    t.steps++;
    t.last = e.kind === "pending" ? "yielded (rescheduled itself)" : e.kind === "park" ? String(e.detail) : e.kind;
  }
  return [...seen.values()].sort((a, b) => b.steps - a.steps);
}

/** A key naming a failure's kind (and error class): shrinking keeps only candidates with the same key. */
export function failureKey(outcome: RunOutcome): string {
  if (outcome.kind !== "error") return String(outcome.kind);
  const e = outcome.error;
  const name = e instanceof Error ? e.name : typeof e;
  return `error:${name}`;
}
