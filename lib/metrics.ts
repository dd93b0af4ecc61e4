// What a runtime counts: one record the driver owns. The task state machine and the driver
// loop are the only writers; `runtime.metrics` is a read-only view of it.

/** Live counters of a runtime. @public */
export interface RuntimeMetrics {
  readonly spawned: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Futures polled. */
  readonly polls: number;
  /** wake() calls, including deduplicated ones. */
  readonly wakes: number;
  /** Tasks parked now. */
  readonly parked: number;
  /** Tasks in the run queue now. */
  readonly ready: number;
  /** Tasks alive now (spawned, not finished). */
  readonly live: number;
  /** Times a task was moved to the back because it spent its budget of polls in one step. */
  readonly forcedYields: number;
  /** Times the runtime yielded to the host with a macrotask (once per `slice` ms of continuous polling at most). */
  readonly hostYields: number;
  /** Timers fired. */
  readonly timersFired: number;
  /** Timers armed now (a finished or cancelled wait leaves none behind). */
  readonly timers: number;
  /** Promises and I/O the runtime is waiting on now. */
  readonly pendingExternal: number;
  /** Wakes and aborts that came from outside the runtime's own steps (promises, host timers, I/O): a sign of nondeterminism in a test. */
  readonly outsideWakes: number;
}

/** The counters themselves (the part of {@link RuntimeMetrics} that is not read off the queue or the heap). */
export class Counters {
  spawned = 0;
  completed = 0;
  failed = 0;
  cancelled = 0;
  polls = 0;
  wakes = 0;
  parked = 0;
  forcedYields = 0;
  hostYields = 0;
  timersFired = 0;
  outsideWakes = 0;
  /** Promises and I/O the runtime waits on: keeps it from calling an idle moment a deadlock. */
  pendingExternal = 0;
}
