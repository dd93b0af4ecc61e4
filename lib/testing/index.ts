// wakeful/testing: find the interleaving that breaks your program, shrink it to the fewest
// deviations from FIFO, and replay it from a token.
//
// The model: the driver asks a Scheduler which ready task runs whenever two or more are ready
// (a decision point). A Schedule lists the choice at each one, as an index into the ready tasks
// in FIFO order: [] is FIFO, and smaller, fewer choices are closer to it. Everything here
// builds on that: schedulers that make choices (fifo, random, pct, replay), explore/check that
// run a test under many schedules and shrink a failure, the token that replays one, and a
// fast-check Arbitrary of schedules.
//
// Reading order: schedule.ts → recorder.ts → schedulers.ts, pct.ts → run.ts → explore.ts
// (the workflow) → shrink.ts, dfs.ts → report.ts → check.ts, arbitrary.ts.

/**
 * Schedulers, schedule exploration with shrinking and replay tokens, and the fast-check
 * integration. See docs/TESTING.md.
 * @module wakeful/testing
 */

export type { Schedule } from "./schedule";
export { encodeSchedule, decodeSchedule } from "./schedule";
export { RecordingScheduler } from "./recorder";
export type { DecisionRecord } from "./recorder";
export { fifo, random, replay } from "./schedulers";
export { pct } from "./pct";
export { nonPreemptive, encodePreemptions, decodePreemptions } from "./preemption";
export type { PctOptions } from "./pct";
export { explore } from "./explore";
export type { Strategy, ExploreOptions, ExploreProgress, ExploreFailure, ExploreResult } from "./explore";
export type { ScheduleTest, FailureKind } from "./run";
export { check, CounterexampleError } from "./check";
export { scheduleArbitrary } from "./arbitrary";
export type { ScheduleArbitraryOptions } from "./arbitrary";
export { StepLimitError, NondeterminismError } from "./errors";
export type { BusyTask } from "./errors";
export type { Scheduler } from "../scheduler";
