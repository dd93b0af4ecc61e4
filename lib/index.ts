// wakeful: a generator-based coroutine runtime with Rust's poll model.
//
// The model in four lines: a task is a `function*` that yields futures; the runtime polls
// each future with a Context holding the task's Waker; Ready resumes the generator with the
// value; Pending parks the task until something calls `waker.wake()`.
//
// Reading order for the source: poll.ts, waker.ts and waiting.ts (the model) → task.ts (the
// state machine) → frames.ts and harness.ts (one step of one task) → driver.ts (the loop) →
// runtime.ts (the public face) → timer.ts and time.ts (time) → queue.ts, clock.ts, host.ts.

/**
 * The model (Poll, Future, Waker, Context), the runtime and its tasks, time, combinators, sync
 * primitives and errors. The sync primitives alone are also `wakeful/sync`; the plumbing for
 * writing your own futures and primitives (SimpleWaker, WakerSet, RingQueue, Waiter…) is
 * `wakeful/primitives`.
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
export { noopWaker, noopContext } from "./waker";
export { from, pollFn, ready, pending, fromPromise } from "./futures";
export { yieldNow } from "./yield-now";
export { step } from "./step";
export { captureYieldSites } from "./site";
export { call } from "./call";
export { shield } from "./shield";
export { Runtime, run, runSync, spawn, current } from "./runtime";
export type { RuntimeOptions, SpawnOptions } from "./runtime";
export type { RuntimeMetrics } from "./metrics";
export { JoinHandle } from "./handle";
export type { TaskInfo } from "./task";
export type { Scheduler } from "./scheduler";
export type { ClockKind } from "./clock";
export type { TraceEvent, TraceKind } from "./events";
export { sleep, sleepUntil, interval, intervalAt, now, Interval, TICK_TOLERANCE_MS } from "./time";
export type { MissedTickBehavior, SleepFuture } from "./time";
export { CancelledError, TimeoutError, DeadlockError } from "./errors";
export { ChannelClosedError } from "./sync/closed-error";
export type { ParkedTaskInfo } from "./errors";
export * from "./combinators/index";
export * from "./sync/index";
