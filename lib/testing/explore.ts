// explore(): run a test under many schedules, each on a fresh virtual-clock Runtime, stop at
// the first failure, check that it reproduces, shrink it toward FIFO, and report it with a
// replay token and a timeline. The workflow, in order:
//
//   1. schedule 0 is FIFO (it also measures k, the decision points per run, for PCT)
//   2. then random / pct (a fresh seed per run) or dfs (the next unexplored prefix)
//   3. a failure is replayed from the choices actually taken: it must fail again the same way,
//      else the test is nondeterministic (and that is the report)
//   4. shrink: fewer, earlier, smaller deviations, each candidate re-run (shrink.ts)
//   5. run the shrunk schedule once more with tracing on, for the timeline and the report
//
// Invariant: explore is synchronous and deterministic: the same test and options give the same
// result, schedule for schedule.

import { describeValue } from "../poll";
import { captureYieldSites } from "../site";
import type { DeadlockError } from "../errors";
import type { Systematic } from "./dfs";
import { DfsSearch, DporSearch } from "./search";
import { NondeterminismError } from "./errors";
import { pct } from "./pct";
import { PreemptionBounding, PreemptionReplay, decodePreemptions, encodePreemptions, isPreemptionToken } from "./preemption";
import { runSeed } from "./prng";
import type { RecordingScheduler } from "./recorder";
import { errorText, explainDecisions, formatReport } from "./report";
import { failureKey, runOnce, type FailureKind, type RunOutcome, type ScheduleTest } from "./run";
import { encodeSchedule, toSchedule, trimSchedule, type Schedule } from "./schedule";
import { fifo, random, replay } from "./schedulers";
import { shrinkFailure } from "./shrink";
import { renderTimeline } from "./timeline";

/** How schedules are chosen. @public */
export type Strategy = "random" | "pct" | "dfs" | "pb";

/** Options of {@link explore} and {@link check}. @public */
export interface ExploreOptions {
  /**
   * `"pct"` (default), `"random"` (a uniform pick at every decision), `"dfs"` (every schedule, in
   * order), or `"pb"` (iterative preemption bounding: every schedule with 0 preemptions, then 1,
   * 2, … up to `maxPreemptions`, from the non-preemptive baseline).
   */
  strategy?: Strategy;
  /** Schedules to try, at most (default 1000; for dfs 10000). The first is always FIFO. */
  runs?: number;
  /** Seed of the random and pct strategies (default 0). The same seed gives the same schedules. */
  seed?: number;
  /** PCT's bug depth d: how many ordering constraints the bug needs (default 3). */
  depth?: number;
  /** Steps (task polls) one schedule may take before it counts as a livelock (default 100000). */
  maxSteps?: number;
  /** dfs only: skip schedules with more deviations from FIFO than this. */
  maxDeviations?: number;
  /**
   * dfs only: `"dpor"` (dynamic partial-order reduction: one schedule per class of schedules that
   * differ only in the order of steps touching nothing in common; see `step()`), or `"none"`
   * (every schedule). Default `"dpor"`, or `"none"` with `maxDeviations`.
   */
  reduction?: "dpor" | "none";
  /** pb only: the last preemption bound searched (default 2; CHESS found most bugs within 2). */
  maxPreemptions?: number;
  /**
   * Model a late event loop (default 0: off). With `timerWindow: w`, wherever timers are due
   * within `w` ms of the next one, firing them together in one phase (before any task they wake
   * runs) is a decision point of its own, so strategies explore it and a dfs proof covers it.
   */
  timerWindow?: number;
  /** Shrink a failure before reporting it (default true). */
  shrink?: boolean;
  /** Runs the shrinker may spend (default 5000). */
  maxShrinkRuns?: number;
  /** Run exactly this schedule or token (`w1:…`, or a preemption-relative `p1:…`) instead of exploring: the way to replay a report. */
  replay?: string | Schedule;
  /** Called every `progressEvery` schedules (default 100), and when a failure is found. */
  onProgress?: (progress: ExploreProgress) => void;
  /** How many schedules between two `onProgress` calls (default 100). */
  progressEvery?: number;
}

/** What {@link ExploreOptions.onProgress} receives. @public */
export interface ExploreProgress {
  /** Exploring schedules, or shrinking the failure found. */
  readonly phase: "explore" | "shrink";
  /** Schedules explored so far (shrinking runs not counted). */
  readonly schedules: number;
  /** Failing schedules found so far (exploration stops at the first). */
  readonly failures: number;
  /** Shrinking runs so far. */
  readonly shrinkRuns: number;
}

/** A failure, shrunk, with everything needed to understand and replay it. @public */
export interface ExploreFailure {
  /** What failed: the thrown error, a DeadlockError, a StepLimitError or a NondeterminismError. */
  readonly error: unknown;
  /** Which of those it is. */
  readonly kind: FailureKind;
  /** `w1:…`: `replay(token)` or `check(test, { replay: token })` runs this schedule again. */
  readonly token: string;
  /** The shrunk schedule. */
  readonly schedule: Schedule;
  /**
   * The same run in the other measure: how many preemptions it makes (running another task
   * while the last one is still ready, as CHESS counts them), and its `p1:` token, relative to
   * the non-preemptive baseline. `check(test, { replay: preemptionToken })` replays it too.
   */
  readonly preemptions: number;
  /** The `p1:` token of this run: `replay(preemptionToken)` or `check(test, { replay: preemptionToken })` runs it again. */
  readonly preemptionToken: string;
  /** Steps (task polls) the shrunk schedule took. */
  readonly steps: number;
  /** The shrunk run as a swim-lane chart. */
  readonly timeline: string;
  /** One line per deviation from FIFO: which task ran instead of which. */
  readonly deviations: readonly string[];
  /** The deadlock, when tasks were left parked with nothing to wake them. */
  readonly deadlock: DeadlockError | undefined;
  /** The schedule as first found, before shrinking, and its number among those explored (1-based). */
  readonly found: {
    /** The schedule as found. */
    readonly schedule: Schedule;
    /** Its replay token. */
    readonly token: string;
    /** Its number among the schedules explored (1-based). */
    readonly at: number;
    /** How many preemptions it makes (see the "pb" strategy). */
    readonly preemptions: number;
  };
  /** Runs spent shrinking. */
  readonly shrinkRuns: number;
  /** The whole report as text: what `check` throws. */
  readonly report: string;
}

/** The outcome of {@link explore}. @public */
export interface ExploreResult {
  /** True when no schedule failed. */
  readonly ok: boolean;
  /** Schedules tried. */
  readonly schedules: number;
  /** dfs: true when every schedule (within `maxDeviations`) was covered. Otherwise false. */
  readonly exhausted: boolean;
  /**
   * What `exhausted` (or a pass) covers, in words: which choices were explored and what the
   * model leaves out (timers fire one deadline at a time unless `timerWindow` is set).
   */
  readonly covered: string;
  /** The strategy used, or `"replay"` when one schedule was replayed. */
  readonly strategy: Strategy | "replay";
  /** The seed of the run: pass it back (`seed`) to explore the same schedules again. */
  readonly seed: number;
  /** The most decision points one schedule met (PCT's k). */
  readonly maxDecisions: number;
  /** The failure found, shrunk; absent when `ok`. */
  readonly failure?: ExploreFailure;
}

interface Settings {
  strategy: Strategy;
  runs: number;
  seed: number;
  depth: number;
  maxSteps: number;
  maxDeviations: number;
  maxPreemptions: number;
  reduction: "dpor" | "none";
  timerWindow: number;
  shrink: boolean;
  maxShrinkRuns: number;
  replay: { schedule: Schedule; preemptive: boolean } | undefined;
  onProgress: ((p: ExploreProgress) => void) | undefined;
  progressEvery: number;
}

/**
 * Run `test` under many schedules and report the first failure, shrunk toward FIFO.
 *
 * ```ts
 * const result = explore((rt) => {
 *   let counter = 0;
 *   const incr = function* () { const v = counter; yield* yieldNow(); counter = v + 1; };
 *   rt.spawn(incr, { name: "A" });
 *   rt.spawn(incr, { name: "B" });
 *   return () => { if (counter !== 2) throw new Error(`lost update: ${counter}`); };
 * }, { strategy: "pct", runs: 1000 });
 * if (!result.ok) console.log(result.failure?.report);
 * ```
 * @public
 */
export function explore(test: ScheduleTest, options: ExploreOptions = {}): ExploreResult {
  if (typeof test !== "function") throw new TypeError(`explore() needs a test function (rt) => { spawn tasks on rt }, not ${describeValue(test)}`);
  const s = settings(options);
  if (s.replay !== undefined) return replayOne(test, s, s.replay);

  const systematic = systematicFor(s);
  let k = 1;
  // pct's horizon: the longest run seen that no spin demotion touched (FIFO's, to begin with).
  let horizon = 0;
  let schedules = 0;
  const progress = (phase: "explore" | "shrink", failures: number, shrinkRuns: number) => s.onProgress?.({ phase, schedules, failures, shrinkRuns });

  for (let run = 0; run < s.runs; run++) {
    const scheduler = systematic !== undefined ? systematic.scheduler() : schedulerFor(s, run, k, horizon);
    const outcome = runOnce(test, scheduler, s.maxSteps, false, s.timerWindow, systematic?.collects ?? false);
    schedules++;
    if (outcome.choices.length > k) k = outcome.choices.length;
    if (outcome.steps > horizon && !((scheduler as { spinDemotions?: number }).spinDemotions! > 0)) horizon = outcome.steps;
    if (outcome.kind !== undefined) {
      progress("explore", 1, 0);
      const failure = investigate(test, s, outcome, schedules, progress);
      return { ok: false, schedules, exhausted: false, covered: covered(s, schedules, false), strategy: s.strategy, seed: s.seed, maxDecisions: k, failure };
    }
    if (systematic !== undefined) {
      const mismatch = systematic.advance(outcome);
      if (mismatch !== undefined) {
        const error = new NondeterminismError(`${s.strategy}: the test did not make the same decisions twice: ${mismatch} (state shared between runs, Math.random or Date.now?)`);
        const failure = reportFailure(test, s, { ...outcome, kind: "nondeterminism", error }, trimSchedule(outcome.choices), `${s.strategy}, schedule ${schedules}`, undefined, schedules, 0);
        return { ok: false, schedules, exhausted: false, covered: covered(s, schedules, false), strategy: s.strategy, seed: s.seed, maxDecisions: k, failure };
      }
      if (systematic.exhausted) break;
    }
    if (s.onProgress !== undefined && schedules % s.progressEvery === 0) progress("explore", 0, 0);
  }
  const exhausted = systematic?.exhausted ?? false;
  return { ok: true, schedules, exhausted, covered: covered(s, schedules, exhausted), strategy: s.strategy, seed: s.seed, maxDecisions: k };
}

/** What a run of explore covered, in words (the honest scope of `exhausted`). */
function covered(s: Settings, schedules: number, exhausted: boolean): string {
  const what =
    s.replay !== undefined
      ? "one schedule, replayed"
      : exhausted && s.strategy === "pb"
        ? `every schedule with at most ${s.maxPreemptions} preemption${s.maxPreemptions === 1 ? "" : "s"} (running another task while the last one is still ready; switches when it parks or finishes are free) (${schedules} schedules)`
        : exhausted
        ? `every interleaving of the ready tasks${s.strategy === "dfs" && s.reduction === "dpor" ? ", up to reordering steps that touch nothing in common (partial-order reduction)" : ""}${s.maxDeviations === Infinity ? "" : ` with at most ${s.maxDeviations} deviation${s.maxDeviations === 1 ? "" : "s"} from FIFO`} (${schedules} schedule${schedules === 1 ? "" : "s"})`
        : `${schedules} schedule${schedules === 1 ? "" : "s"} (${s.strategy}), not every interleaving`;
  const timers =
    s.timerWindow > 0
      ? `timers due within ${s.timerWindow} ms of each other fire either on time or together in one late phase`
      : "timers fire one deadline at a time, on time (a late event loop that fires timers due at different instants in one phase is not covered: set timerWindow)";
  return `${what}${exhausted ? " (tasks woken together at one instant run in every order)" : ""}; ${timers}`;
}

function systematicFor(s: Settings): Systematic | undefined {
  if (s.strategy === "dfs") return s.reduction === "dpor" ? new DporSearch() : new DfsSearch(s.maxDeviations);
  if (s.strategy === "pb") return new PreemptionBounding(s.maxPreemptions);
  return undefined;
}

function schedulerFor(s: Settings, run: number, k: number, horizon: number): RecordingScheduler {
  if (run === 0) return fifo();
  const seed = runSeed(s.seed, run);
  return s.strategy === "random" ? random(seed) : pct(seed, s.depth, { steps: k, horizon });
}

/** Step 3 to 5 of the workflow: reproduce, shrink, trace, report. */
function investigate(
  test: ScheduleTest,
  s: Settings,
  found: RunOutcome,
  at: number,
  progress: (phase: "explore" | "shrink", failures: number, shrinkRuns: number) => void,
): ExploreFailure {
  const how = s.strategy === "dfs" ? `dfs, schedule ${at}` : `${s.strategy}, seed ${s.seed}, schedule ${at} of ${s.runs}${at === 1 ? ": plain FIFO" : ""}`;
  const taken = trimSchedule(found.choices);
  const again = runOnce(test, replay({ choices: taken }), s.maxSteps, false, s.timerWindow);
  if (again.kind === undefined || failureKey(again) !== failureKey(found) || !sameChoices(again.choices, found.choices)) {
    const what = again.kind === undefined ? "passed" : failureKey(again) !== failureKey(found) ? `failed differently (${errorText(again.error)})` : "made different decisions";
    const error = new NondeterminismError(
      `schedule ${encodeSchedule({ choices: taken })} failed (${errorText(found.error)}), but replaying the same choices ${what}: ` +
        `the test depends on something outside the schedule (state shared between runs, Math.random, Date.now, a host timer)`,
    );
    return reportFailure(test, s, { ...found, kind: "nondeterminism", error }, taken, how, undefined, at, 1);
  }
  if (!s.shrink || taken.length === 0) return reportFailure(test, s, found, taken, how, undefined, at, 1); // FIFO: nothing to shrink
  let shrinkRuns = 1;
  const shrunk = shrinkFailure(
    found,
    (choices) => {
      if (s.onProgress !== undefined && ++shrinkRuns % s.progressEvery === 0) progress("shrink", 1, shrinkRuns);
      return runOnce(test, replay({ choices }), s.maxSteps, false, s.timerWindow);
    },
    s.maxShrinkRuns,
  );
  const from = taken.filter((c) => c !== 0).length;
  const to = shrunk.choices.filter((c) => c !== 0).length;
  const runs = `${shrunk.attempts} run${shrunk.attempts === 1 ? "" : "s"}`;
  const note =
    (from === to ? `${to} deviation${to === 1 ? "" : "s"}, shrunk in ${runs}` : `shrunk from ${from} to ${to} deviation${to === 1 ? "" : "s"} in ${runs}`) +
    (shrunk.minimal ? `; minimal: no smaller schedule fails this way` : `; a local minimum (the shrink budget ran out before the search could prove it minimal)`);
  return reportFailure(test, s, shrunk.outcome, shrunk.choices, how, note, at, 1 + shrunk.attempts, taken, found.preemptions);
}

/** Step 5: run `choices` traced and build the failure and its report. */
function reportFailure(
  test: ScheduleTest,
  s: Settings,
  outcome: RunOutcome,
  choices: number[],
  how: string,
  shrunk: string | undefined,
  at: number,
  shrinkRuns: number,
  original: number[] = choices,
  foundPreemptions: number = outcome.preemptions,
): ExploreFailure {
  const was = captureYieldSites(true); // the report's run shows where each step() was yielded
  let traced: RunOutcome;
  try {
    traced = runOnce(test, replay({ choices }), s.maxSteps, true, s.timerWindow);
  } finally {
    captureYieldSites(was);
  }
  // The traced run is the one the timeline shows, so its error is the one reported, as long as
  // it is the same failure (a nondeterminism verdict keeps the error that explains it).
  const use = outcome.kind !== "nondeterminism" && traced.kind !== undefined && failureKey(traced) === failureKey(outcome) ? traced : outcome;
  const kind = use.kind as FailureKind;
  const token = encodeSchedule({ choices });
  const timeline = renderTimeline(traced.trace ?? []);
  const decisions = traced.decisions ?? [];
  const preemptionToken = encodePreemptions({ choices: trimSchedule(traced.pchoices) });
  const report = formatReport({
    kind,
    error: use.error,
    deadlock: use.deadlock,
    token,
    choices,
    steps: traced.steps,
    decisions,
    timeline,
    found: how,
    shrunk,
    preemptions: traced.preemptions,
    preemptionToken,
  });
  return {
    error: use.error,
    kind,
    token,
    schedule: { choices },
    preemptions: traced.preemptions,
    preemptionToken,
    steps: traced.steps,
    timeline,
    deviations: explainDecisions(decisions),
    deadlock: use.deadlock,
    found: { schedule: { choices: original }, token: encodeSchedule({ choices: original }), at, preemptions: foundPreemptions },
    shrinkRuns,
    report,
  };
}

function replayOne(test: ScheduleTest, s: Settings, wanted: { schedule: Schedule; preemptive: boolean }): ExploreResult {
  const scheduler = wanted.preemptive ? new PreemptionReplay(wanted.schedule) : replay(wanted.schedule);
  const outcome = runOnce(test, scheduler, s.maxSteps, false, s.timerWindow);
  const base = { schedules: 1, exhausted: false, covered: covered(s, 1, false), strategy: "replay" as const, seed: s.seed, maxDecisions: outcome.choices.length };
  if (outcome.kind === undefined) return { ok: true, ...base };
  const failure = reportFailure(test, s, outcome, trimSchedule(outcome.choices), "replayed", undefined, 1, 0);
  return { ok: false, ...base, failure };
}

function sameChoices(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function reductionOf(o: ExploreOptions): "dpor" | "none" {
  const r = o.reduction ?? (o.maxDeviations === undefined ? "dpor" : "none");
  if (r !== "dpor" && r !== "none") throw new RangeError(`explore() reduction must be "dpor" or "none", not ${describeValue(r)}`);
  if (r === "dpor" && o.maxDeviations !== undefined) {
    throw new RangeError(`explore() cannot combine reduction "dpor" with maxDeviations: a deviation bound is not preserved by the reduction; use reduction: "none"`);
  }
  return r;
}

function settings(o: ExploreOptions): Settings {
  if (o === null || typeof o !== "object") throw new TypeError(`explore() options must be an object, not ${describeValue(o)}`);
  const strategy = o.strategy ?? "pct";
  if (strategy !== "random" && strategy !== "pct" && strategy !== "dfs" && strategy !== "pb") {
    throw new RangeError(`explore() strategy must be "random", "pct", "dfs" or "pb", not ${describeValue(strategy)}`);
  }
  const whole = (name: string, v: unknown, min: number, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !(Number.isInteger(v) || v === Infinity) || v < min) {
      throw new RangeError(`explore() ${name} must be a whole number ≥ ${min}, not ${describeValue(v)}`);
    }
    return v;
  };
  const seed = o.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed)) throw new TypeError(`explore() seed must be an integer, not ${describeValue(seed)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new TypeError(`explore() onProgress must be a function, not ${describeValue(o.onProgress)}`);
  return {
    strategy,
    runs: whole("runs", o.runs, 1, strategy === "dfs" || strategy === "pb" ? 10_000 : 1000),
    seed,
    depth: whole("depth", o.depth, 1, 3),
    maxSteps: whole("maxSteps", o.maxSteps, 1, 100_000),
    maxDeviations: whole("maxDeviations", o.maxDeviations, 0, Infinity),
    maxPreemptions: whole("maxPreemptions", o.maxPreemptions, 0, 2),
    reduction: reductionOf(o),
    timerWindow: whole("timerWindow", o.timerWindow, 0, 0),
    shrink: o.shrink ?? true,
    maxShrinkRuns: whole("maxShrinkRuns", o.maxShrinkRuns, 0, 5000),
    replay:
      o.replay === undefined
        ? undefined
        : isPreemptionToken(o.replay)
          ? { schedule: decodePreemptions(o.replay), preemptive: true }
          : { schedule: toSchedule(o.replay, "explore() replay"), preemptive: false },
    onProgress: o.onProgress,
    progressEvery: whole("progressEvery", o.progressEvery, 1, 100),
  };
}
