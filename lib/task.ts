// The task: one generator (plus its `call()` frames) driven by polls, and the state machine
// that makes the driver's rules hold by construction. Only this file assigns a task's state.
// A task is also its own Waker and Context (as in async-task, where a waker points at the
// task): one waker per task, nothing allocated per poll, and waker → task is identity.
//
//            spawn                          Ready: resume the generator in the same step
//              │                          ┌──────────────┐
//              ▼         run()            ▼              │
//  ┌───────► SCHEDULED ─────────────► RUNNING ───────────┘
//  │           ▲                      │  │  │
//  │   wake /  │ budget spent:        │  │  └── generator returns / throws ──► COMPLETED
//  │   abort   │ forced yield ◄───────┘  │                                     FAILED
//  │           │                          │ wake() during its own poll         CANCELLED
//  │        PARKED ◄── Pending ───────────┤        │
//  │                                      ▼        ▼
//  └──────────────── end of poll ──── NOTIFIED (woken while running)
//
// Cancellation is a separate, sticky track (see CANCEL_* below): abort() never changes the
// state itself except to schedule a parked task, and the step delivers it at the next yield.

import type { Clock } from "./clock";
import { CallRequest } from "./call";
import type { TraceEvent, TraceKind } from "./events";
import { CancelledError } from "./errors";
import type { Body, Future, Poll } from "./poll";
import { describeFuture, describeValue, isFuture, iteratorOf } from "./poll";
import type { TimerHeap } from "./timer";
import type { Context, Waker } from "./waker";
import { WakerSet } from "./waker";
import { currentTask, enterTask, leaveTask } from "./current";

/** In the run queue; will be polled. Entered on spawn, wake of a parked task, abort of a parked task, forced yield. Never in the queue twice. */
export const SCHEDULED = 0;
/** Being polled now. Left at the end of the step. */
export const RUNNING = 1;
/** Woken while RUNNING (a wake during its own poll): goes back to SCHEDULED at the end of the step instead of PARKED, so no wake-up is lost. */
export const NOTIFIED = 2;
/** Its future returned Pending; waits for its waker. Not in the run queue. */
export const PARKED = 3;
/** Finished with a value. Terminal. */
export const COMPLETED = 4;
/** Finished with an error (thrown by the generator, or by a `finally` during cancellation). Terminal. */
export const FAILED = 5;
/** Finished because it was aborted and unwound. Terminal. */
export const CANCELLED = 6;

// The `flags` word: bits 0–1 hold the cancellation track, then two booleans. One small integer
// instead of four fields keeps a parked task small (W4 measures bytes per parked task).
const CANCEL_MASK = 0b0011;
/** No abort requested. */
const CANCEL_NONE = 0;
/** abort() was called; the next step throws CancelledError at the suspension point. */
const CANCEL_REQUESTED = 1;
/** The current future asked (drop() → true) to be polled until it settles before the throw. */
const CANCEL_DRAINING = 2;
/** CancelledError was thrown into the generator; its finally blocks are running. */
const CANCEL_DELIVERED = 3;
/** The outcome was delivered to a joiner (or claimed): an error is then theirs, not the runtime's to report (rule 9). */
const JOINED = 0b0100;
/** The last poll read `cx.waker`: Pending without it is a lost waker. */
const WAKER_READ = 0b1000;

/** The id and name of a task, as schedulers and error handlers see it. @public */
export interface TaskInfo {
  readonly id: number;
  readonly name: string | undefined;
}

/** What a task needs from its runtime: counters, the run queue, time, and the trace sink. */
export interface TaskHost {
  polls: number;
  wakes: number;
  parked: number;
  forcedYields: number;
  /** Polls left in this turn; at 0 a task with more to do is moved to the back (coop budget). */
  pollsLeft: number;
  /** True while the runtime itself is stepping tasks or firing timers (any other wake is "outside"). */
  driving: boolean;
  /** Promises and I/O the runtime is waiting on: keeps a virtual clock from calling it a deadlock. */
  pendingExternal: number;
  readonly sink: ((event: TraceEvent) => void) | undefined;
  readonly clock: Clock;
  readonly timers: TimerHeap;
  /** The public Runtime this host belongs to. */
  readonly runtime: unknown;
  enqueue(task: Task): void;
  finished(task: Task): void;
  emit(kind: TraceKind, task: Task, detail?: string, by?: TraceEvent["by"], future?: unknown): void;
  wokenBy(): TraceEvent["by"];
}

const NEXT = 0;
const THROW = 1;
const POLL = 2;

/** What `resume` hands back (yielded, returned or thrown): one module slot, not a field per task. */
let scratch: unknown = undefined;

const YIELDED = 0;
const RETURNED = 1;
const THREW = 2;

/** A spawned generator and its state. Internal: users hold a JoinHandle, futures see a Waker. */
export class Task<T = unknown> implements Waker, Context, TaskInfo {
  state = SCHEDULED;
  /** The frame the driver resumes (top of the call stack); undefined until started and after finishing. */
  private gen: Iterator<unknown, unknown, unknown> | undefined = undefined;
  /** Frames below `gen`, pushed by `call()`; undefined until the first call. */
  private parents: Iterator<unknown, unknown, unknown>[] | undefined = undefined;
  private body: Body<T> | undefined;
  /** The future the generator is suspended on (rule 3: after a wake, poll this same one again). */
  fut: Future<unknown> | undefined = undefined;
  /** The cancellation track (CANCEL_*) and the JOINED and WAKER_READ bits. */
  private flags = CANCEL_NONE;
  /** The value (COMPLETED) or the error (FAILED, CANCELLED); while alive, its CancelledError once aborted. */
  result: unknown = undefined;
  /** Wakers of tasks (or promises) joining this one. */
  joiners: WakerSet | undefined = undefined;
  /** Neighbours in the runtime's list of live tasks (intrusive: O(1) add and remove). */
  prevLive: Task | undefined = undefined;
  nextLive: Task | undefined = undefined;

  constructor(
    readonly host: TaskHost,
    readonly id: number,
    readonly name: string | undefined,
    body: Body<T>,
  ) {
    this.body = body;
  }

  // ── Waker and Context ────────────────────────────────────────────────────────────────

  /** The Context view: reading the waker is what a future does to arrange its wake-up. */
  get waker(): Waker {
    this.flags |= WAKER_READ;
    return this;
  }

  wake(): void {
    const host = this.host;
    const s = this.state;
    host.wakes++;
    if (s === PARKED) {
      this.state = SCHEDULED;
      host.parked--;
      if (host.sink !== undefined) host.emit("wake", this, undefined, host.wokenBy());
      host.enqueue(this);
    } else if (s === RUNNING) {
      this.state = NOTIFIED;
      if (host.sink !== undefined) host.emit("wake", this, "during its own poll", host.wokenBy());
    }
    // SCHEDULED or NOTIFIED: it will run anyway (wakes are deduplicated). Finished: no-op.
  }

  wakeByRef(): void {
    this.wake();
  }

  clone(): Waker {
    return this;
  }

  willWake(other: Waker): boolean {
    return other === this;
  }

  toString(): string {
    return `Waker(task #${this.id}${this.name === undefined ? "" : ` "${this.name}"`})`;
  }

  // ── Queries ──────────────────────────────────────────────────────────────────────────

  /** True once the outcome was delivered to a joiner (or claimed). A joiner cancelled before delivery does not count. */
  get joined(): boolean {
    return (this.flags & JOINED) !== 0;
  }

  set joined(value: boolean) {
    this.flags = value ? this.flags | JOINED : this.flags & ~JOINED;
  }

  /** Whether the last poll read `cx.waker`. */
  get wakerRead(): boolean {
    return (this.flags & WAKER_READ) !== 0;
  }

  private get cancel(): number {
    return this.flags & CANCEL_MASK;
  }

  private set cancel(track: number) {
    this.flags = (this.flags & ~CANCEL_MASK) | track;
  }

  get finished(): boolean {
    return this.state >= COMPLETED;
  }

  /** What the task is suspended on, in words. */
  waitsOn(): string {
    if (this.gen === undefined && this.state === SCHEDULED) return "nothing (not started)";
    return describeFuture(this.fut);
  }

  // ── Cancellation ─────────────────────────────────────────────────────────────────────

  /** Request cancellation (sticky, idempotent). Delivered as a CancelledError at the next yield. */
  abort(): void {
    if (this.state >= COMPLETED || this.cancel !== CANCEL_NONE) return;
    this.cancel = CANCEL_REQUESTED;
    const host = this.host;
    if (this.state === PARKED) {
      this.state = SCHEDULED;
      host.parked--;
      if (host.sink !== undefined) host.emit("wake", this, "abort", host.wokenBy());
      host.enqueue(this);
    } else if (this.state === RUNNING) {
      // Aborted during its own poll (the future, or something it called, aborted it): if that
      // poll returns Pending, the task must come back to receive the cancellation, not park.
      this.state = NOTIFIED;
    }
  }

  /** The one CancelledError of this task, so every joiner sees the same object (kept in `result` while alive). */
  private cancelled(): CancelledError {
    const held = this.result;
    if (held instanceof CancelledError) return held;
    const error = new CancelledError(`task #${this.id}${this.name === undefined ? "" : ` "${this.name}"`} was cancelled`);
    this.result = error;
    return error;
  }

  // ── The step ─────────────────────────────────────────────────────────────────────────

  /**
   * Poll this task once: resume its generator until it parks, finishes, or the turn's budget
   * runs out. Ready futures resume the generator in the same step (rule 1).
   */
  run(): void {
    const prev = enterTask(this);
    this.state = RUNNING;
    try {
      this.step(this.host);
    } finally {
      leaveTask(prev); // even when a host callback (a trace sink) throws through the step
    }
  }

  private step(host: TaskHost): void {
    let mode: number;
    let arg: unknown = undefined;
    if (this.fut !== undefined) {
      mode = POLL;
    } else if (this.gen === undefined) {
      if (this.cancel !== CANCEL_NONE) return this.finish(CANCELLED, this.cancelled()); // aborted before it ever ran
      const body = this.body as Body<T>;
      this.body = undefined;
      try {
        this.gen = iteratorOf(body, "spawn()");
      } catch (error) {
        return this.finish(FAILED, error);
      }
      mode = NEXT;
    } else {
      // Only reachable if a step was interrupted by a host error; resume with what we have.
      mode = NEXT;
    }

    for (;;) {
      if (mode === POLL) {
        const fut = this.fut as Future<unknown>;
        if (this.cancel === CANCEL_REQUESTED) {
          let more = false;
          try {
            more = typeof fut.drop === "function" && fut.drop() === true;
          } catch (error) {
            // A drop that throws replaces the cancellation, like a finally that throws.
            this.fut = undefined;
            this.cancel = CANCEL_DELIVERED;
            mode = THROW;
            arg = error;
            continue;
          }
          if (more) {
            this.cancel = CANCEL_DRAINING;
          } else {
            this.fut = undefined;
            this.cancel = CANCEL_DELIVERED;
            mode = THROW;
            arg = this.cancelled();
            continue;
          }
        }
        let p: Poll<unknown>;
        this.flags &= ~WAKER_READ;
        host.polls++;
        host.pollsLeft--;
        if (host.sink !== undefined) host.emit("poll", this, describeFuture(fut), undefined, fut);
        try {
          p = fut.poll(this);
        } catch (error) {
          this.fut = undefined; // rule 4: a poll that throws throws at the yield
          if (host.sink !== undefined) host.emit("throw", this, errorText(error));
          mode = THROW;
          arg = this.endDrain(error);
          continue;
        }
        if (!p.ready) return this.park(host);
        this.fut = undefined;
        if (host.sink !== undefined) host.emit("ready", this);
        if (this.cancel === CANCEL_DRAINING) {
          mode = THROW;
          arg = this.endDrain(undefined);
          continue;
        }
        mode = NEXT;
        arg = p.value;
      }

      const code = this.resume(mode, arg);
      const y = scratch;
      scratch = undefined;
      if (code === YIELDED) {
        if (isFuture(y)) {
          this.fut = y;
          mode = POLL;
          if (host.pollsLeft <= 0) {
            // Coop budget (rule 7): this task could go on, but others get a turn first.
            host.forcedYields++;
            this.state = SCHEDULED;
            if (host.sink !== undefined) host.emit("pending", this, "budget spent: forced yield");
            host.enqueue(this);
            return;
          }
          continue;
        }
        // Rule 5: the TypeError is thrown at that yield. It goes through a poll like any other
        // answer, so a task that catches it in a loop still meets the budget.
        this.fut = new ThrowAtYield(new TypeError(notAFuture(y)));
        mode = POLL;
        continue;
      }
      if (code === RETURNED) {
        // A task that swallowed its CancelledError still ends cancelled: cancellation is sticky.
        return this.cancel === CANCEL_DELIVERED ? this.finish(CANCELLED, this.cancelled()) : this.finish(COMPLETED, y);
      }
      if (this.cancel === CANCEL_DELIVERED && y instanceof CancelledError) return this.finish(CANCELLED, this.cancelled());
      return this.finish(FAILED, y);
    }
  }

  /** Leaving a drain: a child's error other than cancellation replaces ours; otherwise deliver ours. */
  private endDrain(error: unknown): unknown {
    if (this.cancel !== CANCEL_DRAINING) return error;
    this.cancel = CANCEL_DELIVERED;
    return error === undefined || error instanceof CancelledError ? this.cancelled() : error;
  }

  /**
   * Resume the frame stack with a value (NEXT) or an error (THROW) until a frame yields a
   * future, or the bottom frame returns or throws. `call()` requests push frames; a finished
   * frame pops and resumes its parent. The result goes in `scratch`.
   */
  private resume(mode: number, arg: unknown): number {
    for (;;) {
      const it = this.gen as Iterator<unknown, unknown, unknown>;
      let r: IteratorResult<unknown, unknown>;
      try {
        if (mode === NEXT) {
          r = it.next(arg);
        } else if (typeof it.throw === "function") {
          r = it.throw(arg);
        } else {
          if (typeof it.return === "function") it.return();
          throw arg;
        }
        if (r === null || typeof r !== "object") {
          throw new TypeError(`an iterator's next() returned ${describeValue(r)}, not an IteratorResult object`);
        }
      } catch (error) {
        if (!this.popFrame()) {
          scratch = error;
          return THREW;
        }
        mode = THROW;
        arg = error;
        continue;
      }
      if (r.done === true) {
        if (!this.popFrame()) {
          scratch = r.value;
          return RETURNED;
        }
        mode = NEXT;
        arg = r.value;
        continue;
      }
      const y = r.value;
      if (y instanceof CallRequest) {
        let frame: Iterator<unknown, unknown, unknown>;
        try {
          frame = y.start();
        } catch (error) {
          mode = THROW;
          arg = error;
          continue;
        }
        (this.parents ??= []).push(it);
        this.gen = frame;
        mode = NEXT;
        arg = undefined;
        continue;
      }
      scratch = y;
      return YIELDED;
    }
  }

  /** Drop the top frame; false when it was the bottom one. */
  private popFrame(): boolean {
    const parents = this.parents;
    if (parents === undefined || parents.length === 0) return false;
    this.gen = parents.pop();
    return true;
  }

  private park(host: TaskHost): void {
    if (this.state === NOTIFIED) {
      // Woken during its own poll: straight back to the queue (rule 2).
      this.state = SCHEDULED;
      if (host.sink !== undefined) host.emit("pending", this, "woken during its poll: rescheduled");
      host.enqueue(this);
      return;
    }
    this.state = PARKED;
    host.parked++;
    if (host.sink !== undefined) host.emit("park", this, this.waitsOn());
  }

  private finish(state: number, result: unknown): void {
    this.state = state;
    this.result = result;
    this.gen = undefined;
    this.parents = undefined;
    this.fut = undefined;
    this.body = undefined;
    this.host.finished(this);
    const joiners = this.joiners;
    if (joiners !== undefined) {
      this.joiners = undefined;
      joiners.wakeAll(); // wakes only enqueue: completion never recurses
    }
  }
}

/** The answer to a yield of something that is not a future: its poll throws the TypeError. */
class ThrowAtYield implements Future<never> {
  constructor(private readonly error: TypeError) {}
  poll(): Poll<never> {
    throw this.error;
  }
  describe(): string {
    return "a value that is not a future";
  }
}

/** "Name: message" for an Error, the value's text otherwise. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return describeValue(error);
}

function notAFuture(value: unknown): string {
  const what = describeValue(value);
  let hint = "";
  if (what === "a generator object") hint = ": did you mean yield* instead of yield?";
  else if (what === "a Promise") hint = ": wrap it with fromPromise(promise)";
  else if (what.startsWith("a function")) hint = ": did you mean to call it, or yield* call(fn)?";
  return `a task yielded ${what}, which is not a Future (an object with poll(cx))${hint}`;
}

/** The runtime of the task being polled right now; `what` names the caller in the error outside a task. */
export function runningHost(what: string): TaskHost {
  const t = currentTask();
  if (t === undefined) throw new Error(`${what} must be polled by a wakeful task (it needs the task's runtime and clock)`);
  return t.host as TaskHost;
}
