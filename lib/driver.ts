// The driver loop: the engine behind a Runtime. It owns the run queue, the timers, the clock
// and the counters, and repeats one turn until there is nothing left to do:
//
//   ┌─► fire due timers ─► step ready tasks until the queue is empty ─► done? ─► return
//   │                      (each task: at most `budget` polls a step)  │ no
//   │   `slice` ms of continuous stepping ─► yield to the host ─────────┤ (run() only)
//   │   idle: virtual clock ─► jump to the next timer ─────────────────┤
//   │         real clock    ─► arm ONE host timer, sleep until it      │
//   │                          fires or an outside wake                │
//   └─────────────────────────────────────────────────────────────────┘
//   idle, and nothing can wake anyone (or the host ran out of work) ─► DeadlockError
//
// run() and runSync() share the turn; host yields fall between task steps and never reorder
// them, so for tasks that wait only on the runtime's own futures both give the same schedule.
// Invariants: a task is in the queue at most once (its SCHEDULED state says so); at most one
// host timer is armed, for the earliest deadline; no Promise is made per step.

import { makeClock, type RealClock, type VirtualClock } from "./clock";
import { DeadlockError, type ParkedTaskInfo } from "./errors";
import type { TraceEvent, TraceKind, TraceSink } from "./events";
import { cancelHostTimer, hostTimeout, macrotask, monotonicNow, onHostIdle } from "./host";
import { Counters } from "./metrics";
import type { Body } from "./poll";
import { RingQueue } from "./queue";
import { clampChoice, type Scheduler } from "./scheduler";
import { errorText, step } from "./harness";
import { CANCELLED, COMPLETED, FAILED, PARKED, Task, type NameSource, type TaskHost, type TaskInfo } from "./task";
import { TimerHeap } from "./timer";
import { sites } from "./site";
import { currentTask } from "./current";

/** Settings the driver runs with (validated by the Runtime). */
export interface DriverOptions {
  clock: "real" | "virtual" | undefined;
  scheduler: Scheduler | undefined;
  budget: number;
  slice: number;
  sink: TraceSink | undefined;
  onTaskError: ((error: unknown, task: TaskInfo) => void) | undefined;
  /** Record where each polled future was yielded (`site` on poll events). */
  sites: boolean;
}

/**
 * Steps between two looks at the host clock while slicing: a step is ~0.1 µs and a clock read
 * ~55 ns, so one read per 32 steps costs under 2 ns a step (one per 16 cost 3.5 ns of W3's ~100).
 */
const CLOCK_EVERY = 32;

export class Driver implements TaskHost {
  readonly queue = new RingQueue<Task>(64);
  readonly timers = new TimerHeap();
  readonly clock: RealClock | VirtualClock;
  readonly counters = new Counters();
  readonly sink: TraceSink | undefined;
  readonly budget: number;
  private readonly slice: number;
  private readonly scheduler: Scheduler | undefined;
  /** Poll events carry the yield site (read by site.ts through the running task's host). */
  readonly sites: boolean;
  private readonly onTaskError: ((error: unknown, task: TaskInfo) => void) | undefined;

  /** True while the runtime itself steps tasks or fires timers (any other wake is "outside"). */
  driving = false;
  private firingTimers = false;
  /** True while run()/runSync()/blockOn() is driving: nobody else may. */
  private looping = false;
  /** The first error a trace sink threw, rethrown once the step it interrupted has ended. */
  private fault: { error: unknown } | undefined = undefined;

  /**
   * The tasks that outlived their first step, newest first. A task joins when its first step
   * ends and it is still alive, so one that finishes in its first step (a short child task)
   * never touches the list: until then it is in the run queue or running, where liveTasks()
   * finds it (W1, 100k such tasks: about 8 % of its time went to linking and unlinking).
   */
  private liveHead: Task | undefined = undefined;
  liveCount = 0;
  private nextId = 1;
  /** Failed tasks nobody had joined when they failed; re-checked when reported. */
  private unobserved: Task[] = [];

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
    this.slice = options.slice;
    this.sink = options.sink;
    this.onTaskError = options.onTaskError;
    if (options.sink !== undefined) this.timers.record((e) => this.deliver(e), this.clock);
    this.sites = options.sites;
    if (options.sites) sites.wanted++;
  }

  get running(): boolean {
    return this.looping || this.driving;
  }

  // ── Tasks ────────────────────────────────────────────────────────────────────────────

  /** A new task, queued (rule 6). `owner`: the task whose combinator started it (see Task.owner). */
  spawn<T>(body: Body<T>, name: string | NameSource | undefined, owner?: Task): Task<T> {
    const task = new Task<T>(this, this.nextId++, name, body, owner);
    this.liveCount++;
    this.counters.spawned++;
    if (this.sink !== undefined) this.emit("spawn", task, undefined, this.wokenBy());
    this.queue.push(task);
    if (this.kick !== undefined) this.kick();
    return task;
  }

  enqueue(task: Task): void {
    this.queue.push(task);
    if (!this.driving) {
      this.counters.outsideWakes++;
      if (this.kick !== undefined) this.kick();
    }
  }

  outlived(task: Task): void {
    const head = this.liveHead;
    task.nextLive = head;
    if (head !== undefined) head.prevLive = task;
    this.liveHead = task;
  }

  finished(task: Task): void {
    if (task.listed) {
      const prev = task.prevLive;
      const next = task.nextLive;
      if (prev !== undefined) prev.nextLive = next;
      else this.liveHead = next;
      if (next !== undefined) next.prevLive = prev;
      task.prevLive = task.nextLive = undefined;
    }
    this.liveCount--;
    const state = task.state;
    const c = this.counters;
    if (state === COMPLETED) c.completed++;
    else if (state === CANCELLED) c.cancelled++;
    else {
      c.failed++;
      if (!task.joined) this.unobserved.push(task);
    }
    if (this.sink !== undefined) {
      const kind: TraceKind = state === COMPLETED ? "complete" : state === CANCELLED ? "cancel" : "fail";
      this.emit(kind, task, state === FAILED ? errorText(task.result) : undefined);
    }
  }

  /** Every live task, oldest first: the listed ones, and those not listed yet (queued before their first step, or in it now). */
  liveTasks(): Task[] {
    const out = this.queue.toArray();
    const running = currentTask();
    if (running instanceof Task && running.host === this && !running.ended) out.push(running);
    for (let t = this.liveHead; t !== undefined; t = t.nextLive) out.push(t);
    return Array.from(new Set(out)).sort((a, b) => a.id - b.id); // a listed task may also be queued or running
  }

  /** Promises and I/O the runtime now waits on, +1 or -1: while any is pending, an idle runtime is not deadlocked. */
  countExternal(delta: 1 | -1): void {
    this.counters.pendingExternal += delta;
  }

  // ── Tracing ──────────────────────────────────────────────────────────────────────────

  emit(kind: TraceKind, task: Task, detail?: string, by?: TraceEvent["by"], more?: Partial<TraceEvent>): void {
    const sink = this.sink;
    if (sink === undefined) return;
    const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { t: this.clock.now(), kind, task: task.id };
    if (task.name !== undefined) event.name = task.name;
    if (detail !== undefined) event.detail = detail;
    if (by !== undefined) event.by = by;
    this.deliver(more === undefined ? event : { ...event, ...more });
  }

  /** Hand `event` to the sink. One that throws out of the middle of a step would leave a task half-moved: its error is rethrown after the step. */
  private deliver(event: TraceEvent): void {
    try {
      (this.sink as TraceSink)(event);
    } catch (error) {
      if (this.fault === undefined) this.fault = { error };
    }
  }

  /** Who is causing a wake right now: the running task, a timer, or something outside. */
  wokenBy(): TraceEvent["by"] {
    if (this.firingTimers) return "timer";
    const t = currentTask();
    if (t !== undefined && t.host === this) return t.id;
    return this.driving ? undefined : "outside";
  }

  private rethrowFault(): void {
    const f = this.fault;
    if (f === undefined) return;
    this.fault = undefined;
    throw f.error;
  }

  // ── One turn ─────────────────────────────────────────────────────────────────────────

  /** Fire every timer due now, in (deadline, creation) order. */
  private fireTimers(): void {
    const timers = this.timers;
    if (timers.size === 0) return;
    const now = this.clock.now();
    const wasDriving = this.driving;
    this.driving = true;
    this.firingTimers = true;
    try {
      for (let e = timers.popDue(now); e !== undefined; e = timers.popDue(now)) {
        this.counters.timersFired++;
        e.fire(); // the heap recorded the fire
      }
    } finally {
      this.firingTimers = false;
      this.driving = wasDriving;
    }
    this.rethrowFault();
  }

  /**
   * The loop body run() and runSync() share: fire due timers, then step ready tasks until the
   * queue is empty or `done()`. With `sliced`, also stop after `slice` ms of stepping, so the
   * caller can yield to the host (rule 7); between task steps, so the order is the same. `done`
   * must depend only on tasks ending (every caller asks "has this task, or every task, ended?").
   */
  private turn(done: () => boolean, sliced: boolean): void {
    this.fireTimers();
    const queue = this.queue;
    const end = sliced ? monotonicNow() + this.slice : Infinity;
    let n = 0;
    this.driving = true;
    try {
      while (queue.length > 0) {
        const task = (this.scheduler === undefined ? queue.shift() : this.next()) as Task;
        step(task);
        if (this.fault !== undefined) this.rethrowFault();
        // `done` reads only task endings, and a task ends only in its own step: asked after a
        // step that ended its task, not after every step.
        if (task.ended && done()) return;
        if (sliced && ++n % CLOCK_EVERY === 0 && monotonicNow() >= end) return;
      }
    } finally {
      this.driving = false;
    }
  }

  /** Take the next task: the head (FIFO) unless a scheduler chooses among several. */
  private next(): Task | undefined {
    const queue = this.queue;
    if (this.scheduler === undefined || queue.length < 2) return queue.shift();
    const ready = queue.toArray();
    const k = clampChoice(this.scheduler.chooseTask(ready, this.clock.now()), ready.length);
    if (this.sink !== undefined) this.emit("pick", ready[k] as Task, `scheduler chose ${k + 1} of ${ready.length} ready`, undefined, { queueIndex: k, ready: ready.length });
    return k === 0 ? queue.shift() : queue.removeAt(k);
  }

  /** Virtual clock: jump to the next deadline. False when no timer is armed. */
  private advance(): boolean {
    const d = this.timers.nextDeadline();
    if (d === undefined || this.clock.kind !== "virtual") return false;
    this.clock.advanceTo(d);
    return true;
  }

  // ── Driving ──────────────────────────────────────────────────────────────────────────

  private enter(what: string): void {
    if (this.looping) throw new Error(`${what}: this runtime is already running (await the first run() before starting another)`);
    if (this.driving) throw new Error(`${what}: a runtime cannot be driven from inside one of its own tasks`);
    this.looping = true;
  }

  /** Drive asynchronously until `done()`, yielding to the host after each `slice` ms of stepping. */
  async drive(done: () => boolean): Promise<void> {
    this.enter("run()");
    try {
      for (;;) {
        await this.busy(done);
        if (done()) return;
        this.reportFailures(false);
        if (this.queue.length > 0) continue; // the handler spawned or woke something
        if (this.advance()) continue;
        if (this.clock.kind === "virtual" && this.counters.pendingExternal === 0) throw this.deadlock("nothing can wake them");
        const d = this.timers.nextDeadline();
        if (d !== undefined) this.armHostTimer(d);
        await this.idle();
      }
    } finally {
      this.looping = false;
      this.kick = undefined;
      this.disarmHostTimer();
    }
  }

  /** Turns until the queue is empty or `done()`; between slices a macrotask. One Promise per busy period. */
  private busy(done: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        try {
          this.turn(done, true);
          if (done() || this.queue.length === 0) return resolve();
          this.counters.hostYields++;
          macrotask(go);
        } catch (error) {
          reject(error);
        }
      };
      go();
    });
  }

  /** Drive synchronously until `done()` (virtual clock only). */
  driveSync(done: () => boolean): void {
    if (this.clock.kind !== "virtual") {
      throw new Error('runSync() needs a virtual clock (new Runtime({ clock: "virtual" })): a real clock has to wait for the host, so use run()');
    }
    this.enter("runSync()");
    try {
      for (;;) {
        this.turn(done, false);
        if (done()) return;
        if (this.queue.length > 0) continue;
        this.reportFailures(false);
        if (this.queue.length > 0) continue; // the handler spawned or woke something
        if (this.advance()) continue;
        if (this.counters.pendingExternal > 0) {
          throw this.deadlock("runSync() cannot wait for the promises or I/O they wait on: use run()");
        }
        throw this.deadlock("nothing can wake them");
      }
    } finally {
      this.looping = false;
    }
  }

  /** Run whatever is ready now, without waiting or advancing time (shutdown). */
  drainReady(): void {
    if (this.running) return;
    this.looping = true;
    try {
      do this.turn(never, false);
      while (this.queue.length > 0);
    } finally {
      this.looping = false;
    }
  }

  /**
   * Step one ready task (firing due timers first; on a virtual clock with nothing ready, jumping
   * to the next timer) and say what it led to; undefined when nothing can run without waiting.
   */
  stepOne(): TraceEvent | undefined {
    this.enter("step()");
    try {
      this.fireTimers();
      if (this.queue.length === 0 && this.advance()) this.fireTimers();
      const task = this.next();
      if (task === undefined) return undefined;
      const polls = this.counters.polls;
      this.driving = true;
      try {
        step(task);
      } finally {
        this.driving = false;
      }
      this.rethrowFault();
      const state = task.state;
      const kind: TraceKind =
        state === COMPLETED ? "complete" : state === FAILED ? "fail" : state === CANCELLED ? "cancel" : state === PARKED ? "park" : "pending";
      const n = this.counters.polls - polls;
      const detail = state === PARKED ? `waits on ${task.waitsOn()}` : state === FAILED ? String(task.result) : `${n} poll${n === 1 ? "" : "s"}`;
      const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { t: this.clock.now(), kind, task: task.id, detail };
      if (task.name !== undefined) event.name = task.name;
      return event;
    } finally {
      this.looping = false;
    }
  }

  /**
   * Wait for an outside wake or the armed host timer. If the host runs out of work meanwhile,
   * nothing can ever wake the tasks (a promise that never settles included): a deadlock.
   */
  private idle(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const unwatch = onHostIdle(() => {
        if (this.hostTimer !== undefined) return false; // our own timer will fire: the host is not out of work
        this.kick = undefined;
        unwatch();
        reject(this.deadlock("the host has nothing left that could wake them"));
        return true;
      });
      this.kick = () => {
        this.kick = undefined;
        unwatch();
        resolve();
      };
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
   * (at every idle point, so a long-lived runtime reports promptly); a handler that throws does
   * not stop the others, and its error is thrown afterwards. Without one, at the end, they are
   * returned for run() to reject with.
   */
  reportFailures(atEnd: boolean): unknown[] {
    if (this.unobserved.length === 0) return [];
    const pending = this.unobserved.filter((t) => !t.joined);
    const handler = this.onTaskError;
    if (handler !== undefined) {
      this.unobserved = [];
      const thrown: unknown[] = [];
      for (const t of pending) {
        try {
          handler(t.result, { id: t.id, name: t.name });
        } catch (error) {
          thrown.push(error);
        }
      }
      if (thrown.length === 1) throw thrown[0];
      if (thrown.length > 1) throw new AggregateError(thrown, `onTaskError threw ${thrown.length} times`);
      return [];
    }
    if (!atEnd) {
      this.unobserved = pending;
      return [];
    }
    this.unobserved = [];
    return pending.map((t) => t.result);
  }

  /**
   * Abort every live task but those a live task's combinator owns: they are cancelled through
   * their owner, and not at all while it is shielded (rule 8: shielded work runs to its end).
   */
  abortAll(): void {
    for (const t of this.liveTasks()) if (t.owner === undefined || t.owner.finished) t.abort();
  }
}

const HOST_TIMER_MAX = 2 ** 31 - 1;

function never(): boolean {
  return false;
}
