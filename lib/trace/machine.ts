// The machine: the driver's own state rebuilt from a trace (run queue in order, parked tasks and
// what each waits on, armed timers in firing order, the task being polled, the clock), so a
// reader can ask "why did #3 run before #2?" of any move. Invariant: replaying a run's events
// gives exactly the driver's queue, parked set and heap (spec/trace/machine.spec.ts checks it).

import type { TraceEvent } from "../events";
import { checkEvents } from "./lanes";
import { movesOf } from "./moves";
import { timerKey } from "./words";

/** A task in the run queue, and how it got there. @experimental */
export interface QueuedTask {
  /** The task's id. */
  readonly task: number;
  /** "spawned by #1", "woken by timer t=5 #0", "requeued: budget spent", … */
  readonly why: string;
  /** The runtime clock when it was queued. */
  readonly t: number;
}

/** A parked task: what it waits on, and what is set to wake it if the trace knows. @experimental */
export interface ParkedTask {
  /** The task's id. */
  readonly task: number;
  /** The future it is suspended on, as it describes itself ("recv on channel#3"). */
  readonly on: string;
  /** "timer t=5 #0" when it owns an armed timer; otherwise whoever makes `on` ready. */
  readonly wakeBy: string | undefined;
  /** Where it yielded that future ("file:line"), when the trace carries yield sites. */
  readonly site: string | undefined;
  /** The runtime clock when it parked. */
  readonly t: number;
}

/** An armed timer, keyed as the heap orders it. @experimental */
export interface ArmedTimer {
  /** When it fires (ms, runtime clock). */
  readonly deadline: number;
  /** Arming order: breaks ties between equal deadlines. */
  readonly seq: number;
  /** The task that armed it (whose waker it holds). */
  readonly task: number;
}

/** The latest step: which task ran, why it was the one, what it polled, how it ended. @experimental */
export interface StepInfo {
  /** Steps counted from 1 in trace order. */
  readonly n: number;
  /** The task that ran. */
  readonly task: number;
  /** How it came off the queue: "head of the run queue (FIFO)" or the scheduler's choice. */
  readonly picked: string;
  /** Why it was in the queue (a QueuedTask's `why`). */
  readonly queued: string;
  /** The future it is polling (from a `poll` until its outcome); undefined between polls. */
  readonly polling: string | undefined;
  /** Where the task yielded that future ("file:line"), when the trace carries yield sites. */
  readonly site: string | undefined;
  /** "parked", "requeued", "complete", "fail", "cancel"; undefined while it runs. */
  readonly ended: string | undefined;
}

/** The driver's state at one point of a run. @experimental */
export interface MachineState {
  /** The runtime clock (ms). */
  readonly t: number;
  /** The task being polled, or undefined between steps. */
  readonly running: number | undefined;
  /** The run queue, head first. */
  readonly queue: readonly QueuedTask[];
  /** Parked tasks, by id. */
  readonly parked: readonly ParkedTask[];
  /** Armed timers in firing order: (deadline, seq) ascending. */
  readonly timers: readonly ArmedTimer[];
  /** The latest step (the running one, or the one that just ended). */
  readonly step: StepInfo | undefined;
  /** Task names the trace has given so far, by id. */
  readonly names: ReadonlyMap<number, string>;
}

/** A trace event that may carry the yield site of the future it polls. */
type Sited = TraceEvent & { readonly site?: string };

/**
 * Rebuilds the driver's state one event at a time. `apply` follows the core's emission rules:
 * every push onto the run queue is a `spawn`, a `wake` of a task that is not running, or a
 * `pending`; a task leaves the queue when its step begins (its first event, or a `pick`).
 */
export class MachineReplay {
  private t = 0;
  private running: number | undefined = undefined;
  private readonly queue: QueuedTask[] = [];
  private readonly parked = new Map<number, { on: string; t: number; site: string | undefined }>();
  private readonly timers: ArmedTimer[] = [];
  private step: StepInfo | undefined = undefined;
  private readonly names = new Map<number, string>();
  /** Who woke the running task during its own poll (it goes back to the queue, not parked). */
  private notifiedBy: string | undefined = undefined;
  /** The timer that fired last, to say which one woke a task. */
  private lastFired: string | undefined = undefined;

  apply(e: TraceEvent): void {
    this.t = e.t;
    if (e.name !== undefined && !this.names.has(e.task)) this.names.set(e.task, e.name);
    const runner = runnerOf(e);
    if (runner !== undefined && runner !== this.running) this.begin(runner, e);
    const id = e.task;
    switch (e.kind) {
      case "spawn":
        this.queue.push({ task: id, why: `spawned${byText(e.by)}`, t: e.t });
        break;
      case "wake":
        if (id === this.running) this.notifiedBy = e.detail === "abort" ? `aborted${byText(e.by)}` : `woken${byText(e.by)}`;
        else if (this.parked.delete(id) || !this.queued(id)) {
          const who = e.by === "timer" && this.lastFired !== undefined ? ` by timer ${this.lastFired}` : byText(e.by);
          this.queue.push({ task: id, why: `${e.detail === "abort" ? "aborted" : "woken"}${who}`, t: e.t });
        }
        break;
      case "poll":
        this.setStep({ polling: e.detail ?? "a future", site: (e as Sited).site });
        break;
      case "pending": {
        const why = e.detail !== undefined && e.detail.startsWith("budget") ? "requeued: budget spent" : `requeued: ${this.notifiedBy ?? "woken"} during its own poll`;
        this.end(id, "requeued");
        this.queue.push({ task: id, why, t: e.t });
        break;
      }
      case "park": {
        const site = this.step?.task === id ? this.step.site : undefined;
        this.end(id, "parked");
        this.parked.set(id, { on: e.detail ?? "a future", t: e.t, site });
        break;
      }
      case "complete":
      case "fail":
      case "cancel":
        this.end(id, e.kind);
        this.parked.delete(id);
        this.unqueue(id);
        break;
      case "arm":
        if (e.deadline !== undefined && e.seq !== undefined) this.arm({ deadline: e.deadline, seq: e.seq, task: id });
        break;
      case "disarm":
        this.disarm(e);
        break;
      case "timer":
        this.lastFired = timerKey(e);
        this.disarm(e);
        break;
      case "ready":
      case "throw":
        this.setStep({ polling: undefined, site: undefined });
        break;
      default:
        break; // pick (its task's step began above), and kinds from a newer core
    }
  }

  /** A copy of the state now. */
  snapshot(): MachineState {
    const owned = new Map<number, string>();
    for (const tm of this.timers) if (!owned.has(tm.task)) owned.set(tm.task, `timer t=${tm.deadline} #${tm.seq}`);
    const parked = [...this.parked.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([task, p]) => ({ task, on: p.on, wakeBy: owned.get(task), site: p.site, t: p.t }));
    return { t: this.t, running: this.running, queue: this.queue.slice(), parked, timers: this.timers.slice(), step: this.step, names: new Map(this.names) };
  }

  private queued(id: number): boolean {
    return this.queue.some((q) => q.task === id);
  }

  private unqueue(id: number): QueuedTask | undefined {
    const i = this.queue.findIndex((q) => q.task === id);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  /** `runner`'s step begins, if it is queued (otherwise the event follows a step just ended, as a joiner's wake after "complete"). */
  private begin(runner: number, e: TraceEvent): void {
    const at = this.queue.findIndex((q) => q.task === runner);
    if (at < 0) return;
    const head = (this.queue[0] as QueuedTask).task;
    const ready = this.queue.length;
    const q = this.queue.splice(at, 1)[0] as QueuedTask;
    const picked =
      at === 0 ? (e.kind === "pick" ? "the scheduler's pick: the head of the run queue" : "head of the run queue (FIFO)")
      : `${e.kind === "pick" ? "the scheduler's pick" : "a pick"}: position ${at + 1} of ${ready} in the run queue, over #${head}${this.names.has(head) ? ` ${this.names.get(head)}` : ""} at the head`;
    this.running = runner;
    this.notifiedBy = undefined;
    this.step = { n: (this.step?.n ?? 0) + 1, task: runner, picked, queued: q.why, polling: undefined, site: undefined, ended: undefined };
  }

  private end(id: number, how: string): void {
    if (this.running !== id) return;
    this.running = undefined;
    this.setStep({ ended: how });
  }

  private setStep(change: Partial<StepInfo>): void {
    if (this.step !== undefined) this.step = { ...this.step, ...change };
  }

  private arm(tm: ArmedTimer): void {
    let i = this.timers.length;
    while (i > 0 && before(tm, this.timers[i - 1] as ArmedTimer)) i--;
    this.timers.splice(i, 0, tm);
  }

  private disarm(e: TraceEvent): void {
    const i = this.timers.findIndex((tm) => (e.seq !== undefined ? tm.seq === e.seq : tm.task === e.task && tm.deadline === e.deadline));
    if (i >= 0) this.timers.splice(i, 1);
  }
}

function before(a: ArmedTimer, b: ArmedTimer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** The task whose step `e` happened in, if it names one. */
function runnerOf(e: TraceEvent): number | undefined {
  switch (e.kind) {
    case "spawn":
    case "wake":
      return typeof e.by === "number" ? e.by : undefined;
    case "disarm":
      return typeof e.by === "number" ? e.by : e.task;
    case "timer":
      return undefined; // timers fire between steps
    default:
      return e.task; // poll, ready, throw, pending, park, the endings, arm (by the task polling), pick
  }
}

function byText(by: TraceEvent["by"]): string {
  return typeof by === "number" ? ` by #${by}` : by === "timer" ? " by a timer" : by === "outside" ? " from outside" : "";
}

/**
 * The driver's state after each move of `events` (as {@link timeline} and the HTML page count
 * moves; `compact: false` gives one per event): the run queue in order, the parked tasks, the
 * armed timers in firing order, the running task and what it polls, the clock.
 *
 * ```ts
 * const states = machineStates(rt.trace);
 * states[4]?.queue.map((q) => `#${q.task} (${q.why})`); // ["#2 (woken by #1)", …]
 * ```
 * @experimental
 */
export function machineStates(events: Iterable<TraceEvent> | ArrayLike<TraceEvent>, options: { compact?: boolean } = {}): MachineState[] {
  const list = checkEvents(events, "machineStates()");
  const { moves } = movesOf(list, options.compact ?? true);
  const replay = new MachineReplay();
  const out: MachineState[] = [];
  let i = 0;
  for (const mv of moves) {
    for (; i <= mv.last; i++) replay.apply(list[i] as TraceEvent);
    out.push(replay.snapshot());
  }
  return out;
}
