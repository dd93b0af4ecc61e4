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
import type { DeadlockError } from "../errors";
import { DfsFrontier } from "./dfs";
import { NondeterminismError } from "./errors";
import { pct } from "./pct";
import { runSeed } from "./prng";
import type { RecordingScheduler } from "./recorder";
import { errorText, explainDecisions, formatReport } from "./report";
import { failureKey, runOnce, type FailureKind, type RunOutcome, type ScheduleTest } from "./run";
import { encodeSchedule, toSchedule, trimSchedule, type Schedule } from "./schedule";
import { fifo, random, replay } from "./schedulers";
import { shrinkFailure } from "./shrink";
import { renderTimeline } from "./timeline";

/** How schedules are chosen. @public */
export type Strategy = "random" | "pct" | "dfs";

/** Options of {@link explore} and {@link check}. @public */
export interface ExploreOptions {
  /** `"pct"` (default), `"random"` (a uniform pick at every decision), or `"dfs"` (every schedule, in order). */
  strategy?: Strategy;
  /** Schedules to try, at most (default 1000; for dfs 10000). The first is always FIFO. */
  runs?: number;
  /** Seed of the random and pct strategies (default 0). The same seed gives the same schedules. */
  seed?: number;
  /** PCT's bug depth d: how many ordering constraints the bug needs (default 3). */
  depth?: number;
  /** Steps (task polls) one schedule may take before it counts as a livelock (default 100000). */
  maxSteps?: number;
  /** dfs only: skip schedules with more deviations from FIFO than this (a preemption bound). */
  maxDeviations?: number;
  /** Shrink a failure before reporting it (default true). */
  shrink?: boolean;
  /** Runs the shrinker may spend (default 5000). */
  maxShrinkRuns?: number;
  /** Run exactly this schedule (or token) instead of exploring: the way to replay a report. */
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
  shrink: boolean;
  maxShrinkRuns: number;
  replay: Schedule | undefined;
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

  const frontier = s.strategy === "dfs" ? new DfsFrontier(s.maxDeviations) : undefined;
  let k = 1;
  let schedules = 0;
  const progress = (phase: "explore" | "shrink", failures: number, shrinkRuns: number) => s.onProgress?.({ phase, schedules, failures, shrinkRuns });

  for (let run = 0; run < s.runs; run++) {
    const scheduler = schedulerFor(s, run, k, frontier);
    const outcome = runOnce(test, scheduler, s.maxSteps, false);
    schedules++;
    if (outcome.choices.length > k) k = outcome.choices.length;
    if (outcome.kind !== undefined) {
      progress("explore", 1, 0);
      const failure = investigate(test, s, outcome, schedules, progress);
      return { ok: false, schedules, exhausted: false, strategy: s.strategy, seed: s.seed, maxDecisions: k, failure };
    }
    if (frontier !== undefined) {
      const mismatch = frontier.advance(outcome.choices, outcome.candidates);
      if (mismatch !== undefined) {
        const error = new NondeterminismError(`dfs: the test did not make the same decisions twice: ${mismatch} (state shared between runs, Math.random or Date.now?)`);
        const failure = reportFailure(test, s, { ...outcome, kind: "nondeterminism", error }, trimSchedule(outcome.choices), `dfs, schedule ${schedules}`, undefined, schedules, 0);
        return { ok: false, schedules, exhausted: false, strategy: s.strategy, seed: s.seed, maxDecisions: k, failure };
      }
      if (frontier.exhausted) break;
    }
    if (s.onProgress !== undefined && schedules % s.progressEvery === 0) progress("explore", 0, 0);
  }
  return { ok: true, schedules, exhausted: frontier?.exhausted ?? false, strategy: s.strategy, seed: s.seed, maxDecisions: k };
}

function schedulerFor(s: Settings, run: number, k: number, frontier: DfsFrontier | undefined): RecordingScheduler {
  if (frontier !== undefined) return replay({ choices: frontier.prefix });
  if (run === 0) return fifo();
  const seed = runSeed(s.seed, run);
  return s.strategy === "random" ? random(seed) : pct(seed, s.depth, { steps: k });
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
  const again = runOnce(test, replay({ choices: taken }), s.maxSteps, false);
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
      return runOnce(test, replay({ choices }), s.maxSteps, false);
    },
    s.maxShrinkRuns,
  );
  const from = taken.filter((c) => c !== 0).length;
  const to = shrunk.choices.filter((c) => c !== 0).length;
  const runs = `${shrunk.attempts} run${shrunk.attempts === 1 ? "" : "s"}`;
  const note =
    (from === to ? `${to} deviation${to === 1 ? "" : "s"}, shrunk in ${runs}` : `shrunk from ${from} to ${to} deviation${to === 1 ? "" : "s"} in ${runs}`) +
    (shrunk.minimal ? `; minimal: no smaller schedule fails this way` : `; a local minimum (the shrink budget ran out before the search could prove it minimal)`);
  return reportFailure(test, s, shrunk.outcome, shrunk.choices, how, note, at, 1 + shrunk.attempts, taken);
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
): ExploreFailure {
  const traced = runOnce(test, replay({ choices }), s.maxSteps, true);
  // The traced run is the one the timeline shows, so its error is the one reported, as long as
  // it is the same failure (a nondeterminism verdict keeps the error that explains it).
  const use = outcome.kind !== "nondeterminism" && traced.kind !== undefined && failureKey(traced) === failureKey(outcome) ? traced : outcome;
  const kind = use.kind as FailureKind;
  const token = encodeSchedule({ choices });
  const timeline = renderTimeline(traced.trace ?? []);
  const decisions = traced.decisions ?? [];
  const report = formatReport({ kind, error: use.error, deadlock: use.deadlock, token, choices, steps: traced.steps, decisions, timeline, found: how, shrunk });
  return {
    error: use.error,
    kind,
    token,
    schedule: { choices },
    steps: traced.steps,
    timeline,
    deviations: explainDecisions(decisions),
    deadlock: use.deadlock,
    found: { schedule: { choices: original }, token: encodeSchedule({ choices: original }), at },
    shrinkRuns,
    report,
  };
}

function replayOne(test: ScheduleTest, s: Settings, schedule: Schedule): ExploreResult {
  const outcome = runOnce(test, replay(schedule), s.maxSteps, false);
  const base = { schedules: 1, exhausted: false, strategy: "replay" as const, seed: s.seed, maxDecisions: outcome.choices.length };
  if (outcome.kind === undefined) return { ok: true, ...base };
  const failure = reportFailure(test, s, outcome, trimSchedule(outcome.choices), "replayed", undefined, 1, 0);
  return { ok: false, ...base, failure };
}

function sameChoices(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function settings(o: ExploreOptions): Settings {
  if (o === null || typeof o !== "object") throw new TypeError(`explore() options must be an object, not ${describeValue(o)}`);
  const strategy = o.strategy ?? "pct";
  if (strategy !== "random" && strategy !== "pct" && strategy !== "dfs") {
    throw new RangeError(`explore() strategy must be "random", "pct" or "dfs", not ${describeValue(strategy)}`);
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
    runs: whole("runs", o.runs, 1, strategy === "dfs" ? 10_000 : 1000),
    seed,
    depth: whole("depth", o.depth, 1, 3),
    maxSteps: whole("maxSteps", o.maxSteps, 1, 100_000),
    maxDeviations: whole("maxDeviations", o.maxDeviations, 0, Infinity),
    shrink: o.shrink ?? true,
    maxShrinkRuns: whole("maxShrinkRuns", o.maxShrinkRuns, 0, 5000),
    replay: o.replay === undefined ? undefined : toSchedule(o.replay, "explore() replay"),
    onProgress: o.onProgress,
    progressEvery: whole("progressEvery", o.progressEvery, 1, 100),
  };
}
