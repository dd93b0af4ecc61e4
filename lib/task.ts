// The task state machine: one spawned generator's life, drawn here and assigned only here.
// Every transition is a named method that returns what the caller must do next; the counters
// change with the transitions. A task is also its own Waker and Context (as in async-task,
// where a waker points at the task): one waker per task, nothing allocated per poll.
//
//             spawn                             Ready: resume the generator in the same step
//               │                            ┌──────────────┐
//               ▼          startStep()       ▼              │
//   ┌────────► SCHEDULED ────────────────► RUNNING ─────────┘
//   │             ▲   ▲                    │  │  │
//   │ wake()/     │   └── requeue(): ──────┘  │  └── finish() ──► COMPLETED · FAILED · CANCELLED
//   │ abort()     │       budget spent        │ wake()/abort() during its own poll
//   │             │                           ▼
//   │          endPoll() "requeued" ◄──── NOTIFIED
//   │                                         │
//   └────────── PARKED ◄── endPoll() "parked" ─┘ (from RUNNING)
//
// Cancellation is a second, sticky track (CANCEL_* below):
//
//   NONE ──abort()──► REQUESTED ──at a yield: throw CancelledError──► DELIVERED ──any later yield──► return()
//                        │   ▲                                          ▲
//                        │   └── drained future settled Ready ──┐       │
//                        └──drop(cx) → true──► DRAINING ────────┴───────┘ (settled by throwing)
//
// Inside a shield frame neither track is acted on: the shield runs to its end first.

import type { TraceEvent, TraceKind, TraceSink } from "./events";
import { CancelledError } from "./errors";
import type { Body, Future } from "./poll";
import { describeFuture } from "./poll";
import type { Counters } from "./metrics";
import { clear, isShielded, type FrameStack } from "./frames";
import { JoinHandle, type TaskEnding } from "./handle";
import { RUNTIME, type Context, type Waker } from "./waker";
import { wakeWaiters, type Waiters } from "./waiting";

/** In the run queue; will be polled. Entered on spawn, on a wake or abort of a parked task, and on requeue. Never in the queue twice. */
export const SCHEDULED = 0;
/** Being stepped now. Left at the end of the step. */
export const RUNNING = 1;
/** Woken (or aborted) while RUNNING: goes back to SCHEDULED at the end of the step instead of PARKED, so no wake-up is lost. */
export const NOTIFIED = 2;
/** Its future returned Pending; waits for its waker. Not in the run queue. */
export const PARKED = 3;
/** Finished with a value. Terminal. */
export const COMPLETED = 4;
/** Finished with an error (thrown by the generator, or by a `finally` during cancellation). Terminal. */
export const FAILED = 5;
/** Finished because it was aborted and unwound. Terminal. */
export const CANCELLED = 6;

/** No abort requested. */
export const CANCEL_NONE = 0;
/** abort() was called; at the next yield outside a shield the CancelledError is thrown (after dropping the future it waited on). */
export const CANCEL_REQUESTED = 1;
/** The future it waited on asked (drop(cx) → true) to be polled until it settles; the driver does, not the task's code. */
export const CANCEL_DRAINING = 2;
/** The CancelledError was thrown; every later yield outside a shield ends the frame with return(). */
export const CANCEL_DELIVERED = 3;

// The `flags` word: bits 0–2 hold the state, bits 3–4 the cancellation track, then booleans,
// then the shield depth. One small integer instead of several fields keeps a parked task small
// (W4 measures bytes per parked task; the state alone in its own field cost 8 B per task).
const STATE_MASK = 0b111;
const CANCEL_SHIFT = 3;
const CANCEL_MASK = 0b11 << CANCEL_SHIFT;
/** The outcome was delivered to a joiner (or claimed): an error is then theirs, not the runtime's to report (rule 9). */
const JOINED = 1 << 5;
/** The last poll read `cx.waker`: Pending without it is a lost waker. */
const WAKER_READ = 1 << 6;
/** The current future was polled by this task (so dropping it means something). */
const POLLED = 1 << 7;
/** The body was started: `fut` no longer holds it. */
const STARTED = 1 << 8;
/** In the runtime's list of tasks that outlived their first step (see Driver.listLive). */
const LISTED = 1 << 9;
/** Bits 10 and up: the depth of the outermost shield frame + 1 (0: none), see frames.ts. */
const SHIELD_SHIFT = 10;
const LOW_BITS = (1 << SHIELD_SHIFT) - 1;

/** The id and name of a task, as schedulers and error handlers see it. @public */
export interface TaskInfo {
  /** Unique within its runtime, in spawn order (the main task of `run` is #1). */
  readonly id: number;
  /** The name given at spawn (`{ name }`), if any. */
  readonly name: string | undefined;
}

/**
 * A task name formatted only when asked (a trace, a report, a scheduler that reads it): a
 * combinator's child names itself `all[i]` from its index instead of building the string at
 * spawn (all() over 100k children built 100k strings nobody read).
 */
export interface NameSource {
  taskName(): string;
}

/** What a task needs from its runtime. */
export interface TaskHost {
  readonly counters: Counters;
  /** Polls a task may make in one step before it goes to the back (rule 7). */
  readonly budget: number;
  readonly sink: TraceSink | undefined;
  /** True while something drives the runtime (run, runSync, step, or a task of it). */
  readonly running: boolean;
  enqueue(task: Task): void;
  /** The task's first step ended and it lives on. */
  outlived(task: Task): void;
  finished(task: Task): void;
  /** `more`: extra fields of the event (a poll's yield site and step label, a pick's queue index). */
  emit(kind: TraceKind, task: Task, detail?: string, by?: TraceEvent["by"], more?: Partial<TraceEvent>): void;
  wokenBy(): TraceEvent["by"];
}

/** What `endPoll` did: the caller has nothing more to do in this step either way. */
export type EndPoll = "parked" | "requeued";

/**
 * A spawned generator and its state. Internal: users hold it typed as its JoinHandle (the base
 * class), futures as a Waker and a Context; one object backs the three views.
 */
export class Task<T = unknown> extends JoinHandle<T> implements Waker, Context, TaskInfo, FrameStack, Waiters {
  /** The state, the cancellation track and the boolean bits above (starts SCHEDULED, CANCEL_NONE). */
  private flags = SCHEDULED;
  /**
   * The future the generator is suspended on (rule 3: after a wake, poll this same one again);
   * before the first step, the body to start (one field for both: a parked task stays small).
   */
  fut: Future<unknown> | Body<T> | undefined;
  /** The value (COMPLETED) or the error (FAILED, CANCELLED); while alive, its CancelledError once aborted. */
  result: unknown = undefined;

  // FrameStack (see frames.ts).
  top: Iterator<unknown, unknown, unknown> | undefined = undefined;
  below: Iterator<unknown, unknown, unknown>[] | undefined = undefined;

  /** Whoever joins or watches this task (see waiting.ts). */
  waiters: Waker | Waker[] | undefined = undefined;

  /** Neighbours in the runtime's list of tasks that outlived their first step (intrusive: O(1) add and remove). */
  prevLive: Task | undefined = undefined;
  nextLive: Task | undefined = undefined;

  constructor(
    readonly host: TaskHost,
    override readonly id: number,
    /** The name, or what formats it when asked (see {@link NameSource}). */
    readonly named: string | NameSource | undefined,
    body: Body<T>,
    /**
     * The task whose combinator (race, all, timeout, scope…) started this one: cancelling that
     * task cancels this one through the combinator, and not while the owner is shielded, so
     * shutdown() leaves an owned task to a live owner.
     */
    readonly owner: Task | undefined,
  ) {
    super();
    this.fut = body;
  }

  // ── Queries ──────────────────────────────────────────────────────────────────────────

  get state(): number {
    return this.flags & STATE_MASK;
  }

  /** True once it completed, failed or was cancelled (its handle's `finished`). */
  get ended(): boolean {
    return (this.flags & STATE_MASK) >= COMPLETED;
  }

  get started(): boolean {
    return (this.flags & STARTED) !== 0;
  }

  /** Take the body to start it (the first step). */
  start(): Body<T> {
    const body = this.fut as Body<T>;
    this.fut = undefined;
    this.flags |= STARTED;
    return body;
  }

  /** The FrameStack's shield depth, kept in the flags word (see frames.ts). */
  get shieldAt(): number {
    return (this.flags >>> SHIELD_SHIFT) - 1;
  }

  set shieldAt(depth: number) {
    this.flags = (this.flags & LOW_BITS) | ((depth + 1) << SHIELD_SHIFT);
  }

  get cancelTrack(): number {
    return (this.flags & CANCEL_MASK) >>> CANCEL_SHIFT;
  }

  /** True once the outcome was delivered to a joiner (or claimed). */
  get joined(): boolean {
    return (this.flags & JOINED) !== 0;
  }

  /** The outcome is someone's now: a failure is no longer the runtime's to report. */
  markJoined(): void {
    this.flags |= JOINED;
  }

  /** In the runtime's list of tasks that outlived their first step. */
  get listed(): boolean {
    return (this.flags & LISTED) !== 0;
  }

  /** Its first step ended and it lives on: it joins the runtime's list of live tasks. */
  outlived(): void {
    this.flags |= LISTED;
    this.host.outlived(this);
  }

  /** Whether the last poll read `cx.waker`. */
  get wakerRead(): boolean {
    return (this.flags & WAKER_READ) !== 0;
  }

  /** Whether the current future has been polled by this task. */
  get futPolled(): boolean {
    return (this.flags & POLLED) !== 0;
  }

  /** What the task is suspended on, in words. */
  waitsOn(): string {
    if (!this.started) return "nothing (not started)";
    return describeFuture(this.fut as Future<unknown> | undefined);
  }

  // ── Waker and Context ────────────────────────────────────────────────────────────────

  /** The Context view: reading the waker is what a future does to arrange its wake-up. */
  get waker(): Waker {
    this.flags |= WAKER_READ;
    return this;
  }

  /** The Context carries the runtime, for futures that need its clock, timers or spawner. */
  get [RUNTIME](): TaskHost {
    return this.host;
  }

  /** How it ended, for a handle's `ending()`; only once it has. */
  get how(): TaskEnding["how"] {
    const s = this.flags & STATE_MASK;
    return s === COMPLETED ? "completed" : s === FAILED ? "failed" : "cancelled";
  }

  /** In the run queue now. */
  get queued(): boolean {
    return (this.flags & STATE_MASK) === SCHEDULED;
  }

  /** `task #3` or `task #3 "name"`. */
  get label(): string {
    return label(this);
  }

  wake(): void {
    const host = this.host;
    host.counters.wakes++;
    const s = this.flags & STATE_MASK;
    if (s === PARKED) {
      this.schedule("wake");
    } else if (s === RUNNING) {
      this.setState(NOTIFIED);
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

  override toString(): string {
    return `Waker(${label(this)})`;
  }

  // ── Transitions ──────────────────────────────────────────────────────────────────────

  /** SCHEDULED → RUNNING: the driver took it off the queue. */
  startStep(): void {
    this.setState(RUNNING);
  }

  /** A new future was yielded: it has not been polled by this task yet. */
  setFuture(fut: Future<unknown> | undefined): void {
    this.fut = fut;
    this.flags &= ~POLLED;
  }

  /** About to poll the current future: count it, and watch whether the poll reads the waker. */
  beforePoll(): void {
    this.flags = (this.flags & ~WAKER_READ) | POLLED;
    this.host.counters.polls++;
  }

  /** The poll returned Pending: park, or go straight back to the queue when woken during the poll (rule 2). */
  endPoll(): EndPoll {
    const host = this.host;
    if ((this.flags & STATE_MASK) === NOTIFIED) {
      this.setState(SCHEDULED);
      if (host.sink !== undefined) host.emit("pending", this, "woken during its poll: rescheduled");
      host.enqueue(this);
      return "requeued";
    }
    this.setState(PARKED);
    host.counters.parked++;
    if (host.sink !== undefined) host.emit("park", this, this.waitsOn());
    return "parked";
  }

  /**
   * RUNNING → SCHEDULED for `yield* yieldNow()`, which the harness carries out without polling:
   * counted as the two polls and the self-wake it stands for, so the metrics match a traced run.
   */
  yieldedNow(): void {
    const host = this.host;
    const c = host.counters;
    c.polls += 2;
    c.wakes++;
    this.setState(SCHEDULED);
    host.enqueue(this);
  }

  /** Budget spent (rule 7): this task could go on, but others get a turn first. */
  requeue(): void {
    const host = this.host;
    host.counters.forcedYields++;
    this.setState(SCHEDULED);
    if (host.sink !== undefined) host.emit("pending", this, "budget spent: forced yield");
    host.enqueue(this);
  }

  /** Request cancellation (sticky, idempotent). Delivered as a CancelledError at the next yield outside a shield. */
  cancel(): void {
    if ((this.flags & STATE_MASK) >= COMPLETED || this.cancelTrack !== CANCEL_NONE) return;
    this.setCancel(CANCEL_REQUESTED);
    if (isShielded(this)) return; // the shield runs to its end first; its next yield delivers
    if ((this.flags & STATE_MASK) === PARKED) this.schedule("abort");
    else if ((this.flags & STATE_MASK) === RUNNING) this.setState(NOTIFIED); // a Pending in this step must come back to receive it
  }

  /** REQUESTED → DRAINING: the dropped future asked to be polled until it settles. */
  beginDrain(): void {
    this.setCancel(CANCEL_DRAINING);
  }

  /** DRAINING → REQUESTED: the drained future settled with a value decided before the cancellation; it is delivered, and the error thrown at the next yield. */
  drainDelivered(): void {
    this.setCancel(CANCEL_REQUESTED);
  }

  /**
   * → DELIVERED: the error to throw at the yield now. `replacement` is an error other than
   * cancellation that surfaced while dropping or draining: it is thrown instead, as a `finally`
   * that throws replaces the error it was unwinding.
   */
  deliverCancel(replacement?: unknown): unknown {
    this.setCancel(CANCEL_DELIVERED);
    this.setFuture(undefined);
    if (replacement !== undefined && !(replacement instanceof CancelledError)) return replacement;
    return this.cancelledError();
  }

  /**
   * The generator finished: settle the outcome. A task that swallowed its CancelledError and
   * returned still ends cancelled; one that finished before a requested cancellation was
   * delivered keeps its outcome.
   */
  finish(ok: boolean, value: unknown): void {
    let state = ok ? COMPLETED : FAILED;
    if (this.cancelTrack === CANCEL_DELIVERED && (ok || value instanceof CancelledError)) {
      state = CANCELLED;
      value = this.cancelledError();
    }
    this.end(state, value);
  }

  /** Aborted before its first step: it never runs. */
  finishUnstarted(): void {
    this.start();
    this.end(CANCELLED, this.cancelledError());
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────

  private setState(state: number): void {
    this.flags = (this.flags & ~STATE_MASK) | state;
  }

  private setCancel(track: number): void {
    this.flags = (this.flags & ~CANCEL_MASK) | (track << CANCEL_SHIFT);
  }

  /** PARKED → SCHEDULED, into the run queue. */
  private schedule(why: "wake" | "abort"): void {
    const host = this.host;
    this.setState(SCHEDULED);
    host.counters.parked--;
    if (host.sink !== undefined) host.emit("wake", this, why === "abort" ? "abort" : undefined, host.wokenBy());
    host.enqueue(this);
  }

  /** The one CancelledError of this task, so every joiner sees the same object (kept in `result` while alive). */
  private cancelledError(): CancelledError {
    const held = this.result;
    if (held instanceof CancelledError) return held;
    const error = new CancelledError(`${label(this)} was cancelled`);
    this.result = error;
    return error;
  }

  private end(state: number, result: unknown): void {
    this.setState(state);
    this.result = result;
    clear(this);
    this.fut = undefined;
    this.host.finished(this);
    wakeWaiters(this); // joiners and watchers; wakes only enqueue, so completion never recurses
  }
}

/** `task #3` or `task #3 "name"`. */
export function label(t: TaskInfo): string {
  return `task #${t.id}${t.name === undefined ? "" : ` "${t.name}"`}`;
}
