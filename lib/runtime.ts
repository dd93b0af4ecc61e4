// Runtime: the public face of the driver. It validates options, spawns tasks, and offers the
// ways to drive them: run() (async, any clock), runSync() (virtual clock), blockOn(), and
// step() for driving by hand. Also the free functions run, runSync, spawn and current.

import type { ClockKind } from "./clock";
import { currentTask } from "./current";
import { Driver } from "./driver";
import type { TraceEvent } from "./events";
import type { JoinHandle } from "./handle";
import { metricsView, type RuntimeMetrics } from "./metrics";
import type { Body, Future } from "./poll";
import { describeValue, isBody, setAwaitDriver } from "./poll";
import type { Scheduler } from "./scheduler";
import { noopContext } from "./waker";
import type { NameSource, Task, TaskInfo } from "./task";

/** How a runtime is set up. @public */
export interface RuntimeOptions {
  /** `"real"` (default) reads host time; `"virtual"` starts at 0 and jumps to the next timer when no task is ready. */
  clock?: ClockKind;
  /** Who picks the next task when several are ready; default FIFO. Testing schedulers come from wakeful/testing. */
  scheduler?: Scheduler;
  /** Polls a task may make in one step before it goes to the back of the run queue (rule 7); default 128. */
  budget?: number;
  /** Milliseconds of continuous stepping before run() yields to the host with a macrotask (rule 7); default 1. */
  slice?: number;
  /** `true` records every event in `runtime.trace`; a function receives each event as it happens. */
  trace?: boolean | ((event: TraceEvent) => void);
  /**
   * With `trace`: each poll event also says where the task yielded the future (`site`,
   * "file:line"). Costs a stack capture per yield, so it is off by default.
   * @experimental
   */
  traceSites?: boolean;
  /** Receives errors of tasks nobody joined, instead of run() rejecting with them. */
  onTaskError?: (error: unknown, task: TaskInfo) => void;
}

/** Options for one task. @public */
export interface SpawnOptions {
  /** Shown in traces, timelines and deadlock reports. */
  name?: string;
}

export type { RuntimeMetrics } from "./metrics";

const DEFAULT_BUDGET = 128;
const DEFAULT_SLICE = 1;

/**
 * A single-threaded runtime: tasks, a run queue, timers and a clock.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual" });
 * const h = rt.spawn(function* () { yield* sleep(10); return 42; });
 * rt.runSync();
 * ```
 * @public
 */
export class Runtime {
  /** @internal */
  readonly driver: Driver;
  /** Every event, when created with `trace: true` (otherwise empty). */
  readonly trace: readonly TraceEvent[];
  /** What this runtime counts (tasks spawned, polls, wakes…) and holds now (the run queue, live tasks, timers): a live read-only view. */
  readonly metrics: RuntimeMetrics;

  constructor(options: RuntimeOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`Runtime options must be an object, not ${describeValue(options)}`);
    const budget = options.budget ?? DEFAULT_BUDGET;
    if (typeof budget !== "number" || !Number.isInteger(budget) || budget < 1) {
      throw new RangeError(`budget must be a whole number of polls ≥ 1, not ${describeValue(budget)}`);
    }
    const slice = options.slice ?? DEFAULT_SLICE;
    if (typeof slice !== "number" || !(slice > 0) || slice === Infinity) {
      throw new RangeError(`slice must be a positive, finite number of ms, not ${describeValue(slice)}`);
    }
    const scheduler = options.scheduler;
    if (scheduler !== undefined && (scheduler === null || typeof scheduler.chooseTask !== "function")) {
      throw new TypeError(`scheduler must have a chooseTask(ready, now) method, not ${describeValue(scheduler)}`);
    }
    if (options.onTaskError !== undefined && typeof options.onTaskError !== "function") {
      throw new TypeError(`onTaskError must be a function, not ${describeValue(options.onTaskError)}`);
    }
    const trace = options.trace;
    const events: TraceEvent[] = [];
    let sink: ((e: TraceEvent) => void) | undefined;
    if (trace === true) sink = (e) => void events.push(e);
    else if (typeof trace === "function") sink = trace;
    else if (trace !== undefined && trace !== false) throw new TypeError(`trace must be a boolean or a function, not ${describeValue(trace)}`);
    this.trace = events;
    const sites = options.traceSites ?? false;
    if (typeof sites !== "boolean") throw new TypeError(`traceSites must be a boolean, not ${describeValue(sites)}`);
    if (sites && sink === undefined) throw new TypeError("traceSites: true puts yield sites in trace events, so it needs trace: true or a trace function");
    this.driver = new Driver(this, { clock: options.clock, scheduler, budget, slice, sink, onTaskError: options.onTaskError, sites });
    const d = this.driver;
    this.metrics = metricsView(d.counters, {
      get ready() { return d.queue.length; },
      get live() { return d.liveCount; },
      get timers() { return d.timers.size; },
    });
  }

  /** Queue a new task (rule 6: it does not run until the runtime is driven). */
  spawn<T>(body: Body<T>, options?: SpawnOptions): JoinHandle<T> {
    if (!isBody(body)) throw new TypeError(`spawn() needs a generator function, an operation or a future, not ${describeValue(body)}`);
    const name = options?.name;
    if (name !== undefined && typeof name !== "string") throw new TypeError(`a task name must be a string, not ${describeValue(name)}`);
    return this.driver.spawn(body, name); // the task is its own handle
  }

  /** @internal Spawn a task that a combinator polled by `owner` owns (cancelled through it; see shutdown()). */
  spawnOwned<T>(body: Body<T>, name: string | NameSource | undefined, owner: unknown): JoinHandle<T> {
    const t = owner as Task | undefined;
    return this.driver.spawn(body, name, t !== undefined && t.host === this.driver ? t : undefined);
  }

  /**
   * Drive until every task has finished. Rejects with a `DeadlockError` when the tasks left
   * can never be woken (virtual clock, or a host with nothing left to run), and with the errors
   * of failed tasks nobody joined (an `AggregateError` for several) unless `onTaskError` took them.
   */
  async run(): Promise<void> {
    const d = this.driver;
    do {
      await d.drive(() => d.liveCount === 0);
      throwAll(d.reportFailures(true));
    } while (d.liveCount > 0); // an onTaskError handler spawned more work
  }

  /** {@link run}, synchronously. Virtual clock only: a real clock would have to wait for the host. */
  runSync(): void {
    const d = this.driver;
    do {
      d.driveSync(() => d.liveCount === 0);
      throwAll(d.reportFailures(true));
    } while (d.liveCount > 0); // an onTaskError handler spawned more work
  }

  /** Spawn `body` and drive until it finishes; its value, or its error. Other tasks stay as they are. */
  async blockOn<T>(body: Body<T>): Promise<T> {
    const d = this.driver;
    if (d.running) throw new Error("blockOn() cannot start while this runtime is already running");
    const h = this.spawn(body, { name: "blockOn" });
    h.claim(); // its error is ours to return, not an unobserved failure
    await d.drive(() => h.finished);
    throwAll(d.reportFailures(false));
    return conclude(h, true, [], d, false);
  }

  /**
   * Poll one ready task and return what it led to (`park`, `complete`, `fail`, `cancel`, or
   * `pending` when it was rescheduled). Fires due timers first; on a virtual clock with nothing
   * ready, jumps to the next timer. `undefined` when nothing can run without waiting.
   */
  step(): TraceEvent | undefined {
    return this.driver.stepOne();
  }

  /** The runtime clock, in ms (a virtual clock starts at 0). */
  now(): number {
    return this.driver.clock.now();
  }

  /**
   * Cancel every task. Their finally blocks run now, as far as they can without waiting; a
   * cancelled task cannot wait outside `shield()`, and shielded work finishes during the next
   * run()/runSync(). Tasks a combinator owns are cancelled through it.
   */
  shutdown(): void {
    this.driver.abortAll();
    this.driver.drainReady();
  }
}

/** Throw the one error, or an AggregateError of several, saying whose they are. */
function throwAll(errors: unknown[], unjoinedOnly = true): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const what = errors.map((e) => (e instanceof Error ? e.name : typeof e)).join(", ");
    const whose = unjoinedOnly ? `${errors.length} tasks failed and nobody joined them` : `the run ended with ${errors.length} errors`;
    throw new AggregateError(errors, `${whose} (${what})`);
  }
}


/** The runtime of the running task. */
function runtimeOfCurrent(what: string): Runtime {
  const t = currentTask();
  if (t === undefined) throw new Error(`${what} was called outside a task: call it from a task's generator, or use a Runtime directly`);
  return (t.host as Driver).runtime as Runtime;
}

/**
 * Run `body` as the main task of a fresh runtime: drive until it finishes, cancel whatever is
 * left (their finally blocks run), and resolve with its value.
 *
 * ```ts
 * const answer = await run(function* () { yield* sleep(10); return 42; });
 * ```
 * @public
 */
export async function run<T>(body: Body<T>, options?: RuntimeOptions): Promise<T> {
  const rt = new Runtime(options);
  const steps = mainTask(rt, body);
  for (let r = steps.next(); ; ) {
    if (r.done === true) return r.value;
    try {
      await rt.driver.drive(r.value);
      r = steps.next();
    } catch (error) {
      r = steps.throw(error);
    }
  }
}

/**
 * {@link run} on a virtual clock, synchronously: the whole program runs before this returns.
 * @public
 */
export function runSync<T>(body: Body<T>, options?: Omit<RuntimeOptions, "clock">): T {
  const rt = new Runtime({ ...options, clock: "virtual" });
  const steps = mainTask(rt, body);
  for (let r = steps.next(); ; ) {
    if (r.done === true) return r.value;
    try {
      rt.driver.driveSync(r.value);
      r = steps.next();
    } catch (error) {
      r = steps.throw(error);
    }
  }
}

/**
 * What run() and runSync() do, written once: it yields each condition to drive the runtime
 * until (the main task finished; then every task left, cancelled), and receives the driver's
 * error at that yield. The two differ only in how they drive.
 */
function* mainTask<T>(rt: Runtime, body: Body<T>): Generator<() => boolean, T, void> {
  const main = rt.spawn(body, { name: "main" });
  main.claim();
  const d = rt.driver;
  const errors: unknown[] = [];
  try {
    yield () => main.finished;
  } catch (error) {
    errors.push(error);
  }
  const mainFinished = main.finished;
  if (d.liveCount > 0) {
    rt.shutdown();
    try {
      yield () => d.liveCount === 0;
    } catch (error) {
      errors.push(error);
    }
  }
  return conclude(main, mainFinished, errors, d);
}

/**
 * The main task's value, or every error of the run: the driver's own (a deadlock) first, then
 * the main task's (only if it finished by itself, not because the run was torn down), then
 * those of failed tasks nobody joined.
 */
function conclude<T>(main: JoinHandle<T>, mainFinished: boolean, errors: unknown[], d: Driver, atEnd = true): T {
  let value: T | undefined;
  if (mainFinished) {
    try {
      const p = main.poll(noopContext);
      if (p.ready) value = p.value;
    } catch (error) {
      errors.push(error);
    }
  }
  const own = errors.length; // the driver's and the main task's errors come first
  if (atEnd) errors.push(...d.reportFailures(true));
  throwAll(errors, own === 0);
  return value as T;
}

/**
 * Spawn a task on the current runtime (inside a task); throws outside one.
 *
 * Prefer one shared generator function called with arguments, `spawn(worker(i))`, over a fresh
 * closure per task, `spawn(function* () { … })`: V8 gives every new generator *function* its
 * own prototype object, which costs microseconds per task.
 * @public
 */
export function spawn<T>(body: Body<T>, options?: SpawnOptions): JoinHandle<T> {
  return runtimeOfCurrent("spawn()").spawn(body, options);
}

/** The runtime of the running task; throws outside a task. @public */
export function current(): Runtime {
  return runtimeOfCurrent("current()");
}

// `await fut` outside a task: the future becomes the main task of a fresh real-clock runtime.
setAwaitDriver(<T>(future: Future<T>) => run<T>(future));
