// What a runtime counts: one record the driver owns. The task state machine and the driver
// loop are the only writers; `runtime.metrics` is a read-only view of it, plus three numbers
// read off the run queue, the live count and the timer heap.

/** The counters a runtime keeps. */
export class Counters {
  spawned = 0;
  completed = 0;
  failed = 0;
  cancelled = 0;
  /** Futures polled. */
  polls = 0;
  /** wake() calls, including deduplicated ones. */
  wakes = 0;
  /** Tasks parked now. */
  parked = 0;
  /** Times a task was moved to the back because it spent its budget of polls in one step. */
  forcedYields = 0;
  /** Times run() yielded to the host with a macrotask (at most once per `slice` ms of stepping). */
  hostYields = 0;
  /** Timers fired. */
  timersFired = 0;
  /** Wakes and aborts that came from outside the runtime's own steps (promises, host timers, I/O): a sign of nondeterminism in a test. */
  outsideWakes = 0;
  /** Promises and I/O the runtime waits on now: while any is pending, an idle runtime is not deadlocked. */
  pendingExternal = 0;
}

/** Live counters of a runtime. @public */
export type RuntimeMetrics = Readonly<Counters> & {
  /** Tasks in the run queue now. */
  readonly ready: number;
  /** Tasks alive now (spawned, not finished). */
  readonly live: number;
  /** Timers armed now (a finished or cancelled wait leaves none behind). */
  readonly timers: number;
};

/** A read-only view of `counters` and of the three live numbers `read` gives. */
export function metricsView(counters: Counters, read: { readonly ready: number; readonly live: number; readonly timers: number }): RuntimeMetrics {
  const view = {};
  for (const key of Object.keys(counters) as (keyof Counters)[]) {
    Object.defineProperty(view, key, { get: () => counters[key], enumerable: true });
  }
  for (const key of ["ready", "live", "timers"] as const) {
    Object.defineProperty(view, key, { get: () => read[key], enumerable: true });
  }
  return Object.freeze(view) as RuntimeMetrics;
}
