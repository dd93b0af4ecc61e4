// wakeful: a generator-based coroutine runtime with Rust's poll model.
//
// The model in four lines: a task is a `function*` that yields futures; the runtime polls
// each future with a Context holding the task's Waker; Ready resumes the generator with the
// value; Pending parks the task until something calls `waker.wake()`.
//
// Reading order for the source: poll.ts and waker.ts (the model) → task.ts (the state machine
// and the step) → driver.ts (the loop) → runtime.ts (the public face) → timer.ts and time.ts
// (time) → queue.ts, clock.ts, host.ts (the plumbing).

/**
 * The model (Poll, Future, Waker, Context), the runtime and its tasks, time, combinators, sync
 * primitives and errors.
 *
 * ```ts
 * import { run, spawn, sleep } from "wakeful";
 * const total = await run(function* () {
 *   const a = spawn(function* () { yield* sleep(20); return 1; });
 *   yield* sleep(10);
 *   return 1 + (yield* a);
 * });
 * ```
 * @module wakeful
 */

export { Poll, Op, isFuture } from "./poll";
export type { Future, Operation, Body } from "./poll";
export type { Waker, Context } from "./waker";
export { noopWaker, noopContext, WakerSet, SimpleWaker } from "./waker";
export { from, pollFn, ready, pending, yieldNow, fromPromise } from "./futures";
export { step, captureYieldSites } from "./step";
export { call } from "./call";
export { Runtime, run, runSync, spawn, current } from "./runtime";
export type { RuntimeOptions, RuntimeMetrics, SpawnOptions } from "./runtime";
export { JoinHandle } from "./handle";
export type { TaskInfo } from "./task";
export type { Scheduler } from "./scheduler";
export type { ClockKind } from "./clock";
export type { TraceEvent, TraceKind } from "./events";
export { sleep, sleepUntil, timeout, interval, now, Interval } from "./time";
export type { MissedTickBehavior } from "./time";
export { CancelledError, TimeoutError, DeadlockError, ChannelClosedError } from "./errors";
export type { ParkedTaskInfo } from "./errors";
export { RingQueue } from "./queue";
export * from "./combinators/index";
export * from "./sync/index";
