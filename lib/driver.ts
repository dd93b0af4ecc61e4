// The driver loop: the engine behind a Runtime. It owns the run queue, the timers and the
// clock, and repeats one cycle until there is nothing left to do:
//
//   ┌─► fire due timers ─► poll ready tasks (≤ budget polls) ─► done? ─► return
//   │                                                          │ no
//   │   ready tasks left ─► yield to the host (a macrotask) ───┤
//   │   idle: virtual clock ─► jump to the next timer ─────────┤
//   │         real clock    ─► arm ONE host timer, sleep until ┤
//   │                          it fires or an outside wake     │
//   └────────────────────────────────────────────────────────--┘
//   idle with nothing that can wake anyone ─► DeadlockError
//
// Invariants: a task is in the queue at most once (its SCHEDULED state says so); at most one
// host timer is armed, for the earliest deadline; the loop never awaits a Promise per step.

import { makeClock, type RealClock, type VirtualClock } from "./clock";
import { DeadlockError, type ParkedTaskInfo } from "./errors";
import type { TraceEvent, TraceKind, TraceSink } from "./events";
import { cancelHostTimer, hostTimeout, macrotask, onHostIdle } from "./host";
import type { Body } from "./poll";
import { RingQueue } from "./queue";
import { clampChoice, type Scheduler } from "./scheduler";
import { FAILED, PARKED, CANCELLED, COMPLETED, Task, errorText, type TaskHost, type TaskInfo } from "./task";
import { TimerHeap } from "./timer";
import { currentTask } from "./current";
import { traceFields } from "./step";
import type { Waker } from "./waker";

/** Settings the driver runs with (validated by the Runtime). */
export interface DriverOptions {
  clock: "real" | "virtual" | undefined;
  scheduler: Scheduler | undefined;
  budget: number;
  sink: TraceSink | undefined;
  onTaskError: ((error: unknown, task: TaskInfo) => void) | undefined;
}

export class Driver implements TaskHost {
  readonly queue = new RingQueue<Task>(64);
  readonly timers = new TimerHeap();
  readonly clock: RealClock | VirtualClock;
  readonly sink: TraceSink | undefined;
  private readonly scheduler: Scheduler | undefined;
  readonly budget: number;
  private readonly onTaskError: ((error: unknown, task: TaskInfo) => void) | undefined;

  // Counters (the public metrics read these).
  polls = 0;
  wakes = 0;
  parked = 0;
  forcedYields = 0;
  spawned = 0;
  completed = 0;
  failed = 0;
  cancelled = 0;
  outsideWakes = 0;
  hostYields = 0;
  timersFired = 0;

  pollsLeft = 0;
  driving = false;
  private firingTimers = false;
  pendingExternal = 0;

  private liveHead: Task | undefined = undefined;
  liveCount = 0;
  private nextId = 1;
  /** Failed tasks nobody had joined when they failed; re-checked when reported. */
  private unobserved: Task[] = [];

  /** True while run()/blockOn() is driving asynchronously. */
  looping = false;
  /** Resumes an idle async loop; set only while it waits. */
  private kick: (() => void) | undefined = undefined;
  private hostTimer: unknown = undefined;
  private hostTimerAt = Infinity;

  constructor(
    readonly runtime: unknown,
    options: DriverOptions,
  ) {
    this.clock = makeClock(options.clock);
    this.scheduler = options.scheduler;
    this.budget = options.budget;
    this.sink = options.sink;
    this.onTaskError = options.onTaskError;
  }

  // ── Tasks ────────────────────────────────────────────────────────────────────────────

  spawn<T>(body: Body<T>, name: string | undefined): Task<T> {
    const task = new Task<T>(this, this.nextId++, name, body);
    const head = this.liveHead;
    task.nextLive = head;
    if (head !== undefined) head.prevLive = task;
    this.liveHead = task;
    this.liveCount++;
    this.spawned++;
    if (this.sink !== undefined) this.emit("spawn", task, undefined, this.wokenBy());
    this.queue.push(task); // rule 6: queued, not run
    if (this.kick !== undefined) this.kick();
    return task;
  }

  enqueue(task: Task): void {
    this.queue.push(task);
    if (!this.driving) {
      this.outsideWakes++;
      if (this.kick !== undefined) this.kick();
    }
  }

  finished(task: Task): void {
    const prev = task.prevLive;
    const next = task.nextLive;
    if (prev !== undefined) prev.nextLive = next;
    else this.liveHead = next;
    if (next !== undefined) next.prevLive = prev;
    task.prevLive = task.nextLive = undefined;
    this.liveCount--;
    const state = task.state;
    if (state === COMPLETED) this.completed++;
    else if (state === CANCELLED) this.cancelled++;
    else {
      this.failed++;
      if (!task.joined) this.unobserved.push(task);
    }
    if (this.sink !== undefined) {
      const kind: TraceKind = state === COMPLETED ? "complete" : state === CANCELLED ? "cancel" : "fail";
      this.emit(kind, task, state === FAILED ? errorText(task.result) : undefined);
    }
  }

  /** Every live task, oldest first. */
  liveTasks(): Task[] {
    const out: Task[] = [];
    for (let t = this.liveHead; t !== undefined; t = t.nextLive) out.push(t);
    return out.reverse();
  }

  // ── Tracing ──────────────────────────────────────────────────────────────────────────

  emit(kind: TraceKind, task: Task, detail?: string, by?: TraceEvent["by"], future?: unknown): void {
    const sink = this.sink;
    if (sink === undefined) return;
    const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { t: this.clock.now(), kind, task: task.id };
    if (task.name !== undefined) event.name = task.name;
    if (detail !== undefined) event.detail = detail;
    if (by !== undefined) event.by = by;
    if (future !== undefined) traceFields(event, future);
    sink(event);
  }

  /** Who is causing a wake right now: the running task, a timer, or something outside. */
  wokenBy(): TraceEvent["by"] {
    if (this.firingTimers) return "timer";
    const t = currentTask();
    if (t !== undefined && t.host === this) return t.id;
    return this.driving ? undefined : "outside";
  }

  // ── One cycle ────────────────────────────────────────────────────────────────────────

  /** Fire every timer due now, in (deadline, creation) order. */
  fireTimers(): void {
    if (this.timers.size === 0) return;
    const now = this.clock.now();
    const wasDriving = this.driving;
    this.driving = true;
    this.firingTimers = true;
    for (let e = this.timers.popDue(now); e !== undefined; e = this.timers.popDue(now)) {
      const waker = e.waker as Waker;
      e.waker = undefined; // a fired entry must not keep its task alive
      this.timersFired++;
      if (this.sink !== undefined && waker instanceof Task) this.emit("timer", waker, `deadline ${e.deadline}`, "timer");
      waker.wake();
    }
    this.firingTimers = false;
    this.driving = wasDriving;
  }

  /** Poll ready tasks until the queue is empty or `budget` polls were made this turn. */
  runReady(until?: () => boolean): void {
    this.pollsLeft = this.budget;
    this.driving = true;
    const queue = this.queue;
    try {
      while (this.pollsLeft > 0 && queue.length > 0) {
        (this.next() as Task).run();
        if (until !== undefined && until()) break;
      }
    } finally {
      this.driving = false;
    }
  }

  /** Take the next task: the head (FIFO) unless a scheduler chooses among several. */
  next(): Task | undefined {
    const queue = this.queue;
    if (this.scheduler === undefined || queue.length < 2) return queue.shift();
    const ready = queue.toArray();
    const k = clampChoice(this.scheduler.chooseTask(ready, this.clock.now()), ready.length);
    return k === 0 ? queue.shift() : queue.removeAt(k);
  }

  /** Virtual clock: jump to the next deadline. False when no timer is armed. */
  advance(): boolean {
    const d = this.timers.nextDeadline();
    if (d === undefined || this.clock.kind !== "virtual") return false;
    (this.clock as VirtualClock).advanceTo(d);
    return true;
  }

  // ── Driving ──────────────────────────────────────────────────────────────────────────

  /** Drive asynchronously until `done()`; yields to the host after each budget of polls. */
  async drive(done: () => boolean): Promise<void> {
    if (this.looping) throw new Error("this runtime is already running: await the first run() before starting another");
    if (this.driving) throw new Error("a runtime cannot be driven from inside one of its own tasks");
    this.looping = true;
    try {
      for (;;) {
        await this.busy(done);
        if (done()) return;
        this.reportFailures(false);
        if (this.queue.length > 0) continue; // the handler spawned or woke something
        if (this.clock.kind === "virtual") {
          if (this.advance()) continue;
          if (this.pendingExternal > 0) {
            await this.idle(false);
            continue;
          }
          throw this.deadlock("nothing can wake them");
        }
        const d = this.timers.nextDeadline();
        if (d !== undefined) this.armHostTimer(d);
        await this.idle(d === undefined && this.pendingExternal === 0);
      }
    } finally {
      this.looping = false;
      this.kick = undefined;
      this.disarmHostTimer();
    }
  }

  /**
   * Run turns until the queue is empty or `done()`: each turn fires due timers and polls up to
   * `budget` tasks, and between turns the host gets a macrotask (rule 7). The turns of one busy
   * period chain through host callbacks and share one Promise: no Promise per host yield.
   */
  private busy(done: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const turn = (): void => {
        try {
          this.fireTimers();
          this.runReady(done);
          if (done() || this.queue.length === 0) return resolve();
          this.hostYields++;
          macrotask(turn);
        } catch (error) {
          reject(error);
        }
      };
      turn();
    });
  }

  /** Drive synchronously until `done()` (virtual clock only). */
  driveSync(done: () => boolean): void {
    if (this.clock.kind !== "virtual") {
      throw new Error('runSync() needs a virtual clock (new Runtime({ clock: "virtual" })): a real clock has to wait for the host, so use run()');
    }
    if (this.looping || this.driving) throw new Error("this runtime is already running");
    this.looping = true; // an onTaskError handler must not re-enter the loop
    try {
      for (;;) {
        this.fireTimers();
        this.runReady(done);
        if (done()) return;
        if (this.queue.length > 0) continue;
        this.reportFailures(false);
        if (this.queue.length > 0) continue; // the handler spawned or woke something
        if (this.advance()) continue;
        if (this.pendingExternal > 0) {
          throw this.deadlock("runSync() cannot wait for the promises or I/O they wait on: use run()");
        }
        throw this.deadlock("nothing can wake them");
      }
    } finally {
      this.looping = false;
    }
  }

  /** Run whatever is ready now, without waiting or advancing time. */
  drainReady(): void {
    if (this.looping || this.driving) return;
    do {
      this.fireTimers();
      this.runReady();
    } while (this.queue.length > 0);
  }

  /** Wait for an outside wake or the armed host timer. With `watchExit`, a host with nothing left to run means deadlock. */
  private idle(watchExit: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let unwatch: () => void = noop;
      this.kick = () => {
        this.kick = undefined;
        unwatch();
        resolve();
      };
      if (watchExit) {
        unwatch = onHostIdle(() => {
          this.kick = undefined;
          unwatch();
          reject(this.deadlock("the host has nothing left that could wake them"));
        });
      }
    });
  }

  private armHostTimer(deadline: number): void {
    if (this.hostTimer !== undefined && this.hostTimerAt <= deadline) return;
    this.disarmHostTimer();
    this.hostTimerAt = deadline;
    // Hosts clamp delays past 2^31-1 ms to ~1 ms; arm at most that and re-arm when it fires.
    const ms = Math.min(HOST_TIMER_MAX, Math.max(0, Math.ceil(deadline - this.clock.now())));
    this.hostTimer = hostTimeout(() => {
      this.hostTimer = undefined;
      this.hostTimerAt = Infinity;
      if (this.kick !== undefined) this.kick();
    }, ms);
  }

  private disarmHostTimer(): void {
    if (this.hostTimer === undefined) return;
    cancelHostTimer(this.hostTimer);
    this.hostTimer = undefined;
    this.hostTimerAt = Infinity;
  }

  // ── Outcomes ─────────────────────────────────────────────────────────────────────────

  deadlock(why: string): DeadlockError {
    const parked: ParkedTaskInfo[] = [];
    for (const t of this.liveTasks()) {
      if (t.state !== PARKED) continue;
      parked.push({ id: t.id, name: t.name, waitsOn: t.waitsOn(), lostWaker: !t.wakerRead });
    }
    return new DeadlockError(parked, this.clock.now(), why);
  }

  /**
   * Errors of failed tasks nobody joined (rule 9). With an `onTaskError` handler they go to it
   * (at every idle point, so a long-lived runtime reports promptly); otherwise, at the end,
   * they are returned for run() to reject with.
   */
  reportFailures(atEnd: boolean): unknown[] {
    if (this.unobserved.length === 0) return [];
    const pending = this.unobserved.filter((t) => !t.joined);
    if (this.onTaskError !== undefined) {
      this.unobserved = [];
      for (const t of pending) this.onTaskError(t.result, { id: t.id, name: t.name });
      return [];
    }
    if (!atEnd) {
      this.unobserved = pending;
      return [];
    }
    this.unobserved = [];
    return pending.map((t) => t.result);
  }

  /** Abort every live task; each unwinds through its finally blocks when next polled. */
  abortAll(): void {
    for (const t of this.liveTasks()) t.abort();
  }
}

const HOST_TIMER_MAX = 2 ** 31 - 1;

function noop(): void {}
